#!/usr/bin/env python3
"""End-to-end sweep tests through the geosim binary (standard library only).

  resume  - a sweep killed with SIGKILL mid-way and run again with --resume writes the
            same sweep.csv / sensitivity.csv / runs.csv as an uninterrupted sweep, and
            recomputes no finished point.
  failure - a point whose run produces a NaN is recorded with status=error and the sweep
            finishes the other points, exiting 1.
  hazard  - a grid over a per-step hazard: P(hit within T steps) = 1 - (1 - p)^T at every
            point, within 4 standard errors.
  shares  - sensitivity.csv of a sobol sweep with --second-order over declared
            distributions works on each label share of a cases outcome and on the
            probability of a 0/1 outcome (never on a label index's mean), with S2 rows;
            --per-point-trajectories writes every point's tracked steps.
"""
import csv
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

GEOSIM = sys.argv[1]

HAZARD = """geosim: 1
scenario: {id: hazard, steps: 8, replicates: 4000, seed: 3}
parameters:
  p: {value: 0.1, min: 0, max: 1}
  slow: {value: 0, min: 0, max: 1000}
world: {hit: 0, work: 0}
events:
  strike: {probability: "p", once: true, effects: ["world.hit = 1"]}
dynamics: ["world.work = world.work + normal(0, 1) * slow"]
outcomes:
  hit: "world.hit"
  work: "world.work"
  root: "sqrt(p - 0.35)"
"""


def run(args, **kw):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, **kw)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_resume(tmp, scenario):
    common = ["sweep", scenario, "--vary", "p=0.05:0.3", "--vary", "slow=0:1", "--design", "sobol",
              "--samples", "32", "-n", "3000", "--per-run", "-j", "1", "-q"]
    full = os.path.join(tmp, "full")
    r = run(common + ["--out", full])
    assert r.returncode == 1, (r.returncode, r.stderr)  # `root` is NaN where p < 0.35
    part = os.path.join(tmp, "part")
    proc = subprocess.Popen([GEOSIM] + common + ["--out", part], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    points_dir = os.path.join(part, ".sweep")
    deadline = time.time() + 120
    while time.time() < deadline:
        done = [f for f in os.listdir(points_dir)] if os.path.isdir(points_dir) else []
        if sum(1 for f in done if f.endswith(".csv") and not f.endswith(".runs.csv")) >= 20:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished_before = {f for f in os.listdir(points_dir) if f.startswith("point-") and f.endswith(".csv")}
    stamps = {f: os.stat(os.path.join(points_dir, f)).st_mtime_ns for f in finished_before}
    assert len(finished_before) > 0, "the sweep was killed before any point finished"
    r = run(common + ["--out", part, "--resume"])
    assert r.returncode == 1, (r.returncode, r.stderr)
    for name in ("sweep.csv", "sensitivity.csv", "runs.csv"):
        a, b = read(os.path.join(full, name)), read(os.path.join(part, name))
        assert a == b, f"{name} differs after resume"
    assert not os.path.exists(points_dir), "the working folder should be removed at the end"
    print(f"killed after {len(finished_before)} point files; resumed sweep equals the uninterrupted one")


def test_failure(tmp, scenario):
    out = os.path.join(tmp, "fail")
    r = run(["sweep", scenario, "--vary", "p=0.2,0.4", "-n", "500", "--out", out, "-q"])
    assert r.returncode == 1, (r.returncode, r.stderr)
    table = rows(os.path.join(out, "sweep.csv"))
    status = {(row["point"], row["status"]) for row in table}
    assert ("0", "error") in status and ("1", "ok") in status, status
    err = [row for row in table if row["status"] == "error"][0]
    assert "sqrt(p - 0.35)" in err["error"] and "non-finite" in err["error"], err["error"]
    assert any(row["point"] == "1" and row["outcome"] == "root" for row in table)
    print("failed point recorded; the other point ran")


def test_hazard(tmp, scenario):
    out = os.path.join(tmp, "grid")
    r = run(["sweep", scenario, "--vary", "p=0.35:0.65:0.1", "-n", "4000", "--out", out, "-q"])
    assert r.returncode == 0, r.stderr
    n = 4000
    checked = 0
    for row in rows(os.path.join(out, "sweep.csv")):
        if row["outcome"] == "hit" and row["statistic"] == "probability":
            p = float(row["p"])
            expect = 1 - (1 - p) ** 8
            se = math.sqrt(expect * (1 - expect) / n)
            assert abs(float(row["value"]) - expect) <= 4 * se + 1e-12, (p, row["value"], expect)
            checked += 1
    assert checked == 4, checked
    print("grid of 4 hazards within 4 standard errors")


def test_out_of_range(tmp, scenario):
    # A design leaving a parameter's declared range is refused before anything runs: exit 2,
    # the first offending point and the range in the message, no output folder.
    for design in (["--vary", "p=0.5:1.5:0.5"], ["--design", "lhs", "--samples", "8",
                                                  "--vary", "p=-1:1"]):
        out = os.path.join(tmp, "out-" + design[1])
        r = run(["sweep", scenario, "-n", "100", "-q", "--out", out] + design)
        assert r.returncode == 2, (design, r.returncode, r.stderr)
        assert "outside its declared range [0, 1]" in r.stderr, r.stderr
        assert "sweep point " in r.stderr and " of " in r.stderr, r.stderr
        assert not os.path.exists(out), os.listdir(out)
    r = run(["sweep", scenario, "-n", "100", "-q", "--out", os.path.join(tmp, "g"),
             "--vary", "p=0.5:1.5:0.5"])
    assert "set to 1.5," in r.stderr, r.stderr  # shortest form, not 1.500000


SHARES = """geosim: 1
scenario: {id: shares, steps: 4, replicates: 2000, seed: 5}
parameters:
  p: {value: 0.2, min: 0, max: 1}
  q: {value: 0.2, min: 0, max: 1}
world: {a: 0, b: 0}
events:
  ea: {probability: "p", once: true, effects: ["world.a = 1"]}
  eb: {probability: "q", once: true, effects: ["world.b = 1"]}
track: [world.a]
outcomes:
  both: "world.a * world.b"
  which:
    cases:
      both: "world.a == 1 and world.b == 1"
      one: "world.a == 1 or world.b == 1"
      none: "true"
"""


def test_shares(tmp, scenario):
    path = os.path.join(tmp, "shares.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(SHARES)
    out = os.path.join(tmp, "sobol")
    r = run(["sweep", path, "--design", "sobol", "--samples", "16", "--second-order",
             "--vary", "p=truncnormal(0,0.5,0.2,0.1)", "--vary", "q=beta(2,5)",
             "--per-point-trajectories", "-n", "500", "--out", out, "-q"])
    assert r.returncode == 0, r.stderr
    sens = rows(os.path.join(out, "sensitivity.csv"))
    got = {(x["outcome"], x["statistic"]) for x in sens}
    assert got == {("both", "probability"), ("which", "share:both"), ("which", "share:one"),
                   ("which", "share:none")}, got
    assert all(x["statistic"] != "mean" for x in sens)
    s2 = [x for x in sens if x["index"] == "S2"]
    assert len(s2) == 4 and all(x["parameter"] == "p:q" for x in s2), s2
    points = 16 * (2 * 2 + 2)
    sweep = rows(os.path.join(out, "sweep.csv"))
    ps = [float(x["p"]) for x in sweep if x["statistic"] == "mean"]
    qs = [float(x["q"]) for x in sweep if x["statistic"] == "mean"]
    assert len(ps) == 2 * points and all(0 <= v <= 0.5 for v in ps), len(ps)
    assert all(0 < v < 1 for v in qs)
    traj = rows(os.path.join(out, "trajectories.csv"))
    assert list(traj[0].keys())[:3] == ["point", "scenario", "variable"], traj[0].keys()
    assert len(traj) == points * 4, len(traj)
    assert {int(x["point"]) for x in traj} == set(range(points))
    # With trajectories asked for, a point's world.a at the last step is its P(a) = 1-(1-p)^4.
    for x in traj:
        if x["step"] == "3" and x["point"] == "0":
            p0 = float(sweep[0]["p"])
            expect = 1 - (1 - p0) ** 4
            assert abs(float(x["mean"]) - expect) <= 4 * math.sqrt(expect * (1 - expect) / 500)
    r = run(["sweep", path, "--design", "lhs", "--second-order", "--vary", "p=0:1",
             "--out", os.path.join(tmp, "x"), "-q"])
    assert r.returncode == 2 and "--design sobol" in r.stderr, r.stderr
    print("sensitivity per share and probability, S2 rows, per-point trajectories")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(tmp, "hazard.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(HAZARD)
        {"resume": test_resume, "failure": test_failure, "hazard": test_hazard,
         "range": test_out_of_range, "shares": test_shares}[sys.argv[2]](tmp, scenario)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
