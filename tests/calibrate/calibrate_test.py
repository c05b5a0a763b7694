#!/usr/bin/env python3
"""geosim calibrate end to end, at fixed seeds, against known truth (docs/calibration.md).

Usage: calibrate_test.py GEOSIM DATA_DIR MODE
  abc       ABC-SMC on a geometric hazard with a beta(2, 3) prior and first steps 2, 5, 0:
            the posterior is beta(5, 10) (mean 1/3, sd 0.1179).
  pmmh      the same posterior by pseudo-marginal MCMC.
  mle       maximum simulated likelihood of a two-parameter logit against its closed form.
  threads   posterior.csv and fit.csv are byte-identical on 1 and 2 threads.
  resume    kill -9 mid-fit, --resume: the same files as an uninterrupted fit.
  sbc       simulation-based calibration of ABC-SMC on the hazard (rank uniformity).
  mpi       mpirun -np 2 writes the single-process files (abc-smc and mle).
  report    --report draws the calibration section: marginals, pairs, observed vs predicted.
  bad       each bad input: exit 2, file:line(:column) message, no output folder.
"""
import csv
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

GEOSIM, DATA, MODE = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
HAZARD = os.path.join(DATA, "hazard.yaml")
HAZARD_CASES = os.path.join(DATA, "hazard-cases.csv")
LOGIT = os.path.join(DATA, "logit.yaml")


def run(args, **kw):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, **kw)


def fit_rows(out):
    with open(os.path.join(out, "fit.csv")) as f:
        return {(r["parameter"], r["statistic"]): r["value"] for r in csv.DictReader(f)}


def posterior(out):
    with open(os.path.join(out, "posterior.csv")) as f:
        return list(csv.DictReader(f))


def weighted_mean_sd(rows, name):
    w = [float(r["weight"]) for r in rows]
    x = [float(r[name]) for r in rows]
    m = sum(a * b for a, b in zip(w, x)) / sum(w)
    v = sum(a * (b - m) ** 2 for a, b in zip(w, x)) / sum(w)
    return m, math.sqrt(v)


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)


def beta_check(out, label):
    # Exact posterior beta(5, 10): mean 1/3, sd sqrt(50 / (225 * 16)) = 0.11785.
    rows = posterior(out)
    m, sd = weighted_mean_sd(rows, "p")
    ess = float(fit_rows(out)[("p", "ess")])
    # Standard error of a weighted mean with effective sample size ess, and of the sd
    # (about sd / sqrt(2 ess) for a near-normal posterior); 3.5 standard errors allowed.
    se_m, se_sd = 0.11785 / math.sqrt(ess), 0.11785 / math.sqrt(2 * ess)
    print(f"{label}: mean {m:.4f} (exact 0.3333, se {se_m:.4f}), sd {sd:.4f} (exact 0.1179, "
          f"se {se_sd:.4f}), ess {ess:.0f}")
    check(abs(m - 1 / 3) < 3.5 * se_m, f"{label}: posterior mean {m} vs 1/3")
    check(abs(sd - 0.11785) < 3.5 * se_sd, f"{label}: posterior sd {sd} vs 0.1179")


def abc_args(out, extra=()):
    return ["calibrate", HAZARD, "--cases", HAZARD_CASES, "--free", "p:beta(2,3)", "--method",
            "abc-smc", "--seed", "11", "--out", out, "-q"] + list(extra)


def mode_abc(d):
    out = os.path.join(d, "abc")
    r = run(abc_args(out, ["--particles", "300"]))
    check(r.returncode == 0, r.stderr)
    check(fit_rows(out)[("", "final_tolerance")] == "0", "the tolerance should reach 0")
    beta_check(out, "abc-smc")


def mode_pmmh(d):
    out = os.path.join(d, "pmmh")
    r = run(["calibrate", HAZARD, "--cases", HAZARD_CASES, "--free", "p:beta(2,3)", "--method",
             "pmmh", "--seed", "4", "--chains", "4", "--iterations", "600", "--burn-in", "200",
             "-n", "256", "--out", out, "-q"])
    check(r.returncode == 0, r.stderr)
    beta_check(out, "pmmh")
    rhat = float(fit_rows(out)[("", "rhat:p")])
    check(rhat < 1.1, f"R-hat {rhat}")


def mode_mle(d):
    # Cases: x = -1 with 3 of 10 'yes', x = 1 with 8 of 10: logit(0.3) = a - b and
    # logit(0.8) = a + b, so a = 0.26949, b = 1.11668. The simulated-likelihood optimum with
    # common random numbers over 0/1 outcomes is the argmax of a step function; its error
    # shrinks like R^(-1/3). Measured over seeds 1-5 at R = 4000: sd 0.034 (a), 0.055 (b);
    # allowed: 0.2 (more than 3.5 of those sds).
    out = os.path.join(d, "mle")
    r = run(["calibrate", LOGIT, "--cases", os.path.join(DATA, "logit-cases.csv"), "--free", "a",
             "--free", "b", "-n", "4000", "--no-profile", "--out", out, "-q"])
    check(r.returncode == 0, r.stderr)
    f = fit_rows(out)
    a, b = float(f[("a", "estimate")]), float(f[("b", "estimate")])
    la, lb = math.log(0.3 / 0.7), math.log(0.8 / 0.2)
    print(f"mle: a {a:.4f} (closed form {(la + lb) / 2:.4f}), b {b:.4f} ({(lb - la) / 2:.4f})")
    check(abs(a - (la + lb) / 2) < 0.2 and abs(b - (lb - la) / 2) < 0.2, "mle vs closed form")
    # --no-profile computes no interval, so fit.csv has none (not a zero-width one).
    check(("a", "ci_low") not in f and ("b", "ci_high") not in f,
          "--no-profile wrote interval rows")
    # The profile interval of a one-parameter fit brackets the estimate.
    out1 = os.path.join(d, "mle1")
    r = run(["calibrate", LOGIT, "--cases", os.path.join(DATA, "logit-cases.csv"), "--free", "b",
             "--set", "a=0.27", "-n", "1000", "--out", out1, "-q"])
    check(r.returncode == 0, r.stderr)
    f = fit_rows(out1)
    lo, est, hi = (float(f[("b", k)]) for k in ("ci_low", "estimate", "ci_high"))
    print(f"mle, b alone: {est:.3f} [{lo:.3f}, {hi:.3f}]")
    check(lo < est < hi and hi - lo > 0.5, "profile interval")


def strip_wall(path):
    with open(path) as f:
        return [l for l in f if ",wall_seconds," not in l]


def mode_threads(d):
    outs = []
    for j in ("1", "2"):
        out = os.path.join(d, "t" + j)
        r = run(abc_args(out, ["-j", j, "--particles", "100", "--generations", "4"]))
        check(r.returncode == 0, r.stderr)
        outs.append(out)
    for name in ("posterior.csv", "predictions.csv"):
        check(open(os.path.join(outs[0], name), "rb").read() ==
              open(os.path.join(outs[1], name), "rb").read(), name + " differs by threads")
    check(strip_wall(os.path.join(outs[0], "fit.csv")) == strip_wall(os.path.join(outs[1], "fit.csv")),
          "fit.csv differs by threads")


def mode_resume(d):
    ref = os.path.join(d, "ref")
    args = ["--particles", "200", "-j", "1"]
    r = run(abc_args(ref, args))
    check(r.returncode == 0, r.stderr)
    out = os.path.join(d, "killed")
    log = os.path.join(out, ".calibrate", "batches.log")
    p = subprocess.Popen([GEOSIM] + abc_args(out, args), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(log) and os.path.getsize(log) > 3_000_000:  # a few batches done
            break
        time.sleep(0.005)
    check(p.poll() is None, "the fit finished before it could be killed; make it longer")
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(not os.path.exists(os.path.join(out, "posterior.csv")), "no output after a kill")
    with open(log, "ab") as f:  # a torn last record, as a kill during a write leaves
        f.write(b"GCB1\x10\x00\x00")
    r = run(abc_args(out, ["--particles", "150", "-j", "1", "--resume"]))
    check(r.returncode == 2 and "holds another calibration" in r.stderr,
          "a resume with other settings: " + r.stderr)
    r = run(abc_args(out, ["--particles", "200", "--resume", "--threads", "2"]))
    check(r.returncode == 0, r.stderr)
    for name in ("posterior.csv", "predictions.csv"):
        check(open(os.path.join(ref, name), "rb").read() == open(os.path.join(out, name), "rb").read(),
              name + ": resumed differs from uninterrupted")
    # Ctrl-C: exit 130, a message that says how to continue, and the same files after --resume.
    out2 = os.path.join(d, "sigint")
    p = subprocess.Popen([GEOSIM] + abc_args(out2, args), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    log2 = os.path.join(out2, ".calibrate", "batches.log")
    while p.poll() is None and not (os.path.exists(log2) and os.path.getsize(log2) > 3_000_000):
        time.sleep(0.005)
    p.send_signal(signal.SIGINT)
    err = p.communicate()[1]
    check(p.returncode == 130 and "--resume" in err, f"SIGINT: exit {p.returncode}, {err!r}")
    r = run(abc_args(out2, args + ["--resume"]))
    check(r.returncode == 0, r.stderr)
    check(open(os.path.join(ref, "posterior.csv"), "rb").read() ==
          open(os.path.join(out2, "posterior.csv"), "rb").read(), "posterior.csv after SIGINT + resume")
    check(strip_wall(os.path.join(ref, "fit.csv")) == strip_wall(os.path.join(out, "fit.csv")),
          "fit.csv: resumed differs")
    # --resume where nothing was interrupted (a finished fit, or no folder) is refused and
    # replaces nothing.
    before = open(os.path.join(ref, "posterior.csv"), "rb").read()
    r = run(abc_args(ref, ["--particles", "150", "-j", "1", "--resume"]))
    check(r.returncode == 2 and "nothing to resume" in r.stderr,
          f"--resume over a finished fit: exit {r.returncode}, {r.stderr!r}")
    check(open(os.path.join(ref, "posterior.csv"), "rb").read() == before,
          "--resume over a finished fit replaced it")
    r = run(abc_args(os.path.join(d, "none"), args + ["--resume"]))
    check(r.returncode == 2 and not os.path.exists(os.path.join(d, "none")),
          f"--resume into a new folder: exit {r.returncode}, {r.stderr!r}")


def mode_sbc(d):
    # Talts et al. (2018): p* ~ beta(2, 3), one observed first step from the model at p*,
    # fit; the weighted rank of p* among the draws is uniform when the method is calibrated.
    rng = random.Random(2018)
    reps, bins = 48, 4
    counts = [0] * bins
    for k in range(reps):
        p_true = rng.betavariate(2, 3)
        sim = os.path.join(d, f"sim{k}")
        r = run(["run", HAZARD, "-n", "1", "--seed", str(1000 + k), "--set", f"p={p_true!r}",
                 "--per-run", "--out", sim, "-q"])
        check(r.returncode == 0, r.stderr)
        with open(os.path.join(sim, "runs.csv")) as f:
            step = next(csv.DictReader(f))["strike_step"] or "never"
        cases = os.path.join(d, f"cases{k}.csv")
        with open(cases, "w") as f:
            f.write(f"case,strike_step\nobs,{step}\n")
        out = os.path.join(d, f"fit{k}")
        r = run(["calibrate", HAZARD, "--cases", cases, "--free", "p:beta(2,3)", "--method",
                 "abc-smc", "--particles", "100", "--seed", str(k + 1), "--out", out, "-q"])
        check(r.returncode == 0, r.stderr)
        rows = posterior(out)
        rank = sum(float(r["weight"]) for r in rows if float(r["p"]) < p_true)
        counts[min(bins - 1, int(rank * bins))] += 1
    expected = reps / bins
    chi2 = sum((c - expected) ** 2 / expected for c in counts)
    print(f"sbc: rank counts {counts}, chi-square {chi2:.2f} (3 df; 1% critical value 11.34)")
    check(chi2 < 11.34, "rank statistics are not uniform")


def mode_mpi(d):
    mpirun = shutil.which("mpirun")
    check(mpirun, "mpirun not found (scripts/setup installs openmpi-bin)")
    extra = ["--oversubscribe"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
    fits = {
        "abc": abc_args("OUT", ["--particles", "100", "--generations", "4", "-j", "1"]),
        "mle": ["calibrate", LOGIT, "--cases", os.path.join(DATA, "logit-cases.csv"), "--free", "a",
                "--free", "b", "-n", "500", "--evaluations", "60", "--out", "OUT", "-q", "-j", "1"],
    }
    for name, args in fits.items():
        one, two = os.path.join(d, name + "1"), os.path.join(d, name + "2")
        r = run([a.replace("OUT", one) for a in args])
        check(r.returncode == 0, r.stderr)
        r = subprocess.run([mpirun] + extra + ["-np", "2", GEOSIM] + [a.replace("OUT", two) for a in args],
                           capture_output=True, text=True, timeout=200)
        check(r.returncode == 0, r.stdout + r.stderr)
        for f in ("posterior.csv", "predictions.csv"):
            check(open(os.path.join(one, f), "rb").read() == open(os.path.join(two, f), "rb").read(),
                  f"{name}: {f} differs under mpirun")
        check(strip_wall(os.path.join(one, "fit.csv")) == strip_wall(os.path.join(two, "fit.csv")),
              f"{name}: fit.csv differs under mpirun")
        check(not os.path.exists(os.path.join(two, ".calibrate")), "state folder left behind")


def mode_report(d):
    out = os.path.join(d, "rep")
    r = run(["calibrate", LOGIT, "--cases", os.path.join(DATA, "logit-cases.csv"), "--free", "a",
             "--free", "b", "--method", "abc-smc", "--particles", "50", "--generations", "2",
             "--out", out, "--report"])
    check(r.returncode == 0, r.stderr)
    # The summary on stderr is for a reader: four significant digits, every file named.
    for line in r.stderr.splitlines():
        if line.startswith("  a:") or line.startswith("  b:"):
            long = [c for c in re.findall(r"\d+\.\d+", line)
                    if len(c.replace(".", "").lstrip("0")) > 4]
            check(not long, f"unrounded numbers {long} in the summary line {line!r}")
    check("manifest.json, report.html)" in r.stderr, "files written: " + r.stderr)
    html = open(os.path.join(out, "report.html")).read()
    check('id="calibration"' in html, "no calibration section")
    # The scenario's parameter table marks the free parameters as fitted, not at the file's value.
    for name in ("a", "b"):
        check(re.search(r"<code>" + name + r"</code></td><td class=\"num fitted\">fitted \(see "
                        r"Calibration; file -?[0-9.e+-]+\)</td>", html) is not None,
              f"parameter {name} not marked as fitted in the parameters table")
    # fit.csv's table shows rounded numbers (the CSV keeps them exact).
    fit = fit_rows(out)
    mean_a = float(fit[("a", "mean")])
    check(f"<td>a</td><td>mean</td><td>{mean_a:.4g}</td>" in html,
          f"fit table: mean of a {mean_a} not shown as {mean_a:.4g}")
    cells = re.findall(r"<td>-?(\d+\.\d+)</td>", html)
    long = [c for c in cells if len(c.replace(".", "").lstrip("0")) > 4]
    check(cells and not long, f"fit table shows unrounded numbers: {long[:3]}")
    for kind, n in (("posterior-marginal", 2), ("posterior-scatter", 1), ("observed-predicted", 1)):
        got = html.count(f'data-chart="{kind}"')
        check(got == n, f"{kind}: {got} charts, expected {n}")
    # The report command draws the same from the folder.
    r = run(["report", out, "--out", os.path.join(d, "again.html")])
    check(r.returncode == 0 and 'id="calibration"' in open(os.path.join(d, "again.html")).read(),
          "geosim report of a calibration folder: " + r.stderr)
    # A label outcome's chart shows the predicted share of the observed label, and says so.
    flag = os.path.join(d, "flag")
    with open(os.path.join(d, "flag.csv"), "w") as f:
        f.write("case,kind\nc1,high\nc2,low\n")
    r = run(["calibrate", os.path.join(DATA, "cases-flag.yaml"), "--cases",
             os.path.join(d, "flag.csv"), "--free", "q", "--method", "abc-smc", "--particles",
             "30", "--generations", "2", "-n", "32", "--out", flag, "-q", "--report"])
    check(r.returncode == 0, r.stderr)
    html = open(os.path.join(flag, "report.html")).read()
    check("share of replicates where kind has the observed label" in html and
          "kind (mean, p05" not in html, "the caption of a label outcome's chart")


BAD = [
    # (label, scenario, cases file, free, expected text)
    ("empty case file", HAZARD, "bad-empty.csv", "p", "bad-empty.csv:1: no cases"),
    ("unknown outcome", HAZARD, "bad-unknown-outcome.csv", "p",
     "bad-unknown-outcome.csv:1:6: scenario 'hazard' has no outcome 'strike_stp' (did you mean 'strike_step'?)"),
    ("step outside the scenario", HAZARD, "bad-step-outside.csv", "p",
     "bad-step-outside.csv:2:4: expected a step from 0 to 59 or 'never'"),
    ("target no replicate produces", HAZARD, "bad-unproducible.csv", "p",
     "bad-unproducible.csv:2:4: no replicate produces '0.5' for outcome 'hit'"),
    ("unknown --set name", LOGIT, "bad-unknown-set.csv", "a",
     "bad-unknown-set.csv:2:8: unknown --set name 'y'"),
    ("--set outside its range", LOGIT, "bad-set-range.csv", "a",
     "bad-set-range.csv:2:4: 'x' set to 5, outside its declared range [-2, 2]"),
    ("unknown label", os.path.join(DATA, "cases-flag.yaml"), "bad-unknown-label.csv", "q",
     "bad-unknown-label.csv:2:4: outcome 'kind' has no label 'medium'; expected one of 'high' or 'low'"),
    ("undeclared free parameter", HAZARD, "hazard-cases.csv", "pp",
     "--free pp: scenario 'hazard' declares no parameter 'pp' (did you mean 'p'?)"),
    ("prior outside the declared range", HAZARD, "hazard-cases.csv", "p:uniform(0,2)",
     "outside the declared range [0, 1] of 'p'"),
    ("normal prior centred outside", HAZARD, "hazard-cases.csv", "p:normal(2,1)",
     "the mean 2 lies outside the declared range [0, 1]"),
    ("unknown prior", HAZARD, "hazard-cases.csv", "p:gamma(2,1)", "unknown prior 'gamma'"),
    ("case sets a free parameter", LOGIT, "logit-cases.csv", "x", "which is a free parameter"),
]


def mode_bad(d):
    for label, scenario, cases, free, text in BAD:
        out = os.path.join(d, "out")
        r = run(["calibrate", scenario, "--cases", os.path.join(DATA, cases), "--free", free,
                 "--out", out, "-q"])
        check(r.returncode == 2, f"{label}: exit {r.returncode}, {r.stderr}")
        check(text in r.stderr, f"{label}: expected {text!r} in {r.stderr!r}")
        check(not os.path.exists(out), f"{label}: wrote {out}")
    r = run(["calibrate", HAZARD, "--cases", HAZARD_CASES, "--free", "p", "--method", "abc",
             "--out", os.path.join(d, "o"), "-q"])
    check(r.returncode == 2 and "unknown method 'abc'" in r.stderr, r.stderr)


with tempfile.TemporaryDirectory() as tmp:
    globals()["mode_" + MODE](tmp)
print("ok")
