#!/usr/bin/env python3
"""A calibration-sized workload: P points x R replicates of the intervention-request
template through `geosim sweep --points`, against one plain `geosim run` of the same total
work (P x R replicates), each timed with its peak memory (docs/performance.md,
"A calibration-sized workload").

    python3 bench/sweep/calibration.py build/geosim [--points 2000] [--replicates 2000] [--threads 1,2]

The points draw the model weights a calibration would fit (w_*, the option values and the
Kremlin's rationality) uniformly within their declared ranges, from a fixed seed. `geosim
calibrate` (engine/calibrate) was being written at the time; a calibration's inner loop is
this sweep.
"""
import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios",
                        "templates", "intervention-request.yaml")
RANGES = {  # name: (min, max), as the template declares them
    "w_stake": (0, 3), "w_threat": (0, 3), "w_align": (0, 3), "w_external": (0, 3),
    "w_forces": (0, 3), "w_cost": (0, 3), "limited_value": (0, 3), "statement_value": (0, 3),
    "consult_value": (0, 3), "moscow_rationality": (0.5, 6),
}
STEPS = 14


def timed(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"calibration.py: {' '.join(cmd)} failed: {err.decode()}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("geosim")
    ap.add_argument("--points", type=int, default=2000)
    ap.add_argument("--replicates", type=int, default=2000)
    ap.add_argument("--threads", default="2")
    a = ap.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        pts = os.path.join(tmp, "points.csv")
        with open(pts, "w") as f:
            f.write(",".join(RANGES) + "\n")
            for _ in range(a.points):
                f.write(",".join(f"{rng.uniform(lo, hi):.6f}" for lo, hi in RANGES.values()) + "\n")
        total = a.points * a.replicates
        print(f"# {a.points} points x {a.replicates} replicates x {STEPS} steps of "
              f"{os.path.relpath(TEMPLATE)}; {time.strftime('%Y-%m-%d %H:%M')}, "
              f"load average {os.getloadavg()[0]:.1f}")
        print("| threads | what | wall s | CPU s | replicate-steps/s (wall) | peak MB |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
        for t in [int(x) for x in a.threads.split(",")]:
            for what, cmd in [
                (f"sweep --points ({a.points} points x {a.replicates})",
                 [a.geosim, "sweep", TEMPLATE, "--points", pts, "-n", str(a.replicates), "-j", str(t),
                  "-q", "--out", os.path.join(tmp, f"sweep{t}")]),
                (f"run -n {total} (the same total)",
                 [a.geosim, "run", TEMPLATE, "-n", str(total), "-j", str(t), "-q", "--out",
                  os.path.join(tmp, f"run{t}")]),
            ]:
                wall, cpu, mem = timed(cmd)
                print(f"| {t} | {what} | {wall:.1f} | {cpu:.1f} | {total * STEPS / wall:.3g} | {mem:.1f} |",
                      flush=True)


if __name__ == "__main__":
    main()
