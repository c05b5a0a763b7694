#!/usr/bin/env python3
"""The baseline and the AVX2 code paths of the lane interpreter and of the Philox batch
(core/isa.h) give the same bytes: every bundled scenario, and the benchmark's dozen actors
with logit decisions, run once as chosen for this CPU and once with GEOSIM_ISA=baseline,
and summary.csv, trajectories.csv and runs.csv must be identical.

Usage: isa_paths_test.py GEOSIM SOURCE_DIR
"""
import glob
import os
import subprocess
import sys
import tempfile

GEOSIM, ROOT = sys.argv[1], sys.argv[2]
FILES = ("summary.csv", "trajectories.csv", "runs.csv")


def run(scenario, out, isa):
    env = dict(os.environ)
    env.pop("GEOSIM_ISA", None)
    if isa:
        env["GEOSIM_ISA"] = isa
    r = subprocess.run([GEOSIM, "run", scenario, "-n", "700", "--seed", "3", "--per-run", "-q",
                        "-j", "2", "--out", out], capture_output=True, text=True, env=env)
    assert r.returncode == 0, (scenario, isa, r.stderr)


def main():
    cpuinfo = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    if " avx2" not in cpuinfo:
        print("this CPU has no AVX2: both runs would take the baseline path; skipped")
        return 77  # ctest: SKIP_RETURN_CODE
    scenarios = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*", "*.yaml")))
    # The historical case files of scenarios/cases/ are facts, not scenarios.
    scenarios = [s for s in scenarios if not s.endswith("common/base.yaml")
                 and os.path.basename(os.path.dirname(s)) != "cases"]
    scenarios.append(os.path.join(ROOT, "bench", "engine", "rivalry.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        for i, s in enumerate(scenarios):
            a, b = os.path.join(tmp, f"{i}-native"), os.path.join(tmp, f"{i}-baseline")
            run(s, a, None)
            run(s, b, "baseline")
            for f in FILES:
                with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
                    assert x.read() == y.read(), f"{f} of {s} differs between the ISA paths"
    print(f"{len(scenarios)} scenarios: the same bytes on both paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
