#!/usr/bin/env python3
"""The shape suite: geosim against hand-written scalar twins (bench/shapes/README.md).

    bench/shapes/run.py BUILD_DIR [--repeats R] [--shapes a,b,...] [--scale S] [--no-check]

For every shape, R rounds of: the hand-written twin, geosim on 1 thread, geosim on 2
threads, each in its own process (so each one's peak memory is its own), the order of the
first two alternating from round to round (A/B, B/A, ...). Ratios are taken within a round
(neighbours in time) and the median over rounds is reported with its spread, because the
machine is shared. Then geosim once more at twice the replicates on 2 threads, to show
that peak memory does not grow with the replicate count, and (unless --no-check) the
agreement check of outcome means at the full size. Prints a Markdown table.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time


def run_child(cmd):
    """Runs cmd, returns (parsed JSON of its stdout, peak resident memory in MB)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.stdout.read(), p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"run.py: {' '.join(cmd)} failed ({p.returncode}): {err.decode()}")
    return json.loads(out), usage.ru_maxrss / 1024.0


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", help="the build folder (holding bench/shapes/bench_shapes)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--shapes", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every replicate count")
    ap.add_argument("--no-check", action="store_true", help="skip the agreement check")
    ap.add_argument("--json", help="also write the raw measurements here")
    a = ap.parse_args()
    exe = os.path.join(a.build, "bench", "shapes", "bench_shapes")
    if not os.path.exists(exe):
        sys.exit(f"run.py: {exe} not found (cmake --build {a.build} --target bench_shapes)")
    shapes = subprocess.run([exe, "list"], check=True, capture_output=True, text=True).stdout.split()
    if a.shapes:
        wanted = a.shapes.split(",")
        unknown = [s for s in wanted if s not in shapes]
        if unknown:
            sys.exit(f"run.py: unknown shape(s) {unknown}; known: {shapes}")
        shapes = wanted

    print(f"# shape suite, {time.strftime('%Y-%m-%d %H:%M')}, load average at start {loadavg()}, "
          f"{a.repeats} rounds", flush=True)
    rows, raw, ratios_all, failures = [], [], [], []
    for s in shapes:
        base = [exe, "time", "--shape", s]
        n = 0
        if a.scale != 1.0:
            # The scenario's own count, scaled: read it through a geosim run of 1 replicate.
            n = max(256, int(default_replicates(exe, s) * a.scale))
        rep = ["--replicates", str(n)] if n else []
        hand, g1, g2 = [], [], []
        for r in range(a.repeats):
            order = ["hand", "g1"] if r % 2 == 0 else ["g1", "hand"]
            for which in order + ["g2"]:
                if which == "hand":
                    hand.append(run_child(base + ["--impl", "hand"] + rep))
                elif which == "g1":
                    g1.append(run_child(base + ["--impl", "geosim", "--threads", "1"] + rep))
                else:
                    g2.append(run_child(base + ["--impl", "geosim", "--threads", "2"] + rep))
        n = g1[0][0]["replicates"]
        steps = g1[0][0]["steps"]
        big, big_mem = run_child(base + ["--impl", "geosim", "--threads", "2",
                                         "--replicates", str(2 * n)])
        wall = lambda xs: [x[0]["seconds"] for x in xs]
        cpu = lambda xs: [x[0]["cpu"] for x in xs]
        ratio = [g / h for g, h in zip(wall(g1), wall(hand))]
        ratio_cpu = [g / h for g, h in zip(cpu(g1), cpu(hand))]
        med = statistics.median(ratio)
        ratios_all.append(med)
        speedup = statistics.median(wall(g1)) / statistics.median(wall(g2))
        rs = n * steps
        row = {
            "shape": s, "replicates": n, "steps": steps,
            "hand_rs": rs / statistics.median(wall(hand)),
            "g1_rs": rs / statistics.median(wall(g1)),
            "ratio": med, "ratio_min": min(ratio), "ratio_max": max(ratio),
            "ratio_cpu": statistics.median(ratio_cpu),
            "speedup": speedup,
            "mem_full": max(m for _, m in g2), "mem_double": big_mem,
            "mem_hand": max(m for _, m in hand),
        }
        rows.append(row)
        raw.append({"shape": s, "hand": hand, "g1": g1, "g2": g2, "double": [big, big_mem]})
        print(f"  {s}: ratio {med:.3f} (rounds {', '.join(f'{x:.3f}' for x in ratio)}), "
              f"2 threads {speedup:.2f}x", flush=True)
        if not a.no_check:
            c = subprocess.run([exe, "check", "--shape", s, "--replicates", str(n)],
                               capture_output=True, text=True)
            if c.returncode != 0:
                failures.append(s)
                print(c.stdout)

    print()
    print("| shape | replicates × steps | hand-written rep-steps/s | geosim 1 thread rep-steps/s "
          "| geosim / hand-written, 1 thread (median; rounds min–max) | CPU-time ratio "
          "| 2 threads / 1 thread | geosim peak MB at N → 2N, 2 threads (hand-written) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['shape']} | {r['replicates']:,} × {r['steps']} | {r['hand_rs']:.3g} "
              f"| {r['g1_rs']:.3g} | **{r['ratio']:.2f}** ({r['ratio_min']:.2f}–{r['ratio_max']:.2f}) "
              f"| {r['ratio_cpu']:.2f} | {r['speedup']:.2f}× "
              f"| {r['mem_full']:.1f} → {r['mem_double']:.1f} ({r['mem_hand']:.1f}) |")
    gm = math.exp(sum(math.log(x) for x in ratios_all) / len(ratios_all))
    gm_cpu = math.exp(sum(math.log(r["ratio_cpu"]) for r in rows) / len(rows))
    gs = math.exp(sum(math.log(r["speedup"]) for r in rows) / len(rows))
    print(f"| **geometric mean** | | | | **{gm:.2f}** | {gm_cpu:.2f} | {gs:.2f}× | |")
    print()
    print(f"load average at end {loadavg()}; goals: every ratio <= 1.0, geometric mean <= 0.7, "
          f"2 threads >= 1.8x, flat memory")
    if not a.no_check:
        print("agreement of outcome means (bench_shapes check at the full size): " +
              ("all shapes agree" if not failures else f"DISAGREE: {failures}"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "raw": raw}, f, indent=1)
    return 1 if failures else 0


def default_replicates(exe, shape):
    j, _ = run_child([exe, "info", "--shape", shape])
    return j["replicates"]


if __name__ == "__main__":
    sys.exit(main())
