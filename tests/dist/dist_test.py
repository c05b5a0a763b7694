#!/usr/bin/env python3
"""Scale-out must not change a byte: shards merged and MPI ranks against one process.

Usage: dist_test.py GEOSIM {shards|refusals|sweep_shards|mpi} SCENARIO.yaml
"""
import os
import shutil
import subprocess
import sys
import tempfile

GEOSIM, MODE, SCEN = sys.argv[1], sys.argv[2], sys.argv[3]
FILES = ("summary.csv", "trajectories.csv", "runs.csv", "storylines.csv")
COMMON = ["-n", "2500", "--per-run", "-q", "--seed", "11"]


def run(args, **kw):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, **kw)


def same(a, b):
    for f in FILES:
        with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
            assert x.read() == y.read(), f"{f} differs between {a} and {b}"


def single(tmp):
    out = os.path.join(tmp, "single")
    r = run(["run", SCEN, "--out", out, "-j", "1"] + COMMON)
    assert r.returncode == 0, r.stderr
    return out


def shards(tmp):
    ref = single(tmp)
    for n in (2, 3, 5):
        dirs = []
        for i in range(n):
            d = os.path.join(tmp, f"n{n}-s{i}")
            r = run(["run", SCEN, "--out", d, "--shard", f"{i}/{n}", "-j", "2"] + COMMON)
            assert r.returncode == 0, r.stderr
            dirs.append(d)
        merged = os.path.join(tmp, f"merged{n}")
        r = run(["merge"] + dirs[::-1] + ["--out", merged, "-q"])  # order given does not matter
        assert r.returncode == 0, r.stderr
        same(ref, merged)
    print("shards of 2, 3 and 5 merge to the single-run files")


def refusals(tmp):
    dirs = []
    for i in range(3):
        d = os.path.join(tmp, f"s{i}")
        assert run(["run", SCEN, "--out", d, "--shard", f"{i}/3"] + COMMON).returncode == 0
        dirs.append(d)
    r = run(["merge", dirs[0], dirs[2], "--out", os.path.join(tmp, "m")])
    assert r.returncode == 2 and "1 of 3 shards missing (1)" in r.stderr, r.stderr
    r = run(["merge", dirs[0], dirs[1], dirs[1], dirs[2], "--out", os.path.join(tmp, "m")])
    assert r.returncode == 2 and "is given twice" in r.stderr, r.stderr
    other = os.path.join(tmp, "other")
    assert run(["run", SCEN, "--out", other, "--shard", "1/3", "-n", "999", "-q"]).returncode == 0
    r = run(["merge", dirs[0], other, dirs[2], "--out", os.path.join(tmp, "m")])
    assert r.returncode == 2 and "expected shards of one run" in r.stderr, r.stderr
    r = run(["run", SCEN, "--shard", "3/3", "--out", os.path.join(tmp, "x")])
    assert r.returncode == 2 and "out of range" in r.stderr, r.stderr
    assert not os.path.exists(os.path.join(tmp, "m")), "a refused merge must write nothing"
    print("missing, duplicate and foreign shards refused")


def sweep_shards(tmp):
    # sweep --shard I/N: shards of 2 and 3 merge to the single sweep's files; an unfinished,
    # missing or foreign shard, or a run shard among sweep shards, is refused and the merge
    # writes nothing; an interrupted shard resumes.
    scen = os.path.join(tmp, "scenario.yaml")
    shutil.copy(SCEN, scen)
    design = ["--design", "sobol", "--vary", "protest0=0.3:0.7", "--vary", "kremlin_resolve=0.3:1",
              "--samples", "8", "-n", "400", "--per-run", "-q", "--seed", "5"]
    ref = os.path.join(tmp, "single")
    r = run(["sweep", scen, "--out", ref, "-j", "1"] + design)
    assert r.returncode == 0, r.stderr
    outputs = ("sweep.csv", "sensitivity.csv", "runs.csv")
    for n in (2, 3):
        dirs = [os.path.join(tmp, f"n{n}-s{i}") for i in range(n)]
        for i, d in enumerate(dirs):
            r = run(["sweep", scen, "--out", d, "--shard", f"{i}/{n}", "-j", "2"] + design)
            assert r.returncode == 0, r.stderr
            assert not os.path.exists(os.path.join(d, "sweep.csv")), "a shard assembles nothing"
        merged = os.path.join(tmp, f"merged{n}")
        r = run(["merge"] + dirs[::-1] + ["--out", merged, "-q"])
        assert r.returncode == 0, r.stderr
        for f in outputs:
            with open(os.path.join(ref, f), "rb") as x, open(os.path.join(merged, f), "rb") as y:
                assert x.read() == y.read(), f"{f} differs: {n} sweep shards merged"
        assert not os.path.exists(os.path.join(merged, ".sweep")), "working folder left behind"
    dirs = [os.path.join(tmp, f"n3-s{i}") for i in range(3)]
    m = os.path.join(tmp, "m")

    def refused(args, text):
        r = run(["merge"] + args + ["--out", m])
        assert r.returncode == 2 and text in r.stderr, (args, r.returncode, r.stderr)
        assert not os.path.exists(m), "a refused merge must write nothing"

    refused([dirs[0], dirs[2]], "1 of 3 shards missing (1)")
    r = run(["merge"] + dirs + ["--out", dirs[1]])
    assert r.returncode == 2 and "is the shard folder" in r.stderr, r.stderr
    assert os.listdir(os.path.join(dirs[1], ".sweep")), "the shard's points must survive"
    run_shard = os.path.join(tmp, "run-shard")
    assert run(["run", scen, "--out", run_shard, "--shard", "1/3", "-q"]).returncode == 0
    refused([dirs[0], run_shard, dirs[2]], "is a shard of a sweep; expected shards of one run")
    # --out holding another sweep's kept points: refused, and those points survive.
    other = os.path.join(tmp, "other-sweep")
    r = run(["sweep", scen, "--out", other, "--shard", "1/3", "-q", "--vary", "protest0=0.4,0.5"])
    assert r.returncode == 0, r.stderr
    kept = sorted(os.listdir(os.path.join(other, ".sweep")))
    r = run(["merge"] + dirs + ["--out", other])
    assert r.returncode == 2 and "holds a sweep's working folder" in r.stderr, r.stderr
    assert sorted(os.listdir(os.path.join(other, ".sweep"))) == kept, "kept points were touched"
    # A damaged shard.json.
    bad = os.path.join(tmp, "bad-shard")
    shutil.copytree(dirs[0], bad)
    text = open(os.path.join(bad, "shard.json")).read().replace('"of": 3', '"of": 0')
    open(os.path.join(bad, "shard.json"), "w").write(text)
    refused([bad, dirs[1], dirs[2]], "expected 0 <= shard < of <= 100000")
    # shard.json of one sweep over the points of another (a reused folder).
    reused = os.path.join(tmp, "reused")
    shutil.copytree(dirs[2], reused)
    shutil.copy(os.path.join(other, ".sweep", "key"), os.path.join(reused, ".sweep", "key"))
    refused([dirs[0], dirs[1], reused], "are not those of this folder's shard.json")
    # --shard 0/1 is a shard too: it keeps its points for geosim merge.
    one = os.path.join(tmp, "one")
    r = run(["sweep", scen, "--out", one, "--shard", "0/1"] + design)
    assert r.returncode == 0, r.stderr
    assert os.path.exists(os.path.join(one, "shard.json")), os.listdir(one)
    r = run(["merge", one, "--out", os.path.join(tmp, "one-merged"), "-q"])
    assert r.returncode == 0, r.stderr
    with open(os.path.join(ref, "sweep.csv"), "rb") as x:
        with open(os.path.join(tmp, "one-merged", "sweep.csv"), "rb") as y:
            assert x.read() == y.read(), "a 0/1 shard merged differs from the sweep"
    # An unfinished shard: one point file gone.
    point = os.path.join(dirs[1], ".sweep", "point-00000001.csv")
    os.rename(point, point + ".away")
    refused(dirs, "did not finish point 1")
    os.rename(point + ".away", point)
    # The scenario changed after the shards ran.
    with open(scen, "a") as f:
        f.write("# edited\n")
    refused(dirs, "the scenario files changed since the shards ran")
    shutil.copy(SCEN, scen)
    r = run(["merge"] + dirs + ["--out", m, "-q"])
    assert r.returncode == 0, r.stderr
    # --resume on a shard recomputes none of its finished points.
    loud = [a for a in design if a != "-q"]
    r = run(["sweep", scen, "--out", dirs[0], "--shard", "0/3", "--resume"] + loud)
    assert r.returncode == 0 and "11 of 32 points (11 resumed, 0 failed)" in r.stderr, r.stderr
    r = run(["sweep", scen, "--out", os.path.join(tmp, "x"), "--shard", "0/2", "--report"] + design)
    assert r.returncode == 2 and "--report applies to merged results" in r.stderr, r.stderr
    print("sweep shards of 2 and 3 merge to the single sweep's files; bad merges refused")


def mpi(tmp):
    ref = single(tmp)
    mpirun = shutil.which("mpirun")
    assert mpirun, "mpirun not found (scripts/setup installs openmpi-bin)"
    extra = ["--oversubscribe"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
    out = os.path.join(tmp, "mpi")
    r = subprocess.run([mpirun] + extra + ["-np", "2", GEOSIM, "run", SCEN, "--out", out, "-j", "1"] + COMMON,
                       capture_output=True, text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    same(ref, out)
    leftovers = [f for f in os.listdir(out) if f.startswith(".")]
    assert not leftovers, leftovers
    # a sweep spread over ranks
    sweep = ["sweep", SCEN, "--vary", "protest0=0.4,0.5,0.6", "-n", "600", "-q"]
    a, b = os.path.join(tmp, "sw1"), os.path.join(tmp, "sw2")
    assert run(sweep + ["--out", a]).returncode == 0
    r = subprocess.run([mpirun] + extra + ["-np", "2", GEOSIM] + sweep + ["--out", b, "-j", "1"],
                       capture_output=True, text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    with open(os.path.join(a, "sweep.csv"), "rb") as x, open(os.path.join(b, "sweep.csv"), "rb") as y:
        assert x.read() == y.read(), "sweep.csv differs under MPI"
    print("mpirun -np 2 run and sweep write the single-process files")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        {"shards": shards, "refusals": refusals, "mpi": mpi, "sweep_shards": sweep_shards}[MODE](tmp)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
