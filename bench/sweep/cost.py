#!/usr/bin/env python3
"""Cost of a sweep against the single runs it replaces (standard library only).

For each thread count K and point count P, times

  runs   P separate `geosim run FILE --set NAME=v_i -n R -j K --out ...`, one per value
  sweep  one `geosim sweep FILE --vary NAME=v_1,...,v_P -n R -j K --out ...`

over the same P values and replicates, and prints the ratio sweep / runs for wall time
and for CPU time (user + system of the child processes, which the other programs on a
shared machine do not inflate). Each measurement is the best of --repeats tries, the
two kinds taken in turn.

Usage: cost.py GEOSIM [--scenario FILE] [--param NAME=LO:HI] [--points 4,16,64]
               [--threads 1,2] [--replicates 2000] [--repeats 3]
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ints(text):
    return [int(x) for x in text.split(",")]


def timed(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(repeats, first, second):
    """Alternates the two measurements (so that a burst of load elsewhere hits both alike)
    and returns the best (wall, CPU) of each."""
    a, b = [], []
    for _ in range(repeats):
        a.append(first())
        b.append(second())
    return [(min(t[0] for t in x), min(t[1] for t in x)) for x in (a, b)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("geosim")
    ap.add_argument("--scenario", default=os.path.join(
        ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml"))
    ap.add_argument("--param", default="kremlin_resolve=0.3:1")
    ap.add_argument("--points", type=ints, default=[4, 16, 64])
    ap.add_argument("--threads", type=ints, default=[1, 2])
    ap.add_argument("--replicates", type=ints, default=[2000])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    name, _, rng = args.param.partition("=")
    lo, hi = (float(x) for x in rng.split(":"))

    print(f"scenario {os.path.relpath(args.scenario, ROOT)}, parameter {name} in [{lo}, {hi}], "
          f"best of {args.repeats}; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at start")
    print("| threads | points P | replicates | P runs: wall s | sweep: wall s | wall ratio "
          "| P runs: CPU s | sweep: CPU s | CPU ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    tmp = tempfile.mkdtemp(prefix="geosim-bench-sweep-")
    try:
        for reps in args.replicates:
            for k in args.threads:
                for p in args.points:
                    values = [repr(lo + (hi - lo) * i / max(p - 1, 1)) for i in range(p)]
                    common = ["-n", str(reps), "-j", str(k), "--quiet"]

                    def runs():
                        wall = cpu = 0.0
                        for i, v in enumerate(values):
                            w, c = timed([args.geosim, "run", args.scenario, "--set",
                                          f"{name}={v}", "--out", os.path.join(tmp, f"run{i}")]
                                         + common)
                            wall, cpu = wall + w, cpu + c
                        return wall, cpu

                    def sweep():
                        out = os.path.join(tmp, "sweep")
                        shutil.rmtree(out, ignore_errors=True)
                        return timed([args.geosim, "sweep", args.scenario, "--vary",
                                      f"{name}={','.join(values)}", "--out", out] + common)

                    (rw, rc), (sw, sc) = best_of(args.repeats, runs, sweep)
                    print(f"| {k} | {p} | {reps} | {rw:.3f} | {sw:.3f} | {sw / rw:.2f} "
                          f"| {rc:.3f} | {sc:.3f} | {sc / rc:.2f} |", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
