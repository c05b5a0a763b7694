#!/usr/bin/env python3
"""The cost of storylines on the flagship (docs/performance.md, "Storylines").

Usage: overhead.py GEOSIM [--replicates N] [--rounds R] [--threads T]

Three variants of scenarios/kazakhstan-2022/intervention-request.yaml, each one
`geosim run --out` of the same replicates and seed, written to a temporary folder:
  off      - `storyline: false` (no items: the step loop and the run as before storylines)
  declared - the flagship as shipped (its `storyline:`: 2 events, 3 decisions)
  default  - the default items (every once-event and every decision, any option: 7 events and
             11 decision instances), the most a scenario without `storyline:` costs
The variants run alternately, round after round; each run's CPU time (user + system, from
wait4, so that other processes on a shared machine count less than in wall time) and wall
time are recorded, and the table gives per variant the median over rounds and the median
of the per-round ratios to `off`.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")


def variants(d):
    with open(FLAGSHIP) as f:
        spec = yaml.safe_load(f)
    once = [n for n, e in spec["events"].items() if e.get("once")]
    decisions = list(spec["decisions"])
    files = {}
    for name, story in (("off", "false"),
                        ("default", yaml.safe_dump({"events": once, "decisions": decisions},
                                                   default_flow_style=True).strip())):
        path = os.path.join(d, name + ".yaml")
        with open(path, "w") as f:
            f.write(f"geosim: 1\nextends: {FLAGSHIP}\nstoryline: {story}\n")
        files[name] = path
    files["declared"] = FLAGSHIP
    return files


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)}: failed\n{p.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("geosim")
    ap.add_argument("--replicates", default="200000")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--threads", default="1")
    a = ap.parse_args()
    order = ["off", "declared", "default"]
    cpu = {v: [] for v in order}
    wall = {v: [] for v in order}
    with tempfile.TemporaryDirectory() as d:
        files = variants(d)
        for r in range(a.rounds):
            for v in (order if r % 2 == 0 else order[::-1]):
                c, w = timed([a.geosim, "run", files[v], "-n", a.replicates, "-j", a.threads,
                              "-q", "--out", os.path.join(d, "out-" + v)])
                cpu[v].append(c)
                wall[v].append(w)
        rows = sum(1 for _ in open(os.path.join(d, "out-default", "storylines.csv"))) - 1
    print(f"flagship, {a.replicates} replicates, {a.threads} thread(s), {a.rounds} rounds")
    print("| variant | CPU s (median) | wall s (median) | CPU ratio to off | wall ratio to off |")
    print("| --- | --- | --- | --- | --- |")
    for v in order:
        rc = statistics.median(c / o for c, o in zip(cpu[v], cpu["off"]))
        rw = statistics.median(c / o for c, o in zip(wall[v], wall["off"]))
        print(f"| {v} | {statistics.median(cpu[v]):.3f} | {statistics.median(wall[v]):.3f} | "
              f"{rc:.3f} | {rw:.3f} |")
    print(f"(default items: storylines.csv has {rows} rows)")


if __name__ == "__main__":
    main()
