#!/usr/bin/env python3
"""Runs the Kazakhstan flagship on a design of our own, handed to `geosim sweep --points`.

geosim's built-in designs (grid, lhs, sobol, morris) cover the common cases; any other set
of points can be written as a CSV whose header names the parameters. This script builds
one of two designs over the factors below, writes it to OUT/design.csv, runs

    geosim sweep FLAGSHIP --points OUT/design.csv --out OUT/results

and reads OUT/results/sweep.csv back: one line per point with the probability that CSTO
troops land (`intervention`) and the mean number sent (`troops_sent`).

  factorial  every combination of --levels evenly spaced values per factor; the script
             then prints each factor's main effect (mean probability at its highest level
             minus at its lowest, averaged over the other factors).
  halton     --samples points of the Halton sequence (bases 2, 3, 5, ...), a
             quasi-random set that fills the box evenly.

Standard library only. The binary is $GEOSIM, else build/geosim under the repository.
Exit code: geosim's (1 if some point failed; its row says why), 0 otherwise.
"""
import argparse
import csv
import itertools
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")

# Parameter ranges as `geosim describe` lists them; --factor NAME=LO:HI replaces this set.
DEFAULT_FACTORS = {
    "kremlin_resolve": (0.3, 1.0),
    "ukraine_commitment": (0.0, 1.0),
    "lpg_shock": (0.1, 0.4),
}


def parse_factor(text):
    name, sep, rng = text.partition("=")
    lo, sep2, hi = rng.partition(":")
    try:
        if not (name and sep and sep2):
            raise ValueError
        lo, hi = float(lo), float(hi)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=LO:HI, found '{text}'")
    if not lo < hi:
        raise argparse.ArgumentTypeError(f"expected LO < HI in '{text}'")
    return name, (lo, hi)


def factorial(factors, levels):
    axes = []
    for lo, hi in factors.values():
        # Rounded to 12 digits so that 0.2 + 0.8 * 1/2 is written 0.6, not 0.6000000000000001.
        axes.append([float(f"{lo + (hi - lo) * i / (levels - 1):.12g}") for i in range(levels)])
    return [list(p) for p in itertools.product(*axes)]


def primes(n):
    found = []
    k = 2
    while len(found) < n:
        if all(k % p for p in found):
            found.append(k)
        k += 1
    return found


def radical_inverse(i, base):
    x, f = 0.0, 1.0 / base
    while i:
        i, digit = divmod(i, base)
        x += digit * f
        f /= base
    return x


def halton(factors, samples):
    bases = primes(len(factors))
    # Index 0 is the all-zero corner; start at 1 like most implementations.
    return [[lo + (hi - lo) * radical_inverse(i, b) for (lo, hi), b in zip(factors.values(), bases)]
            for i in range(1, samples + 1)]


def write_design(path, names, points):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(names)
        # repr() is the shortest text that reads back to the same double.
        w.writerows([repr(v) for v in p] for p in points)


def read_results(path, names):
    """Returns {point: {"values": [...], "status", "error", "p", "troops"}} from sweep.csv."""
    results = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            r = results.setdefault(int(row["point"]), {
                "values": [float(row[n]) for n in names],
                "status": row["status"],
                "error": row["error"],
            })
            if row["outcome"] == "intervention" and row["statistic"] == "probability":
                r["p"] = float(row["value"])
            if row["outcome"] == "troops_sent" and row["statistic"] == "mean":
                r["troops"] = float(row["value"])
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--design", choices=["factorial", "halton"], default="factorial")
    ap.add_argument("--levels", type=int, default=3, help="factorial: values per factor (>= 2)")
    ap.add_argument("--samples", type=int, default=16, help="halton: number of points")
    ap.add_argument("--factor", type=parse_factor, action="append",
                    help="NAME=LO:HI (repeatable; default: %s)" % ", ".join(DEFAULT_FACTORS))
    ap.add_argument("--replicates", type=int, default=2000)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--out", default="custom-design")
    args = ap.parse_args()
    if args.levels < 2 or args.samples < 1:
        ap.error("--levels must be at least 2 and --samples at least 1")

    factors = dict(args.factor) if args.factor else DEFAULT_FACTORS
    names = list(factors)
    points = factorial(factors, args.levels) if args.design == "factorial" else halton(
        factors, args.samples)

    os.makedirs(args.out, exist_ok=True)
    design_csv = os.path.join(args.out, "design.csv")
    results_dir = os.path.join(args.out, "results")
    write_design(design_csv, names, points)

    geosim = os.environ.get("GEOSIM", os.path.join(ROOT, "build", "geosim"))
    cmd = [geosim, "sweep", FLAGSHIP, "--points", design_csv, "--out", results_dir,
           "--replicates", str(args.replicates), "--quiet"]
    if args.seed is not None:
        cmd += ["--seed", str(args.seed)]
    status = subprocess.run(cmd).returncode
    if status not in (0, 1):  # 1: some point failed, but the others were written
        return status

    results = read_results(os.path.join(results_dir, "sweep.csv"), names)
    if sorted(results) != list(range(len(points))):
        sys.exit(f"sweep.csv has points {sorted(results)}, expected 0..{len(points) - 1}")
    width = max(12, *(len(n) for n in names))
    print(" ".join(n.ljust(width) for n in names), "P(intervention)", "mean troops_sent")
    for i, point in enumerate(points):
        r = results[i]
        if r["values"] != point:  # geosim writes numbers that read back exactly
            sys.exit(f"point {i}: sweep.csv has {r['values']}, the design has {point}")
        cells = " ".join(f"{v:<{width}.6g}" for v in point)
        if r["status"] != "ok":
            print(cells, "failed:", r["error"])
        else:
            print(cells, f"{r['p']:<15.4f}", f"{r['troops']:.0f}")

    if args.design == "factorial":
        print("\nmain effect on P(intervention), highest level minus lowest:")
        for k, name in enumerate(names):
            lo, hi = factors[name]
            at = {lo: [], hi: []}
            for i, point in enumerate(points):
                if point[k] in at and results[i]["status"] == "ok":
                    at[point[k]].append(results[i]["p"])
            if at[lo] and at[hi]:
                effect = sum(at[hi]) / len(at[hi]) - sum(at[lo]) / len(at[lo])
                print(f"  {name:<{width}} {effect:+.4f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
