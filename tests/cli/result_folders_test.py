#!/usr/bin/env python3
"""Issue 13, part B: result folders are owned by one process, published as one unit, never
replace what geosim did not write, never rename over a device or FIFO, are checked for
writability before the work; compare says what differed and picks scenarios by id; run
--out prints its table. One case per ctest (docs/reliability.md, "Issue 13, part B").

Usage: result_folders_test.py list | GEOSIM SOURCE_DIR CASE
"""
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

CASES = ["lock", "stale_lock_after_kill", "disk_full_keeps_old_set", "merge_checks_parts",
         "report_refuses_mixture", "writable_before_run", "foreign_files", "devices_and_fifos",
         "compare_says_what_differed", "compare_picks_scenarios", "run_out_prints_table",
         "damaged_stats_bin", "damaged_sweep_points", "mpi_manifest_records_ranks"]

if sys.argv[1] == "list":
    print("\n".join(CASES))
    sys.exit(0)

GEOSIM, ROOT, CASE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
SCEN = os.path.join(ROOT, "tests", "data", "good", "contract-example.yaml")
FLAGSHIP = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")
WITHDRAWAL = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "withdrawal.yaml")
QUICK = ["-n", "300", "-q"]


def run(args, cwd, timeout=120, **kw):
    return subprocess.run([GEOSIM] + args, capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, **kw)


def ok(r, what):
    assert r.returncode == 0, f"{what}: exit {r.returncode}: {r.stderr[-500:]}"


def refused(r, what, text=""):
    assert r.returncode == 2 and text in r.stderr, \
        f"{what}: exit {r.returncode}, stderr {r.stderr[-500:]!r}; expected exit 2 and {text!r}"


def snapshot(folder):
    out = {}
    for n in sorted(os.listdir(folder)):
        p = os.path.join(folder, n)
        if os.path.isfile(p) and not n.startswith("."):
            with open(p, "rb") as f:
                out[n] = f.read()
    return out


def start_long_run(d, out):
    """A run that takes many seconds, holding `out`; returns once it has started."""
    p = subprocess.Popen([GEOSIM, "run", SCEN, "-n", "4000000000", "-j", "1", "-q", "--out", out],
                         cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        if os.path.exists(os.path.join(d, out)):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    assert p.poll() is None, "the long run ended early"
    return p


def case_lock(d):
    ok(run(["run", SCEN, "--out", "a"] + QUICK, d), "first run")
    ok(run(["run", SCEN, "--out", "b", "--seed", "5"] + QUICK, d), "second run")
    for i in range(2):
        ok(run(["run", SCEN, "--shard", f"{i}/2", "--out", f"s{i}"] + QUICK, d), "shard")
    before = snapshot(os.path.join(d, "a"))
    p = start_long_run(d, "a")
    try:
        for label, args in [
            ("run", ["run", SCEN, "--out", "a"] + QUICK),
            ("sweep", ["sweep", SCEN, "--vary", "protest0=0.3,0.5", "--out", "a"] + QUICK),
            ("merge", ["merge", "s0", "s1", "--out", "a", "-q"]),
            ("compare --out", ["compare", "b", "b", "--out", "a/"]),
            ("compare reading", ["compare", "a", "b"]),
            ("report", ["report", "a", "-q"]),
        ]:
            refused(run(args, d), f"{label} into a folder another process writes",
                    "another geosim process (pid")
        assert snapshot(os.path.join(d, "a")) == before, "a refused command changed the folder"
    finally:
        p.kill()
        p.wait()


def case_stale_lock_after_kill(d):
    p = start_long_run(d, "a")
    p.send_signal(signal.SIGKILL)
    p.wait()
    ok(run(["run", SCEN, "--out", "a"] + QUICK, d), "a run after the holder was killed with -9")


def limit_file_size(nbytes):
    def f():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return f


def case_disk_full_keeps_old_set(d):
    ok(run(["run", FLAGSHIP, WITHDRAWAL, "--out", "a", "--per-run", "--report"] + QUICK, d),
       "first run")
    before = snapshot(os.path.join(d, "a"))
    # Each scenario's part fits under the limit, the joined runs.csv does not: the write
    # fails while runs.csv is written, after summary.csv and trajectories.csv.
    parts = 0
    r = run(["run", FLAGSHIP, WITHDRAWAL, "--out", "probe", "--per-run", "-n", "20000", "-q"], d)
    ok(r, "probe run")
    size = os.path.getsize(os.path.join(d, "probe", "runs.csv"))
    r = run(["run", FLAGSHIP, WITHDRAWAL, "--out", "a", "--per-run", "-n", "20000", "-q",
             "--seed", "9"], d, preexec_fn=limit_file_size(int(size * 0.75)))
    assert r.returncode != 0, "the write should have failed"
    assert snapshot(os.path.join(d, "a")) == before, \
        "a failed write changed the old result set: " + str(
            [n for n in before if snapshot(os.path.join(d, "a")).get(n) != before[n]])
    left = [n for n in os.listdir(os.path.join(d, "a")) if ".tmp." in n or n.endswith(".part")]
    assert not left, f"temporaries left: {left}"
    ok(run(["report", "a", "-q"], d), "report of the kept set")


def shards(d, per_run=True):
    for i in range(2):
        ok(run(["run", SCEN, "--shard", f"{i}/2", "--out", f"s{i}"] + (["--per-run"] if per_run
                                                                        else []) + QUICK, d),
           "shard")


def case_merge_checks_parts(d):
    shards(d)
    ok(run(["merge", "s0", "s1", "--out", "m", "-q"], d), "first merge")
    before = snapshot(os.path.join(d, "m"))
    part = [n for n in os.listdir(os.path.join(d, "s1")) if n.endswith(".part")][0]
    path = os.path.join(d, "s1", part)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[:len(data) // 2])
    refused(run(["merge", "s0", "s1", "--out", "m", "-q"], d), "a truncated part", part)
    assert snapshot(os.path.join(d, "m")) == before, "a refused merge changed the folder"
    with open(path, "wb") as f:
        f.write(data[:-3] + b"9" + data[-2:])
    refused(run(["merge", "s0", "s1", "--out", "m", "-q"], d), "a changed part", part)
    os.remove(path)
    refused(run(["merge", "s0", "s1", "--out", "m", "-q"], d), "a missing part", part)
    assert snapshot(os.path.join(d, "m")) == before, "a refused merge changed the folder"


def case_report_refuses_mixture(d):
    ok(run(["run", SCEN, "--out", "a"] + QUICK, d), "run a")
    ok(run(["run", SCEN, "--out", "b", "--seed", "4"] + QUICK, d), "run b")
    shutil.copy(os.path.join(d, "b", "summary.csv"), os.path.join(d, "a", "summary.csv"))
    refused(run(["report", "a", "-q"], d), "a folder mixing two results", "summary.csv")
    refused(run(["compare", "a", "b"], d), "compare of a folder mixing two results", "summary.csv")


def unwritable_folder(d):
    if os.geteuid() == 0:
        return "/proc/self"  # root may write anywhere but here
    p = os.path.join(d, "ro")
    os.mkdir(p)
    os.chmod(p, 0o555)
    return p


def case_writable_before_run(d):
    out = unwritable_folder(d)
    t0 = time.time()
    try:
        r = run(["run", SCEN, "-n", "4000000000", "-j", "1", "-q", "--out", out], d, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError("run computed replicates before finding --out unwritable")
    refused(r, "run into an unwritable folder", "cannot write")
    assert time.time() - t0 < 20
    shards(d, per_run=False)
    refused(run(["merge", "s0", "s1", "--out", out], d), "merge into an unwritable folder",
            "cannot write")
    refused(run(["sweep", SCEN, "--vary", "protest0=0.3,0.5", "--out", out] + QUICK, d),
            "sweep into an unwritable folder", "cannot write")


def case_foreign_files(d):
    ok(run(["sweep", SCEN, "--vary", "protest0=0.3,0.5", "--out", "sw"] + QUICK, d), "sweep")
    before = snapshot(os.path.join(d, "sw"))
    refused(run(["run", SCEN, "--out", "sw"] + QUICK, d), "run into a sweep folder", "sweep.csv")
    assert snapshot(os.path.join(d, "sw")) == before
    ok(run(["run", SCEN, "--out", "sw", "--overwrite"] + QUICK, d), "run --overwrite")
    assert not os.path.exists(os.path.join(d, "sw", "sweep.csv"))

    ok(run(["run", SCEN, "--out", "a"] + QUICK, d), "run")
    ok(run(["run", SCEN, "--out", "a", "--seed", "3"] + QUICK, d), "the same command again")
    with open(os.path.join(d, "a", "report.html"), "w") as f:
        f.write("<html>my own notes</html>")
    refused(run(["run", SCEN, "--out", "a"] + QUICK, d), "run over a user's report.html",
            "report.html")
    refused(run(["report", "a", "-q"], d), "report over a user's report.html", "report.html")
    os.remove(os.path.join(d, "a", "report.html"))
    ok(run(["report", "a", "-q"], d), "report")
    ok(run(["report", "a", "-q"], d), "report again over its own file")
    ok(run(["compare", "a", "a", "--out", "a/"], d), "compare into a")
    refused(run(["run", SCEN, "--out", "a"] + QUICK, d), "run over compare.csv", "compare.csv")
    with open(os.path.join(d, "mine.csv"), "w") as f:
        f.write("my,data\n1,2\n")
    refused(run(["compare", "a", "a", "--out", "mine.csv"], d), "compare over a user's file",
            "mine.csv")
    with open(os.path.join(d, "mine.csv")) as f:
        assert f.read() == "my,data\n1,2\n"
    ok(run(["compare", "a", "a", "--out", "mine.csv", "--overwrite"], d), "compare --overwrite")
    # A scenario folder as --out: the user's files stay.
    sc = os.path.join(d, "scen")
    os.mkdir(sc)
    shutil.copy(SCEN, sc)
    with open(os.path.join(sc, "summary.csv"), "w") as f:
        f.write("my notes\n")
    refused(run(["run", os.path.join(sc, "contract-example.yaml"), "--out", "scen"] + QUICK, d),
            "run into a folder holding a user's summary.csv", "not written by geosim")


def case_devices_and_fifos(d):
    ok(run(["run", SCEN, "--out", "a"] + QUICK, d), "run")
    ok(run(["run", SCEN, "--out", "b", "--seed", "4"] + QUICK, d), "run")
    if os.geteuid() == 0:
        # A null device of our own (the same device as /dev/null, made in the temporary
        # folder), so that a failing geosim cannot replace the system's /dev/null.
        null = os.path.join(d, "null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        for args in (["report", "a", "--out", null, "-q"], ["compare", "a", "b", "--out", null]):
            ok(run(args, d, timeout=30), " ".join(args))
            assert stat.S_ISCHR(os.stat(null).st_mode), "the null device was replaced"
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    got = []

    def reader():
        with open(fifo, "rb") as f:
            got.append(f.read())
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    time.sleep(0.2)
    ok(run(["compare", "a", "b", "--out", fifo], d, timeout=30), "compare into a FIFO")
    t.join(10)
    assert got and got[0].startswith(b"outcome,statistic"), got
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced"
    # Nobody reads: refused, not a hang.
    refused(run(["report", "a", "--out", fifo, "-q"], d, timeout=30), "a FIFO nobody reads",
            "FIFO")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    # A result file that is a FIFO is never renamed over, even with --overwrite.
    os.remove(os.path.join(d, "a", "summary.csv"))
    os.mkfifo(os.path.join(d, "a", "summary.csv"))
    for extra in ([], ["--overwrite"]):
        refused(run(["run", SCEN, "--out", "a"] + QUICK + extra, d, timeout=30),
                "run over a FIFO summary.csv", "FIFO")
        assert stat.S_ISFIFO(os.stat(os.path.join(d, "a", "summary.csv")).st_mode)


def case_compare_says_what_differed(d):
    ok(run(["run", SCEN, "--out", "a", "-n", "2000", "-q"], d), "run a")
    ok(run(["run", SCEN, "--out", "b", "-n", "2000", "-q", "--set", "protest0=0.9"], d), "run b")
    r = run(["compare", "a", "b", "--fail-on-difference"], d)
    assert r.returncode == 3, r.stderr
    assert "differ" in r.stderr and "p =" in r.stderr, \
        f"--fail-on-difference said nothing useful: {r.stderr!r}"
    r = run(["compare", "a", "a", "--fail-on-difference"], d)
    assert r.returncode == 0 and "differ" not in r.stderr, r.stderr


def case_compare_picks_scenarios(d):
    with open(SCEN) as f:
        text = f.read()
    variant = os.path.join(d, "variant.yaml")
    with open(variant, "w") as f:  # the same outcomes under another id, protests stronger
        f.write(text.replace("id: kz-2022-intervention", "id: kz-variant")
                .replace("protest0: 0.55", "protest0: 0.9"))
    ok(run(["run", SCEN, variant, "--out", "batch"] + QUICK, d), "batch")
    ok(run(["run", SCEN, "--out", "one"] + QUICK, d), "one")
    ids = []
    with open(os.path.join(d, "batch", "summary.csv")) as f:
        next(f)
        for line in f:
            if line.split(",")[0] not in ids:
                ids.append(line.split(",")[0])
    assert len(ids) == 2, ids
    r = run(["compare", "batch", "--a", ids[0], "--b", ids[1]], d)
    ok(r, "compare two scenarios of one batch")
    assert "/" not in r.stdout.splitlines()[1].split(",")[0], r.stdout[:300]
    r = run(["compare", "one", "batch", "--scenario", ids[0]], d)
    ok(r, "compare --scenario")
    lines = r.stdout.splitlines()[1:]
    assert lines and all(l.split(",")[4] in ("0", "") for l in lines), r.stdout[:500]
    refused(run(["compare", "batch", "--a", "nope", "--b", ids[1]], d), "an unknown id",
            "no scenario 'nope'")


def case_run_out_prints_table(d):
    r = run(["run", SCEN, "--out", "a", "-n", "300"], d)
    ok(r, "run --out")
    assert "mean" in r.stdout and "regime" in r.stdout, f"no table: {r.stdout!r}"
    r = run(["run", SCEN, "--out", "a", "-n", "300", "-q"], d)
    ok(r, "run --out -q")
    assert r.stdout == "", r.stdout


def case_damaged_stats_bin(d):
    """Every bit of stats.bin's first 16 bytes, one bit of every other byte of its header
    line, and 200 bits spread over the rest, flipped one at a time; cut short at 8 places; one byte added: merge refuses each (exit 2) and
    writes nothing. (tests/io Sealed.* flips every bit of a sealed file in-process.)"""
    shards(d, per_run=False)
    ok(run(["merge", "s0", "s1", "--out", "m", "-q"], d), "merge")
    before = snapshot(os.path.join(d, "m"))
    path = os.path.join(d, "s1", "stats.bin")
    with open(path, "rb") as f:
        good = f.read()
    nbits = len(good) * 8
    header = good.index(b"\n") + 1 if b"\n" in good[:300] else 100
    bits = list(range(16 * 8))                           # every bit of the first 16 bytes
    bits += [8 * i + i % 8 for i in range(16, header)]   # one bit of every header byte
    bits += [header * 8 + (k * (nbits - header * 8)) // 200 for k in range(200)]  # spread
    variants = [(f"bit {b}", good[:b // 8] + bytes([good[b // 8] ^ (1 << (b % 8))]) +
                 good[b // 8 + 1:]) for b in sorted(set(bits))]
    variants += [(f"cut to {n} bytes", good[:n]) for n in
                 (0, 1, 20, 100, len(good) // 2, len(good) - 9, len(good) - 1, len(good) - 2)]
    variants += [("one byte added", good + b"\0")]
    bad = []
    for label, data in variants:
        with open(path, "wb") as f:
            f.write(data)
        r = run(["merge", "s0", "s1", "--out", "m", "-q"], d, timeout=60)
        if r.returncode != 2 or "stats.bin" not in r.stderr:
            bad.append(f"{label}: exit {r.returncode} {r.stderr[-200:]!r}")
    with open(path, "wb") as f:
        f.write(good)
    assert not bad, f"{len(bad)} of {len(variants)} damaged files not refused: {bad[:10]}"
    assert snapshot(os.path.join(d, "m")) == before, "a refused merge changed the folder"
    print(f"{len(variants)} damaged stats.bin refused")


def case_damaged_sweep_points(d):
    for i in range(2):
        ok(run(["sweep", SCEN, "--vary", "protest0=0.3,0.5,0.7", "--shard", f"{i}/2", "--out",
                f"w{i}"] + QUICK, d), "sweep shard")
    sweep_dir = os.path.join(d, "w1", ".sweep")
    point = sorted(n for n in os.listdir(sweep_dir) if n.startswith("point-"))[0]
    path = os.path.join(sweep_dir, point)
    with open(path, "rb") as f:
        good = f.read()
    bad = []
    for label, data in [("a flipped bit in the header", bytes([good[3] ^ 4]) + good[4:]
                         if False else good[:3] + bytes([good[3] ^ 4]) + good[4:]),
                        ("a flipped bit in a number", good[:-10] + bytes([good[-10] ^ 1]) +
                         good[-9:]),
                        ("cut short", good[:len(good) // 2]),
                        ("a row added", good + good[good.index(b"\n") + 1:])]:
        with open(path, "wb") as f:
            f.write(data)
        r = run(["merge", "w0", "w1", "--out", "m", "-q"], d)
        if r.returncode != 2 or point not in r.stderr:
            bad.append(f"merge, {label}: exit {r.returncode} {r.stderr[-200:]!r}")
        if os.path.exists(os.path.join(d, "m", "sweep.csv")):
            bad.append(f"merge, {label}: wrote sweep.csv")
        r = run(["sweep", SCEN, "--vary", "protest0=0.3,0.5,0.7", "--shard", "1/2", "--out",
                 "w1", "--resume"] + QUICK, d)
        if r.returncode != 2 or point not in r.stderr:
            bad.append(f"--resume, {label}: exit {r.returncode} {r.stderr[-200:]!r}")
    assert not bad, bad


def case_mpi_manifest_records_ranks(d):
    mpirun = shutil.which("mpirun")
    ok(run(["run", SCEN, "--out", "one"] + QUICK, d), "run")
    with open(os.path.join(d, "one", "manifest.json")) as f:
        assert json.load(f).get("ranks") == 1, "manifest.json has no ranks: 1"
    if not mpirun:
        print("mpirun not installed: the one-process manifest checked only")
        return
    r = subprocess.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2", GEOSIM,
                        "run", SCEN, "--out", "two"] + QUICK, capture_output=True, text=True,
                       cwd=d, timeout=120)
    ok(r, "mpirun -np 2")
    with open(os.path.join(d, "two", "manifest.json")) as f:
        assert json.load(f).get("ranks") == 2, "the MPI manifest does not record 2 ranks"


def main():
    with tempfile.TemporaryDirectory() as d:
        globals()["case_" + CASE](d)
    print("ok")


if __name__ == "__main__":
    main()
