#!/usr/bin/env python3
"""geosim backtest end to end, at fixed seeds (docs/backtest.md).

Usage: backtest_test.py GEOSIM DATA_DIR MODE
  planted  a one-weight logit whose 30 cases were simulated from w = 2: each case's
           leave-one-out prediction lies near the true probability, and the fitted
           forecast beats the base rate and the unfitted template (w = 0.5) on Brier and
           log score; the categorical form of the same outcome scores the same way.
  threads  every output file but the manifest is byte-identical on 1 and 2 threads,
           leave-one-out and k-fold.
  resume   kill -9 after the first finished fold, --resume: the same files.
  report   geosim report draws the reliability diagram of a backtest folder.
  bad      each bad input: exit 2, a file:line (or option) message, no output folder.
"""
import csv
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

GEOSIM, DATA, MODE = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
PLANTED = os.path.join(DATA, "planted.yaml")
CASES = os.path.join(DATA, "planted-cases.csv")
FILES = ["backtest.csv", "scores.csv", "reliability.csv", "folds.csv"]


def run(args, **kw):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, **kw)


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)


def scores(out):
    with open(os.path.join(out, "scores.csv")) as f:
        return {(r["cases"], r["forecast"], r["metric"]): r["value"] for r in csv.DictReader(f)}


def rows(out, name="backtest.csv"):
    with open(os.path.join(out, name)) as f:
        return list(csv.DictReader(f))


def backtest(out, *extra, threads=2, replicates=400, evaluations=60):
    args = ["backtest", CASES, "--template", PLANTED, "--free", "w", "--replicates",
            str(replicates), "--evaluations", str(evaluations), "--no-profile", "--seed", "3",
            "--threads", str(threads), "--quiet", "--out", out] + list(extra)
    r = run(args)
    check(r.returncode == 0, f"backtest failed: {r.stderr}")
    return out


def x_of(case_sets):
    return float(case_sets.split("=")[1])


def planted(tmp):
    with open(CASES) as f:
        xs = {r["case"]: x_of(r["sets"]) for r in csv.DictReader(f)}
    out = backtest(os.path.join(tmp, "b"))
    s = scores(out)
    err = []
    for r in rows(out):
        truth = 1 / (1 + math.exp(-2 * xs[r["case"]]))
        err.append(abs(float(r["fitted_positive"]) - truth))
    # The fitted weight of a fold is within about 0.6 of 2 (30 cases: the sd of the MLE of
    # w is about 0.6); at |x| <= 1.8 that moves a probability by at most ~0.1 on average.
    mean_err = sum(err) / len(err)
    print(f"mean |p_LOO - p_true| = {mean_err:.4f}, max {max(err):.4f}")
    check(mean_err < 0.08, f"LOO predictions far from the truth: mean error {mean_err}")
    fb, bb, tb = (float(s[("all", f, "brier")]) for f in ("fitted", "base_rate", "template"))
    fl, bl = float(s[("all", "fitted", "log_score")]), float(s[("all", "base_rate", "log_score")])
    fa = float(s[("all", "fitted", "auc")])
    print(f"Brier fitted {fb:.4f} base {bb:.4f} template {tb:.4f}; log fitted {fl:.4f} base {bl:.4f}; AUC {fa:.3f}")
    check(fb < bb and fb < tb, "the fitted forecast should beat the base rate and the template")
    check(fl > bl, "the fitted log score should beat the base rate's")
    check(fa > 0.8, "a logit with w = 2 over x in [-1.8, 1.8] ranks well")
    with open(os.path.join(out, "folds.csv")) as f:
        ws = [float(r["w"]) for r in csv.DictReader(f)]
    check(all(1 < w < 3.5 for w in ws), f"fold weights far from 2: {min(ws)} .. {max(ws)}")
    # The same outcome as a `cases` outcome: labels, multi-class scores, same binary scores.
    cat = os.path.join(tmp, "answers.csv")
    with open(CASES) as f, open(cat, "w") as g:
        g.write("case,sets,answer\n")
        for r in csv.DictReader(f):
            g.write(f"{r['case']},{r['sets']},{'yes' if r['said_yes'] == '1' else 'no'}\n")
    r = run(["backtest", cat, "--template", PLANTED, "--free", "w", "--replicates", "400",
             "--evaluations", "60", "--no-profile", "--seed", "3", "--quiet", "--positive", "yes",
             "--out", os.path.join(tmp, "c")])
    check(r.returncode == 0, r.stderr)
    c = scores(os.path.join(tmp, "c"))
    check(abs(float(c[("all", "fitted", "brier_multiclass")]) - 2 * float(c[("all", "fitted", "brier")])) < 1e-12,
          "two classes: the multi-class Brier is twice the binary one")
    check(float(c[("all", "fitted", "brier")]) < float(c[("all", "base_rate", "brier")]),
          "categorical: fitted beats the base rate")


def threads(tmp):
    for extra in ([], ["--folds", "4"]):
        a = backtest(os.path.join(tmp, "t1"), *extra, threads=1)
        b = backtest(os.path.join(tmp, "t2"), *extra, threads=2)
        for name in FILES:
            with open(os.path.join(a, name), "rb") as f, open(os.path.join(b, name), "rb") as g:
                check(f.read() == g.read(), f"{name} differs between 1 and 2 threads ({extra})")
        if extra:
            folds = rows(a, "folds.csv")
            check(len(folds) == 4, "4 folds")
            check(sorted(len(r["held_out"].split()) for r in folds) == [7, 7, 8, 8], "fold sizes")
        shutil.rmtree(a), shutil.rmtree(b)


def resume(tmp):
    ref = backtest(os.path.join(tmp, "ref"), replicates=1000, evaluations=60)
    out = os.path.join(tmp, "killed")
    args = ["backtest", CASES, "--template", PLANTED, "--free", "w", "--replicates", "1000",
            "--evaluations", "60", "--no-profile", "--seed", "3", "--threads", "1", "--quiet",
            "--out", out]
    p = subprocess.Popen([GEOSIM] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = os.path.join(out, ".backtest")
    deadline = time.time() + 240
    while time.time() < deadline and p.poll() is None:
        if os.path.isdir(state) and any(n.endswith(".done") for n in os.listdir(state)):
            break
        time.sleep(0.02)
    check(p.poll() is None, "the backtest finished before it could be killed; make it longer")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    check(not os.path.exists(os.path.join(out, "scores.csv")), "a killed backtest wrote scores")
    done = [n for n in os.listdir(state) if n.endswith(".done")]
    print(f"killed with {len(done)} fold(s) done")
    r = run(args + ["--resume"])
    check(r.returncode == 0, r.stderr)
    for name in FILES:
        with open(os.path.join(ref, name), "rb") as f, open(os.path.join(out, name), "rb") as g:
            check(f.read() == g.read(), f"{name}: resumed differs from uninterrupted")
    check(not os.path.exists(state), "the state folder is removed after a finished backtest")
    # A changed backtest is refused on --resume.
    os.makedirs(state)
    with open(os.path.join(state, "key"), "w") as f:
        f.write("another\n")
    r = run(args + ["--resume"])
    check(r.returncode == 2 and "another backtest" in r.stderr, r.stderr)


def report(tmp):
    out = backtest(os.path.join(tmp, "r"), "--report")
    with open(os.path.join(out, "report.html")) as f:
        html = f.read()
    check('data-chart="reliability"' in html, "no reliability diagram in the report")
    check("Backtest" in html and "base_rate" in html, "no backtest section")
    r = run(["report", out, "--out", os.path.join(tmp, "again.html")])
    check(r.returncode == 0, r.stderr)


def bad(tmp):
    def write(name, text):
        p = os.path.join(tmp, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    base = ["--template", PLANTED, "--replicates", "100", "--evaluations", "20", "--quiet"]
    cases = [
        ([CASES, "--free", "ww"], "ww", "--free ww"),
        ([CASES, "--free", "w", "--outcome", "said_no"], "no column 'said_no'", "--outcome"),
        ([CASES, "--free", "w", "--positive", "maybe"], "--positive applies to a `cases` outcome", "--positive"),
        ([write("empty.csv", "case,sets,said_yes\n"), "--free", "w"], "cases", "empty.csv"),
        ([write("one.csv", "case,sets,said_yes\na,x=1,1\n"), "--free", "w"], "at least 2 cases", "one.csv:1"),
        ([write("two.csv", "case,sets,said_yes\na,x=1,1\nb,x=1,2\n"), "--free", "w"], "expected 0 or 1", "two.csv:3"),
        ([write("noobs.csv", "case,sets,said_yes,answer\na,x=1,1,yes\nb,x=1,,no\n"), "--free", "w",
          "--outcome", "said_yes"], "observes nothing", "noobs.csv:3"),
        ([write("lab.csv", "case,sets,answer\na,x=1,yes\nb,x=1,perhaps\n"), "--free", "w"], "no label 'perhaps'", "lab.csv:3"),
        ([write("lab2.csv", "case,sets,answer\na,x=1,yes\nb,x=1,no\n"), "--free", "w", "--positive", "maybe"],
         "no label 'maybe'", "--positive"),
        ([write("set.csv", "case,sets,said_yes\na,x=1,1\nb,z=1,0\n"), "--free", "w"], "z", "set.csv:3"),
        ([write("setfree.csv", "case,sets,said_yes\na,w=1,1\nb,x=1,0\n"), "--free", "w"], "free", "setfree.csv:2"),
        ([CASES, "--free", "w", "--folds", "1"], "leave-one-out", "--folds"),
        ([CASES, "--free", "w", "--subset", write("sub.csv", "case\nc01\nzz\n")], "'zz' is not in", "sub.csv:3"),
        ([CASES, "--free", "w:normal(9,1)"], "", "--free"),
        ([write("many.csv", "case,sets,said_yes,answer\na,x=1,1,yes\nb,x=1,0,no\n"), "--free", "w"],
         "--outcome", "many.csv:1"),
    ]
    for i, (args, text, where) in enumerate(cases):
        out = os.path.join(tmp, f"bad{i}")
        r = run(["backtest"] + args + base + ["--out", out])
        check(r.returncode == 2, f"case {i} ({args[-1]}): exit {r.returncode}, {r.stderr}")
        check(where in r.stderr and text in r.stderr, f"case {i}: message {r.stderr!r} lacks {where!r}/{text!r}")
        check(not os.path.exists(out), f"case {i}: an output folder was created")


def main():
    tmp = tempfile.mkdtemp(prefix="geosim-backtest-test-")
    try:
        {"planted": planted, "threads": threads, "resume": resume, "report": report, "bad": bad}[MODE](tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
