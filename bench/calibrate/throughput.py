#!/usr/bin/env python3
"""Simulated replicate-steps per second inside a calibration against a plain `run` of the
same total work (docs/performance.md, "Calibration").

Usage: throughput.py GEOSIM [--threads N] [--methods abc-smc,pmmh,mle]

Each calibration fits the flagship to its observed timeline
(scenarios/kazakhstan-2022/observed.csv). Its work is every replicate it simulated: the fit
(fit.csv `simulations`), the pilot check (16 x 256 replicates per case) and the posterior
predictive (predictions.csv `replicates`). The plain run simulates that many replicates of the
flagship at its own parameters in one `geosim run`. Both are timed from outside (whole
process); replicate-steps are replicates x the scenario's 30 steps in both.
"""
import argparse
import csv
import os
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")
OBSERVED = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "observed.csv")
FREE = ["--free", "sovereignty_cost", "--free", "consult_value", "--free", "withdraw_days"]
SETTINGS = {
    "abc-smc": ["--particles", "200", "--generations", "5"],
    "pmmh": ["--chains", "4", "--iterations", "300", "--burn-in", "100", "-n", "256"],
    "mle": ["--evaluations", "150", "-n", "2000"],
}
STEPS = 30


def timed(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("geosim")
    ap.add_argument("--threads", default="2")
    ap.add_argument("--methods", default="abc-smc,pmmh,mle")
    a = ap.parse_args()
    print(f"| method | replicates | calibrate s | run s | calibrate Mrep-steps/s | run Mrep-steps/s | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as d:
        for m in a.methods.split(","):
            out = os.path.join(d, m)
            t_cal = timed([a.geosim, "calibrate", FLAGSHIP, "--cases", OBSERVED, *FREE, "--method", m,
                           *SETTINGS[m], "-j", a.threads, "--seed", "1", "--out", out, "-q"])
            with open(os.path.join(out, "fit.csv")) as f:
                sims = int({(r["parameter"], r["statistic"]): r["value"]
                            for r in csv.DictReader(f)}[("", "simulations")])
            with open(os.path.join(out, "predictions.csv")) as f:
                pred = {r["case"]: int(r["replicates"]) for r in csv.DictReader(f)}
            total = sims + 16 * 256 * len(pred) + sum(pred.values())
            t_run = timed([a.geosim, "run", FLAGSHIP, "-n", str(total), "-j", a.threads, "--seed", "1",
                           "-q", "--out", os.path.join(d, m + "-run")])
            rc, rr = total * STEPS / t_cal / 1e6, total * STEPS / t_run / 1e6
            print(f"| {m} | {total:,} | {t_cal:.2f} | {t_run:.2f} | {rc:.2f} | {rr:.2f} | {rc / rr:.2f} |")


if __name__ == "__main__":
    main()
