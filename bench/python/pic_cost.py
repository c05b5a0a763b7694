#!/usr/bin/env python3
"""What position-independent code costs the command line (docs/performance.md, "Python").

Building the Python module compiles every library with -fPIC (and
-fno-semantic-interposition; engine/python/python.cmake). This runs the flagship with two
builds of geosim, alternately, and compares their CPU time (user + system, from wait4):

    cmake -S . -B /tmp/build-nopic -DCMAKE_BUILD_TYPE=Release -DGEOSIM_PYTHON=OFF
    cmake --build /tmp/build-nopic -j2 --target geosim
    python3 bench/python/pic_cost.py /tmp/build-nopic/geosim build/geosim
        [--replicates 200000] [--rounds 7] [--threads 1]

and checks that both write the same summary.csv.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")


def cpu(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"pic_cost: {' '.join(cmd)} failed")
    return usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline")
    ap.add_argument("pic")
    ap.add_argument("--replicates", type=int, default=200000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    times = {"baseline": [], "pic": []}
    ratios = []
    with tempfile.TemporaryDirectory(prefix="geosim-bench-pic-") as d:
        for _ in range(a.rounds):
            t = {}
            for name in ["baseline", "pic"]:
                t[name] = cpu([getattr(a, name), "run", FLAGSHIP, "-n", str(a.replicates),
                               "-j", str(a.threads), "-q", "--out", os.path.join(d, name)])
                times[name].append(t[name])
            ratios.append(t["pic"] / t["baseline"])
        same = all(open(os.path.join(d, n, "summary.csv"), "rb").read() ==
                   open(os.path.join(d, "baseline", "summary.csv"), "rb").read()
                   for n in ["pic"])
    print(f"flagship, {a.replicates} replicates, {a.threads} thread(s), {a.rounds} rounds; "
          f"summary.csv identical: {same}")
    for name in ["baseline", "pic"]:
        print(f"  {name:8s} CPU median {statistics.median(times[name]):.3f} s "
              f"(min {min(times[name]):.3f})")
    print(f"  pic / baseline: median of per-round ratios {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
