#!/usr/bin/env python3
"""Writes the sample result folders that tests/report reads.

The folders imitate what `geosim run`, `sweep` and `compare` write (the layout of
/work/shared/interfaces.md, docs/cli.md) with synthetic numbers from a fixed seed, so
that the report can be tested without running the engine. Run it from anywhere:
    python3 tests/data/report/make_samples.py
and commit the folders it rewrites.
"""
import csv
import json
import math
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
Q = [0.05, 0.25, 0.5, 0.75, 0.95]


def fmt(x):
    if x is None:
        return ""
    if isinstance(x, int):
        return str(x)
    if x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def quantile(sorted_values, q):
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def wilson(k, n):
    if n == 0:
        return (None, None)
    z = 1.959963984540054
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def numeric_rows(scenario, outcome, values, n):
    """summary.csv rows for a numeric outcome (values: the replicates that have one)."""
    v = sorted(values)
    if not v:
        return []
    m = sum(v) / len(v)
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / max(1, len(v) - 1))
    se = sd / math.sqrt(len(v))
    rows = [[scenario, outcome, "mean", m, m - 1.96 * se, m + 1.96 * se, n],
            [scenario, outcome, "sd", sd, None, None, n],
            [scenario, outcome, "min", v[0], None, None, n]]
    for q, name in zip(Q, ["p05", "p25", "p50", "p75", "p95"]):
        rows.append([scenario, outcome, name, quantile(v, q), None, None, n])
    rows.append([scenario, outcome, "max", v[-1], None, None, n])
    return rows


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(x) if not isinstance(x, str) else x for x in r])


def fresh(name):
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


SUMMARY_HEADER = ["scenario", "outcome", "statistic", "value", "ci_low", "ci_high", "replicates"]


def scenario_json(sid, title, description, outcomes, track, parameters, replicates=2000):
    return {"id": sid, "title": title, "description": description, "step_label": "day",
            "steps": 30, "seed": 2022, "replicates": replicates,
            "sources": ["Riddle, 'The meaning of Russian troops in Kazakhstan', January 2022",
                        "CSTO statement on the deployment, 6 January 2022"],
            "file": "scenarios/sample/intervention.yaml",
            "files": [{"path": "scenarios/sample/intervention.yaml",
                       "sha256": "3f1c" + "0" * 56 + "beef"},
                      {"path": "scenarios/common/base.yaml",
                       "sha256": "a9e2" + "1" * 56 + "cafe"}],
            "parameters": parameters, "outcomes": outcomes, "track": track}


def simulate(rng, n, protest0, resolve):
    """A toy replicate: returns outcome values and per-day tracked values."""
    protest = min(1.0, max(0.0, rng.gauss(protest0, 0.1)))
    control = 0.8
    troops = 0
    requested_day = None
    peak = protest
    path_p, path_c, path_t = [], [], []
    for day in range(31):
        path_p.append(protest)
        path_c.append(control)
        path_t.append(troops)
        if day == 30:
            break
        if requested_day is None and protest > 0.5 and rng.random() < 0.35 * protest:
            requested_day = day
        if requested_day is not None and troops == 0 and rng.random() < resolve:
            troops = 500 * rng.choice([1, 2, 3, 4])
        protest = min(1.0, max(0.0, protest * 0.9 + rng.gauss(0, 0.04) - 0.00004 * troops))
        control = min(1.0, max(0.0, control - 0.04 * (protest - 0.1) + 0.00003 * troops +
                               rng.gauss(0, 0.03)))
        peak = max(peak, protest)
    settlement = ("stabilised" if control > 0.6 else "contested" if control > 0.3
                  else "collapse")
    return {"regime_survives": 1 if control > 0.5 else 0, "troops_sent": troops,
            "peak_protest": peak, "days_to_request": requested_day,
            "settlement": settlement}, (path_p, path_c, path_t)


OUTCOMES = [{"name": "regime_survives", "kind": "final"},
            {"name": "troops_sent", "kind": "final"},
            {"name": "peak_protest", "kind": "max"},
            {"name": "days_to_request", "kind": "first"},
            {"name": "settlement", "kind": "cases",
             "labels": ["stabilised", "contested", "collapse"]}]
TRACK = ["world.protest", "world.regime_control", "sum(csto.troops)"]
PARAMETERS = [
    {"name": "protest0", "value": 0.55, "min": 0.3, "max": 0.9,
     "doc": "initial protest intensity (share of the urban population mobilised)"},
    {"name": "kremlin_resolve", "value": 0.7, "min": 0.3, "max": 1.0,
     "doc": "willingness to use force abroad"},
    {"name": "csto_cohesion", "value": 0.5, "min": None, "max": None, "doc": ""}]


def run_outputs(sid, rng, n, protest0, resolve):
    """summary rows, trajectory rows and runs rows of one scenario."""
    results, paths = [], []
    for _ in range(n):
        r, p = simulate(rng, n, protest0, resolve)
        results.append(r)
        paths.append(p)
    summary = []
    k = sum(r["regime_survives"] for r in results)
    summary += numeric_rows(sid, "regime_survives", [r["regime_survives"] for r in results], n)
    lo, hi = wilson(k, n)
    summary.append([sid, "regime_survives", "probability", k / n, lo, hi, n])
    summary += numeric_rows(sid, "troops_sent", [r["troops_sent"] for r in results], n)
    summary += numeric_rows(sid, "peak_protest", [r["peak_protest"] for r in results], n)
    reached = [r["days_to_request"] for r in results if r["days_to_request"] is not None]
    summary += numeric_rows(sid, "days_to_request", reached, n)
    lo, hi = wilson(len(reached), n)
    summary.append([sid, "days_to_request", "share_reached", len(reached) / n, lo, hi, n])
    codes = {"stabilised": 0, "contested": 1, "collapse": 2}
    summary += numeric_rows(sid, "settlement", [codes[r["settlement"]] for r in results], n)
    for label in ["stabilised", "contested", "collapse"]:
        c = sum(1 for r in results if r["settlement"] == label)
        lo, hi = wilson(c, n)
        summary.append([sid, "settlement", "share:" + label, c / n, lo, hi, n])
    traj = []
    for vi, var in enumerate(TRACK):
        for day in range(31):
            v = sorted(p[vi][day] for p in paths)
            traj.append([sid, var, day, sum(v) / n] + [quantile(v, q) for q in Q])
    runs = [[sid, i, r["regime_survives"], r["troops_sent"], r["peak_protest"],
             r["days_to_request"], r["settlement"]] for i, r in enumerate(results)]
    return summary, traj, runs


def make_run():
    d = fresh("run")
    rng = random.Random(2022)
    n = 2000
    summary, traj, runs = run_outputs("kz-2022", rng, n, 0.55, 0.7)
    write_csv(os.path.join(d, "summary.csv"), SUMMARY_HEADER, summary)
    write_csv(os.path.join(d, "trajectories.csv"),
              ["scenario", "variable", "step", "mean", "p05", "p25", "p50", "p75", "p95"], traj)
    write_csv(os.path.join(d, "runs.csv"),
              ["scenario", "replicate"] + [o["name"] for o in OUTCOMES], runs)
    manifest = {"program": "geosim", "version": "0.1.0", "command": "run",
                "command_line": ["geosim", "run", "scenarios/sample/intervention.yaml",
                                 "--replicates", "2000", "--per-run", "--out", "run"],
                "start_time": "2026-11-28T03:50:00Z", "wall_seconds": 0.42, "threads": 2,
                "scenarios": [scenario_json(
                    "kz-2022", "Kazakhstan, January 2022: the CSTO intervention request",
                    "Protests over fuel prices spread across Kazakhstan; the president asks "
                    "the CSTO for troops.\n\nA sample folder for the report's tests: the "
                    "numbers are synthetic.", OUTCOMES, TRACK, PARAMETERS)],
                "failures": []}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def make_summary_only():
    """Two scenarios, summary.csv only: no manifest, no runs.csv, no trajectories."""
    d = fresh("summary-only")
    rng = random.Random(7)
    rows = []
    for sid, p0 in [("baseline", 0.5), ("variant", 0.65)]:
        s, _, _ = run_outputs(sid, rng, 400, p0, 0.6)
        rows += s
    write_csv(os.path.join(d, "summary.csv"), SUMMARY_HEADER, rows)


def sweep_rows(rng, point, params, protest0, resolve, n=300, fail=False):
    prefix = [point] + params
    if fail:
        return [prefix + ["kz-2022", "", "", "", "", "", "", "error",
                          "outcome 'peak_protest' is NaN at step 12"]]
    summary, _, _ = run_outputs("kz-2022", rng, n, protest0, resolve)
    return [prefix + r + ["ok", ""] for r in summary]


def sweep_manifest(design, vary, points, samples=0, failed=0):
    return {"program": "geosim", "version": "0.1.0", "command": "sweep",
            "command_line": ["geosim", "sweep", "scenarios/sample/intervention.yaml"] +
            sum([["--vary", n + "=" + s] for n, s in vary], []) + ["--design", design],
            "start_time": "2026-11-28T04:10:00Z", "wall_seconds": 3.1, "threads": 2,
            "scenarios": [scenario_json(
                "kz-2022", "Kazakhstan, January 2022: the CSTO intervention request",
                "Sweep sample: synthetic numbers.", OUTCOMES, TRACK, PARAMETERS, 300)],
            "failures": [],
            "sweep": {"design": design, "samples": samples,
                      "vary": [{"name": n, "spec": s} for n, s in vary],
                      "points": points, "failed_points": failed, "resumed_points": 0}}


def make_sweep_grid():
    d = fresh("sweep-grid")
    rng = random.Random(11)
    rows = []
    values = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    for i, x in enumerate(values):
        rows += sweep_rows(rng, i, [x], x, 0.7, fail=(i == 6))
    write_csv(os.path.join(d, "sweep.csv"),
              ["point", "protest0"] + SUMMARY_HEADER + ["status", "error"], rows)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(sweep_manifest("grid", [("protest0", "0.3:0.9:0.1")], 7, failed=1), f,
                  indent=2)


def make_sweep_sobol():
    d = fresh("sweep-sobol")
    rng = random.Random(13)
    rows = []
    for i in range(16):
        x, y = rng.uniform(0.3, 0.9), rng.uniform(0.3, 1.0)
        rows += sweep_rows(rng, i, [x, y], x, y, n=150)
    write_csv(os.path.join(d, "sweep.csv"),
              ["point", "protest0", "kremlin_resolve"] + SUMMARY_HEADER + ["status", "error"],
              rows)
    sens = []
    for o in ["regime_survives", "troops_sent", "peak_protest"]:
        for p, s1, st in [("protest0", 0.62, 0.71), ("kremlin_resolve", 0.18, 0.3)]:
            if o == "troops_sent":
                s1, st = st * 0.4, st * 0.5 + 0.1
            sens.append([o, p, "S1", s1, s1 - 0.08, s1 + 0.09])
            sens.append([o, p, "ST", st, st - 0.07, st + 0.1])
    write_csv(os.path.join(d, "sensitivity.csv"),
              ["outcome", "parameter", "index", "value", "ci_low", "ci_high"], sens)
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(sweep_manifest("sobol", [("protest0", "0.3:0.9"),
                                           ("kremlin_resolve", "0.3:1")], 16, samples=4), f,
                  indent=2)


def make_morris():
    """A folder holding only sensitivity.csv (Morris), with one missing index value."""
    d = fresh("morris")
    rows = []
    for p, mu, sg in [("protest0", 0.21, 0.05), ("kremlin_resolve", 0.35, 0.12),
                      ("csto_cohesion", 0.02, None)]:
        rows.append(["regime_survives", p, "mu_star", mu, mu * 0.7, mu * 1.3])
        rows.append(["regime_survives", p, "sigma", sg, None if sg is None else sg * 0.6,
                     None if sg is None else sg * 1.5])
    write_csv(os.path.join(d, "sensitivity.csv"),
              ["outcome", "parameter", "index", "value", "ci_low", "ci_high"], rows)


def make_compare():
    d = fresh("compare")
    rows = [
        ["regime_survives", "probability", 0.62, 0.71, 0.09, 0.05, 0.13, 0.00001, 1],
        ["regime_survives", "mean", 0.62, 0.71, 0.09, 0.05, 0.13, 0.00001, 1],
        ["troops_sent", "mean", 1510, 1490, -20, -80, 40, 0.51, 0],
        ["troops_sent", "sd", 900, 880, -20, None, None, None, 0],
        ["troops_sent", "p50", 1500, 1500, 0, None, None, None, 0],
        ["troops_sent", "p95", 2000, 2000, 0, None, None, None, 0],
        ["settlement", "share:stabilised", 0.4, 0.47, 0.07, 0.03, 0.11, 0.0009, 1],
        ["settlement", "share:contested", 0.35, 0.33, -0.02, -0.06, 0.02, 0.3, 0],
        ["settlement", "share:collapse", 0.25, 0.2, -0.05, -0.085, -0.015, 0.004, 1],
    ]
    write_csv(os.path.join(d, "compare.csv"),
              ["outcome", "statistic", "a", "b", "difference", "ci_low", "ci_high", "p_value",
               "significant"], rows)


def make_hostile():
    """Text fields that would inject markup if the report did not escape them."""
    d = fresh("hostile")
    evil = "<script>document.title='pwned'</script>"
    img = "<img src=x onerror=\"document.title='pwned'\">"
    rows = []
    for stat, v in [("mean", 0.5), ("p05", 0.1), ("p50", 0.5), ("p95", 0.9)]:
        rows.append(["evil-1", img, stat, v, None, None, 10])
    rows.append(["evil-1", "cases&co", "share:</svg><script>x()</script>", 0.5, 0.3, 0.7, 10])
    rows.append(["evil-1", "cases&co", "share:'quoted\" & <b>", 0.5, 0.3, 0.7, 10])
    write_csv(os.path.join(d, "summary.csv"), SUMMARY_HEADER, rows)
    traj = [["evil-1", "world.<u>x</u>", s, 0.5, 0.1, 0.3, 0.5, 0.7, 0.9] for s in range(5)]
    write_csv(os.path.join(d, "trajectories.csv"),
              ["scenario", "variable", "step", "mean", "p05", "p25", "p50", "p75", "p95"], traj)
    manifest = {"program": "geosim", "version": "0.1.0", "command": "run",
                "command_line": ["geosim", "run", "a b.yaml", "--set", "x=<1>"],
                "scenarios": [{
                    "id": "evil-1", "title": evil, "description": img + "\n\n&amp; raw \x01",
                    "step_label": "<i>week</i>", "steps": 5, "seed": 1, "replicates": 10,
                    "sources": ["<a href=\"http://example.invalid/\">link</a>"],
                    "file": "x.yaml", "files": [{"path": "<x>.yaml", "sha256": "\"'><"}],
                    "parameters": [{"name": "p<1>", "value": 1, "min": None, "max": 2,
                                    "doc": "</td></tr></table><style>body{display:none}</style>"}],
                    "outcomes": [{"name": img, "kind": "final"},
                                 {"name": "cases&co", "kind": "cases",
                                  "labels": ["</svg><script>x()</script>",
                                             "'quoted\" & <b>"]}],
                    "track": ["world.<u>x</u>"]}],
                "failures": [{"scenario": "evil-1", "error": "<blink>boom</blink>"}]}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def make_sparse():
    """Empty statistics as geosim writes them: a {first:} outcome never reached, steps no
    replicate reached (stopped early) and a tracked variable with no data at all."""
    d = fresh("sparse")
    rows = [["s", "never", st, None, None, None, 0]
            for st in ["mean", "sd", "min", "p05", "p25", "p50", "p75", "p95", "max"]]
    rows.append(["s", "never", "share_reached", 0, 0, 0.0184, 200])
    write_csv(os.path.join(d, "summary.csv"), SUMMARY_HEADER, rows)
    traj = [["s", "x", t, 1, 0, 0.5, 1, 1.5, 2] for t in range(4)]
    traj += [["s", "x", t] + [None] * 6 for t in range(4, 6)]
    traj += [["s", "y", t] + [None] * 6 for t in range(6)]
    write_csv(os.path.join(d, "trajectories.csv"),
              ["scenario", "variable", "step", "mean", "p05", "p25", "p50", "p75", "p95"], traj)


def make_runs_only():
    """runs.csv alone: nothing says which columns are numbers and which are case labels."""
    d = fresh("runs-only")
    rng = random.Random(5)
    rows = [["only", i, round(rng.uniform(0, 10), 3), rng.choice(["calm", "unrest"])]
            for i in range(200)]
    write_csv(os.path.join(d, "runs.csv"), ["scenario", "replicate", "level", "state"], rows)


def make_bad():
    """Malformed folders, one fault each, for the error tests."""
    def summary(name, text):
        d = fresh(os.path.join("bad", name))
        with open(os.path.join(d, "summary.csv"), "w") as f:
            f.write(text)
    os.makedirs(os.path.join(HERE, "bad"), exist_ok=True)
    head = ",".join(SUMMARY_HEADER) + "\n"
    summary("not-a-number", head + "s,o,mean,0.5,,,10\ns,o,sd,abc,,,10\n")
    summary("missing-column", "scenario,outcome,statistic,valu,ci_low,ci_high,replicates\n"
            "s,o,mean,0.5,,,10\n")
    summary("non-finite", head + "s,o,mean,inf,,,10\n")
    d = fresh(os.path.join("bad", "manifest"))
    with open(os.path.join(d, "manifest.json"), "w") as f:
        f.write('{"program": "geosim",\n "scenarios": [{"id": 3}]}\n')
    d = fresh(os.path.join("bad", "json-syntax"))
    with open(os.path.join(d, "manifest.json"), "w") as f:
        f.write('{"program": "geosim",\n "version": }\n')
    d = fresh(os.path.join("bad", "trajectory-order"))
    with open(os.path.join(d, "trajectories.csv"), "w") as f:
        f.write("scenario,variable,step,mean,p05,p25,p50,p75,p95\n"
                "s,x,0,1,1,1,1,1,1\ns,x,2,1,1,1,1,1,1\ns,x,1,1,1,1,1,1,1\n")
    d = fresh(os.path.join("bad", "runs-text"))
    with open(os.path.join(d, "summary.csv"), "w") as f:
        f.write(head + "s,o,mean,0.5,,,2\n")
    with open(os.path.join(d, "runs.csv"), "w") as f:
        f.write("scenario,replicate,o\ns,0,0.5\ns,1,lots\n")
    d = fresh(os.path.join("bad", "no-results"))
    with open(os.path.join(d, "notes.txt"), "w") as f:
        f.write("not a result folder\n")


if __name__ == "__main__":
    make_run()
    make_summary_only()
    make_sweep_grid()
    make_sweep_sobol()
    make_morris()
    make_compare()
    make_hostile()
    make_sparse()
    make_runs_only()
    make_bad()
