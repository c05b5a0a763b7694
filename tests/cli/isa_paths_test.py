#!/usr/bin/env python3
"""The baseline, AVX2 and AVX-512 code paths of the lane interpreter, the lane generator
(ARS-7 in software, with AES-NI, with VAES), the normal quantiles and the logit choice
(core/isa.h) give the same bytes: every bundled
scenario, and the benchmark's dozen actors with logit decisions, run as chosen for this CPU
(the widest path it has), with GEOSIM_ISA=avx2 and with GEOSIM_ISA=baseline, and
summary.csv, trajectories.csv and runs.csv must be identical. On a CPU without AVX-512 the
first two runs take the same path; without AVX2 the test is skipped.

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
            a = os.path.join(tmp, f"{i}-native")
            run(s, a, None)
            for isa in ("avx2", "baseline"):
                b = os.path.join(tmp, f"{i}-{isa}")
                run(s, b, isa)
                for f in FILES:
                    with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
                        assert x.read() == y.read(), f"{f} of {s} differs: native vs {isa}"
    print(f"{len(scenarios)} scenarios: the same bytes on every path")
    return 0


if __name__ == "__main__":
    sys.exit(main())
