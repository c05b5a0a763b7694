#!/usr/bin/env python3
"""Scenario discovery at scale (docs/performance.md, "Scenario discovery"): `geosim discover`
over N rows x K uniform inputs with a planted box, timed end to end and split into reading
the CSV and the method itself (discover.json's read_seconds and prim_seconds or
cart_seconds). `--method cart` times CART (docs/discovery.md) with its defaults instead of PRIM.

    python3 bench/discover/bench.py build/geosim [--rows 1000000] [--inputs 20] [--method cart]

The data are written once to a temporary folder (standard library only; a fixed seed).
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("geosim")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--inputs", type=int, default=20)
    ap.add_argument("--method", choices=["prim", "cart"], default="prim")
    a = ap.parse_args()
    rnd = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "rows.csv")
        with open(data, "w", encoding="utf-8") as f:
            f.write(",".join(f"x{j + 1}" for j in range(a.inputs)) + ",y\n")
            for _ in range(a.rows):
                x = [rnd.random() for _ in range(a.inputs)]
                inside = 0.2 <= x[0] <= 0.6 and x[1] >= 0.7
                y = 1 if rnd.random() < (0.9 if inside else 0.05) else 0
                f.write(",".join(f"{v:.6f}" for v in x) + f",{y}\n")
        size = os.path.getsize(data)
        out = os.path.join(tmp, "out")
        t0 = time.monotonic()
        p = subprocess.run([a.geosim, "discover", data, "--outcome", "y", "--out", out, "-q",
                            "--method", a.method],
                           capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(p.stderr)
        with open(os.path.join(out, "discover.json"), encoding="utf-8") as f:
            j = json.load(f)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(os.path.join(out, "boxes.csv"), encoding="utf-8") as f:
            box = f.read()
    print(f"rows {a.rows}, inputs {a.inputs}, CSV {size / 1e6:.0f} MB")
    print(f"wall {wall:.2f} s: read {j['read_seconds']:.2f} s, {a.method.upper()} "
          f"{j[a.method + '_seconds']:.2f} s; "
          f"peak memory {peak:.0f} MB")
    print(box)


if __name__ == "__main__":
    main()
