#!/usr/bin/env python3
"""What `import geosim` costs over the command line, on the flagship (docs/performance.md,
"Python"; docs/python.md).

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python/overhead.py build/geosim
           [--replicates N] [--rounds R] [--threads T]

Per round, alternately:
  cli          `geosim run FLAGSHIP -n N --seed 2022 -q --out DIR` as a process
  python       the same from a fresh Python process: import geosim (numpy, pandas),
               load, run, Result.write(DIR)
  import       a fresh Python process that only imports geosim (the interpreter, numpy,
               pandas): what a script pays once, a notebook once per kernel
  in-process   in this process, with the scenario loaded once: Scenario.run (the engine's
               simulation time, Result.wall_seconds, and the rest of the call: the worker
               thread, the 20 ms signal polls, building the result), then the summary,
               trajectories and (a per_run run) runs DataFrames
Processes are timed in wall time and in CPU time (user + system from wait4). The table gives
medians over rounds and the median of the per-round ratios python / cli.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import geosim

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")
SEED = 2022


def timed(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"overhead: {' '.join(cmd)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("geosim")
    ap.add_argument("--replicates", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    n, t = a.replicates, a.threads
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(geosim.__file__)))
    rec = {k: [] for k in ["cli_wall", "cli_cpu", "py_wall", "py_cpu", "ratio_wall", "ratio_cpu",
                           "import_wall", "call", "engine", "summary_df", "traj_df", "runs_call",
                           "runs_engine", "runs_df"]}
    s = geosim.load(FLAGSHIP)
    with tempfile.TemporaryDirectory(prefix="geosim-bench-python-") as d:
        script = (f"import geosim; geosim.load({FLAGSHIP!r}).run(replicates={n}, seed={SEED}, "
                  f"threads={t}).write({os.path.join(d, 'py')!r}, overwrite=True)")
        for _ in range(a.rounds):
            cw, cc = timed([a.geosim, "run", FLAGSHIP, "-n", str(n), "--seed", str(SEED), "-j",
                            str(t), "-q", "--out", os.path.join(d, "cli")])
            pw, pc = timed([sys.executable, "-c", script], env)
            rec["cli_wall"].append(cw), rec["cli_cpu"].append(cc)
            rec["py_wall"].append(pw), rec["py_cpu"].append(pc)
            rec["ratio_wall"].append(pw / cw), rec["ratio_cpu"].append(pc / cc)
            rec["import_wall"].append(timed([sys.executable, "-c", "import geosim"], env)[0])

            t0 = time.perf_counter()
            r = s.run(replicates=n, seed=SEED, threads=t)
            rec["call"].append(time.perf_counter() - t0)
            rec["engine"].append(r.wall_seconds)
            t0 = time.perf_counter()
            r.summary
            rec["summary_df"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            r.trajectories
            rec["traj_df"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rr = s.run(replicates=n, seed=SEED, threads=t, per_run=True)
            rec["runs_call"].append(time.perf_counter() - t0)
            rec["runs_engine"].append(rr.wall_seconds)
            t0 = time.perf_counter()
            rr.runs
            rec["runs_df"].append(time.perf_counter() - t0)
        files = [open(os.path.join(d, x, "summary.csv"), "rb").read() for x in ["cli", "py"]]
        same = files[0] == files[1]
    m = {k: statistics.median(v) for k, v in rec.items()}
    ms = lambda x: f"{1000 * x:8.1f} ms"
    print(f"flagship, {n} replicates, seed {SEED}, threads {t or 'all'} ({os.cpu_count()} cores), "
          f"median of {a.rounds} rounds; summary.csv identical: {same}")
    print(f"  process  cli     wall {ms(m['cli_wall'])}  cpu {ms(m['cli_cpu'])}")
    print(f"  process  python  wall {ms(m['py_wall'])}  cpu {ms(m['py_cpu'])}  "
          f"(ratio to cli: wall {m['ratio_wall']:.2f}x, cpu {m['ratio_cpu']:.2f}x)")
    print(f"  process  import geosim only  wall {ms(m['import_wall'])}")
    print(f"  in-process run()        {ms(m['call'])}  of which engine {ms(m['engine'])}, "
          f"rest {ms(m['call'] - m['engine'])}")
    print(f"  in-process summary DataFrame {ms(m['summary_df'])}, trajectories {ms(m['traj_df'])}")
    print(f"  in-process run(per_run=True) {ms(m['runs_call'])}  of which engine "
          f"{ms(m['runs_engine'])}; runs DataFrame {ms(m['runs_df'])}")


if __name__ == "__main__":
    main()
