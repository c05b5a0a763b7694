#!/usr/bin/env python3
"""Command-line mistakes found by a review of the docs against the binary: each is refused
with exit 2 and a message, and writes or overwrites nothing; and a reused output folder
describes only its latest result.

Usage: refusals_test.py GEOSIM SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

GEOSIM, ROOT = os.path.abspath(sys.argv[1]), sys.argv[2]
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")
WITHDRAWAL = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "withdrawal.yaml")
failures = []


def run(args, cwd):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, cwd=cwd)


def refused(label, args, text, cwd):
    r = run(args, cwd)
    if r.returncode != 2 or text not in r.stderr:
        failures.append(f"{label}: exit {r.returncode}, stderr {r.stderr.strip()[:300]!r}; "
                        f"expected exit 2 and {text!r}")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    with tempfile.TemporaryDirectory() as d:
        quick = ["-n", "200", "-q"]
        refused("one id twice in a batch", ["run", FLAGSHIP, FLAGSHIP, "--out", "dup"] + quick,
                "is also the id of", d)
        refused("--set on a varied parameter",
                ["sweep", FLAGSHIP, "--vary", "kremlin_resolve=0.3,0.5", "--set",
                 "kremlin_resolve=0.4", "--out", "s1"] + quick, "is also varied by the sweep", d)
        refused("negative --samples",
                ["sweep", FLAGSHIP, "--design", "lhs", "--samples", "-3", "--vary",
                 "kremlin_resolve=0.3:0.5", "--out", "s2"] + quick, "out of range", d)
        refused("--samples with a grid",
                ["sweep", FLAGSHIP, "--samples", "5", "--vary", "kremlin_resolve=0.3,0.5",
                 "--out", "s3"] + quick, "does not apply to a grid", d)
        refused("an abbreviated option", ["run", FLAGSHIP, "--replicate", "10", "-q"],
                "did you mean '--replicates'", d)
        refused("an empty --out", ["run", FLAGSHIP, "--out", ""] + quick, "--out", d)
        with open(os.path.join(d, "p7.csv"), "w") as f:
            f.write("grievance0,lpgshock\n0.5,0.1\n")
        with open(os.path.join(d, "p1.csv"), "w") as f:
            f.write("grievance0\n0.5\n0.99\n")
        refused("--points: an unknown column", ["sweep", FLAGSHIP, "--points", "p7.csv", "--out",
                                                 "s4"] + quick,
                "p7.csv:1:12: scenario 'kz-2022-intervention' has no parameter 'lpgshock' "
                "(did you mean 'lpg_shock'?)", d)
        refused("--points: a value out of range", ["sweep", FLAGSHIP, "--points", "p1.csv",
                                                   "--out", "s5"] + quick,
                "p1.csv:3: parameter 'grievance0' set to 0.99, outside its declared range", d)
        refused("compare: not a summary", ["compare", FLAGSHIP, FLAGSHIP], "not a summary.csv", d)
        for name in ("dup", "s1", "s2", "s3", "s4", "s5"):
            if os.path.exists(os.path.join(d, name)):
                failures.append(f"a refused command created {name}")

        # Outputs that would overwrite an input.
        assert run(["run", FLAGSHIP, "--out", "a"] + quick, d).returncode == 0
        assert run(["run", FLAGSHIP, "--out", "b", "--seed", "5"] + quick, d).returncode == 0
        before = read(os.path.join(d, "a", "summary.csv"))
        refused("compare --out an input", ["compare", "a", "b", "--out", "a/summary.csv"],
                "one of the files compared", d)
        refused("report --out a result file", ["report", "a", "--out", "a/summary.csv"],
                "that the report reads", d)
        if read(os.path.join(d, "a", "summary.csv")) != before:
            failures.append("a/summary.csv was overwritten")

        # Merging run shards into one of them.
        for i in range(2):
            r = run(["run", FLAGSHIP, "--shard", f"{i}/2", "--out", f"r{i}", "--per-run"] + quick, d)
            assert r.returncode == 0, r.stderr
        kept = sorted(os.listdir(os.path.join(d, "r0")))
        refused("merge into a shard folder", ["merge", "r0", "r1", "--out", "r0"],
                "is the shard folder", d)
        if sorted(os.listdir(os.path.join(d, "r0"))) != kept:
            failures.append("the shard folder changed")

        # The largest seed, with --report: the report reads the manifest.
        r = run(["run", FLAGSHIP, "--seed", "18446744073709551615", "--out", "big", "--report"]
                + quick, d)
        if r.returncode != 0:
            failures.append(f"largest seed with --report: exit {r.returncode}: {r.stderr[-300:]}")
        elif b"18446744073709551615" not in read(os.path.join(d, "big", "report.html")):
            failures.append("the report does not show the seed")

        # A reused folder keeps only the latest result's files.
        assert run(["run", FLAGSHIP, "--out", "re", "--per-run", "--report"] + quick,
                   d).returncode == 0
        assert run(["run", WITHDRAWAL, "--out", "re"] + quick, d).returncode == 0
        left = sorted(os.listdir(os.path.join(d, "re")))
        if left != ["manifest.json", "storylines.csv", "summary.csv", "trajectories.csv"]:
            failures.append(f"reused folder holds {left}")
    if failures:
        sys.exit("FAIL: " + "\nFAIL: ".join(failures))
    print("ok")


if __name__ == "__main__":
    main()
