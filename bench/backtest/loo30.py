#!/usr/bin/env python3
"""Wall and CPU time of a 30-case leave-one-out backtest (issue 11, item 6; docs/performance.md).

Usage: bench/backtest/loo30.py [GEOSIM] [--threads N]...

Two backtests of 30 cases, 30 folds, each fold an mle fit on 29 cases:
  planted   tests/backtest/data (a one-step logit, one free weight; 1,000 replicates per
            case and evaluation, 60 evaluations): the machinery's own cost;
  template  the first 30 cases of scenarios/backtest/whole-base.csv on the request-for-help
            template (90 days, two free weights bar and w_ask; 100 replicates, 100
            evaluations): a realistic fold.
Prints, per backtest and thread count, the wall time, the CPU time (user + system of the
child) and the replicates simulated (folds.csv). On a shared machine the CPU time is the
steadier figure. Standard library only.
"""
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    args = sys.argv[1:]
    geosim = os.path.join(REPO, "build", "geosim")
    if args and not args[0].startswith("--"):
        geosim = args.pop(0)
    threads = [int(a) for a in args[1::2]] if args[:1] == ["--threads"] else [1, 2]
    tmp = tempfile.mkdtemp(prefix="geosim-bench-backtest-")
    try:
        base = os.path.join(REPO, "scenarios", "backtest", "whole-base.csv")
        thirty = os.path.join(tmp, "thirty.csv")
        with open(base) as f, open(thirty, "w") as g:
            lines = f.read().splitlines()
            g.write("\n".join(lines[:31]) + "\n")
        runs = {
            "planted": [os.path.join(REPO, "tests", "backtest", "data", "planted-cases.csv"),
                        "--template", os.path.join(REPO, "tests", "backtest", "data", "planted.yaml"),
                        "--free", "w", "--replicates", "1000", "--evaluations", "60"],
            "template": [thirty, "--template",
                         os.path.join(REPO, "scenarios", "templates", "request-for-help.yaml"),
                         "--outcome", "answer", "--positive", "troops", "--free", "bar", "--free",
                         "w_ask", "--replicates", "100", "--evaluations", "100"],
        }
        print("backtest,threads,folds,wall_seconds,cpu_seconds,replicates")
        for name, spec in runs.items():
            for t in threads:
                out = os.path.join(tmp, f"{name}-{t}")
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run([geosim, "backtest"] + spec + ["--no-profile", "--seed", "1",
                               "--threads", str(t), "--quiet", "--out", out], check=True)
                wall = time.perf_counter() - t0
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                with open(os.path.join(out, "folds.csv")) as f:
                    folds = list(csv.DictReader(f))
                reps = sum(int(r["simulations"]) for r in folds)
                print(f"{name},{t},{len(folds)},{wall:.2f},{cpu:.2f},{reps}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
