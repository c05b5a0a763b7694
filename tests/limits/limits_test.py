#!/usr/bin/env python3
"""Limits: hostile or enormous inputs get a clear message and exit 2, in bounded time and
memory (docs/reliability.md, "Limits"). Usage: limits_test.py GEOSIM CASE; `list` prints
the cases. Each case builds its input in a fresh temporary folder, runs the geosim
binary, and checks the exit code, a fragment of the message on standard error, the wall
time and the child's peak resident memory."""

import os
import random
import resource
import subprocess
import sys
import tempfile
import time

HEADER = "geosim: 1\nscenario: {id: limits, steps: 3}\n"
# Peak memory and time any case may use; ASan/UBSan builds (scripts/sanitize) get three
# times the memory and five times the time. The bounds still catch anything proportional
# to a huge input.
MAX_RSS_MB = 1024
MAX_SECONDS = 30


def write(folder, name, data):
    path = os.path.join(folder, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    return path


LAST_STDERR = [""]


def sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def geosim(binary, args, expect_code, expect_text, max_seconds=MAX_SECONDS, address_space_gb=None):
    """Runs geosim; fails the case unless the exit code is expect_code (or one of them),
    stderr contains expect_text, and time and peak memory stay within bounds. With
    address_space_gb (ignored under ASan, which reserves terabytes), a runaway
    allocation fails inside geosim instead of exhausting the machine."""
    def cap():
        limit = address_space_gb << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    slow = sanitized(binary)
    limited = address_space_gb is not None and not slow
    if slow:  # ASan/UBSan: several times slower and larger
        max_seconds *= 5
    start = time.monotonic()
    try:
        p = subprocess.run([binary] + args, capture_output=True, timeout=max_seconds * 2,
                           stdin=subprocess.DEVNULL, preexec_fn=cap if limited else None)
    except subprocess.TimeoutExpired:
        sys.exit(f"FAIL: geosim {' '.join(args)[:200]} did not finish in {max_seconds * 2} s")
    elapsed = time.monotonic() - start
    err = p.stderr.decode("utf-8", "replace")
    LAST_STDERR[0] = err
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shown = " ".join(a if len(a) < 80 else a[:77] + "..." for a in args)
    print(f"geosim {shown}: exit {p.returncode}, {elapsed:.2f} s, peak {rss_mb:.0f} MB")
    print("  stderr: " + err.strip()[:500].replace("\n", "\n          "))
    failures = []
    codes = expect_code if isinstance(expect_code, tuple) else (expect_code,)
    if p.returncode not in codes:
        failures.append(f"exit code {p.returncode}, expected {expect_code}")
    if expect_text not in err:
        failures.append(f"stderr lacks {expect_text!r}")
    if "Sanitizer" in err or "terminate called" in err or "Aborted" in err:
        failures.append("a crash report on stderr")
    if elapsed > max_seconds:
        failures.append(f"took {elapsed:.1f} s, expected under {max_seconds} s")
    max_rss = MAX_RSS_MB * (3 if slow else 1)
    if rss_mb > max_rss:
        failures.append(f"peak memory {rss_mb:.0f} MB, expected under {max_rss} MB")
    if failures:
        sys.exit("FAIL: " + "; ".join(failures))
    return p.returncode


def nested_flow(n):
    return HEADER + "world:\n  x: {init: 0, doc: " + "[" * n + "]" * n + "}\n"


def case_deep_yaml_nesting(binary, d):
    f = write(d, "deep.yaml", nested_flow(100_000))
    geosim(binary, ["validate", f], 2, "nested more than about 500 levels")
    f = write(d, "deep-ok.yaml", nested_flow(400))  # under the limit: an ordinary error
    geosim(binary, ["validate", f], 2, "world.x.doc is a list")


def case_deep_yaml_block_nesting(binary, d):
    lines = [HEADER, "world:\n"]
    lines += ["  " * (i + 1) + f"k{i}:\n" for i in range(5_000)]
    f = write(d, "deep-block.yaml", "".join(lines))
    geosim(binary, ["validate", f], 2, "nested more than about 500 levels")


def case_deep_expression_parentheses(binary, d):
    n = 100_000
    f = write(d, "parens.yaml", HEADER + 'world: {x: 0}\ndynamics: ["world.x = ' + "(" * n + "1" +
              ")" * n + '"]\n')
    geosim(binary, ["validate", f], 2, "parens.yaml:4:")
    if "levels deep" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not name the nesting depth")


def case_deep_expression_unary(binary, d):
    n = 100_000
    f = write(d, "unary.yaml", HEADER + 'world: {x: 0}\ndynamics: ["world.x = ' + "-" * n + '1"]\n')
    geosim(binary, ["validate", f], 2, "unary.yaml:4:")
    if "levels deep" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not name the nesting depth")


def case_long_expression_chain(binary, d):
    n = 1_000_000
    f = write(d, "chain.yaml", HEADER + 'world: {x: 0}\ndynamics: ["world.x = 1' + " + 1" * n +
              '"]\n')
    geosim(binary, ["validate", f], 2, "chain.yaml:4:")
    if "levels deep" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not name the nesting depth")


def case_long_power_chain(binary, d):
    # 2^2^...^2 is right-associative: the parser recursed once per ^ without a guard.
    n = 200_000
    f = write(d, "power.yaml", HEADER + 'world: {x: 0}\ndynamics: ["world.x = 2' + "^2" * n +
              '"]\n')
    geosim(binary, ["validate", f], 2, "power.yaml:4:")
    if "levels deep" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not name the nesting depth")


def case_huge_file(binary, d):
    # 50 MB of world variables: far more YAML nodes than the loader accepts.
    lines = [HEADER, "world:\n"]
    i = 0
    size = 0
    while size < 50 << 20:
        line = f"  v{i:07d}: 0.5\n"
        lines.append(line)
        size += len(line)
        i += 1
    f = write(d, "huge.yaml", "".join(lines))
    geosim(binary, ["validate", f], 2, "YAML nodes")


def case_oversized_file(binary, d):
    f = write(d, "sparse.yaml", HEADER)
    os.truncate(f, 200 << 20)  # sparse: 200 MB on paper, nothing on disk
    geosim(binary, ["validate", f], 2, "above the limit of 64 MiB", max_seconds=5)


def case_alias_bomb(binary, d):
    lines = [HEADER, "bomb:\n", '  a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n']
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n")
    f = write(d, "bomb.yaml", "".join(lines))
    geosim(binary, ["validate", f], 2, "YAML nodes", max_seconds=10)


def case_binary_garbage(binary, d):
    rng = random.Random(7)
    f = write(d, "garbage.yaml", bytes(rng.randrange(256) for _ in range(1 << 20)))
    geosim(binary, ["validate", f], 2, "binary data")


def case_empty_file(binary, d):
    f = write(d, "empty.yaml", "")
    geosim(binary, ["validate", f], 2, "empty.yaml:1:1: the file is empty")


def case_directory_as_file(binary, d):
    geosim(binary, ["validate", d], 2, "is a directory", max_seconds=5)
    geosim(binary, ["run", d], 2, "is a directory", max_seconds=5)


def case_dev_zero(binary, d):
    geosim(binary, ["validate", "/dev/zero"], 2, "/dev/zero", max_seconds=5)
    geosim(binary, ["run", "/dev/zero"], 2, "is not a regular file", max_seconds=5)


def case_missing_file(binary, d):
    geosim(binary, ["run", os.path.join(d, "nope.yaml")], 2, "does not exist", max_seconds=5)


def case_long_extends_chain(binary, d):
    # Issue 13, item 12: 7,000 tiny files each extending the next overflowed the stack
    # after 2.4 GB (the chain was copied at every level: memory grew with its square).
    n = 7_000
    for i in range(n):
        body = HEADER if i == n - 1 else f"geosim: 1\nextends: f{i + 1}.yaml\n"
        write(d, f"f{i}.yaml", body + f"parameters: {{p{i}: {i}}}\n")
    geosim(binary, ["validate", os.path.join(d, "f0.yaml")], 2,
           "more than 100 files deep", max_seconds=10, address_space_gb=4)
    if "f0.yaml:2:10" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not point at the first file's extends")
    # At the limit: 100 files (99 extends) load, quickly and in little memory.
    geosim(binary, ["validate", os.path.join(d, f"f{n - 100}.yaml")], 0, "", max_seconds=10)


def case_alias_bomb_bytes(binary, d):
    # Issue 13, item 14: 2,000 aliases of a 1 MB string are few nodes but 2 GB of text
    # (validate once took 4 GB and 18 s); the expanded size is bounded too.
    big = "x" * (1 << 20)
    lines = [HEADER, f"pad: &s \"{big}\"\n", "bomb: [" + ", ".join(["*s"] * 2000) + "]\n"]
    f = write(d, "bytes-bomb.yaml", "".join(lines))
    geosim(binary, ["validate", f], 2, "bytes once aliases are expanded", max_seconds=5,
           address_space_gb=4)


def fifo(d, name):
    path = os.path.join(d, name)
    os.mkfifo(path)
    return path


def case_inputs_not_regular_files(binary, d):
    # Issue 13, item 13: every input is read as the scenario files are: a device or a FIFO
    # is refused at once (no unbounded read of /dev/zero, no open that waits for a writer).
    f = valid(d)
    points = fifo(d, "points.csv")
    summary = fifo(d, "summary.csv")
    for args in (["sweep", f, "--points", "/dev/zero", "--out", os.path.join(d, "s1")],
                 ["sweep", f, "--points", points, "--out", os.path.join(d, "s2")],
                 ["compare", "/dev/zero", "/dev/zero"],
                 ["compare", summary, summary],
                 ["smp", "/dev/zero"],
                 ["smp", fifo(d, "ktab.csv")]):
        geosim(binary, args, 2, "is not a regular file", max_seconds=5, address_space_gb=4)
    # A finished point of a sweep shard replaced by a link to /dev/zero: resuming the
    # shard, and merging it, refuse it instead of reading without end.
    pts = write(d, "p.csv", "x\n0.5\n0.6\n")
    f = write(d, "sw.yaml", HEADER + "parameters: {x: 0.5}\nworld: {v: x}\noutcomes: {v: world.v}\n")
    shards = [os.path.join(d, f"shard{i}") for i in range(2)]
    for i, out in enumerate(shards):
        geosim(binary, ["sweep", f, "--points", pts, "--out", out, "--replicates", "10",
                        "--shard", f"{i}/2"], 0, "")
    point = os.path.join(shards[0], ".sweep", "point-00000000.csv")
    if not os.path.exists(point):
        sys.exit("FAIL: no point file " + point)
    os.remove(point)
    os.symlink("/dev/zero", point)
    geosim(binary, ["sweep", f, "--points", pts, "--out", shards[0], "--replicates", "10",
                    "--shard", "0/2", "--resume"],
           2, "point-00000000.csv: is not a regular file", max_seconds=5, address_space_gb=4)
    geosim(binary, ["merge"] + shards + ["--out", os.path.join(d, "merged")], 2,
           "point-00000000.csv: ", max_seconds=5, address_space_gb=4)


def no_control_characters(where):
    bad = [c for c in LAST_STDERR[0] if (ord(c) < 32 and c not in "\t\n") or 127 <= ord(c) <= 159]
    if bad:
        sys.exit(f"FAIL: {where}: control characters reached the terminal: {bad[:5]!r}")


def case_terminal_escapes(binary, d):
    # Issue 13, item 15: no text from an input reaches the terminal with control
    # characters in it, whatever the input: YAML escapes, CSV bytes, arguments, and a base
    # file that is not a scenario (its content is not quoted at all).
    f = write(d, "esc.yaml", HEADER.replace("steps: 3}", 'steps: 3, title: "a\\0b\\e[31mred"}'))
    geosim(binary, ["describe", f], 2, "control character U+0000", max_seconds=5)
    no_control_characters("describe")
    summary = write(d, "summary.csv", "scenario,outcome,statistic,value,ci_low,ci_high,replicates\n"
                    "s,o\x1b[2J,mean,1,,,10\n")
    geosim(binary, ["compare", summary, summary], 2, "summary.csv:2:4: the control character U+001B",
           max_seconds=5)
    no_control_characters("compare")
    ktab = write(d, "k.csv", "Scenario,x\x07,\n")
    geosim(binary, ["smp", ktab], 2, "k.csv:1:11: the control character U+0007", max_seconds=5)
    no_control_characters("smp")
    geosim(binary, ["run\x1b]0;title\x07"], 2, "unknown command 'run\\x1B]0;title\\x07'",
           max_seconds=5)
    no_control_characters("an unknown command")
    geosim(binary, ["run", valid(d), "--set", "x\x1b=1"], 2, "--set", max_seconds=5)
    no_control_characters("--set")
    secret = write(d, "secret.txt", "password: hunter2\nkey: swordfish\n")
    child = write(d, "child.yaml", "geosim: 1\nextends: secret.txt\n")
    geosim(binary, ["validate", child], 2, "which is not a scenario file", max_seconds=5)
    if "hunter2" in LAST_STDERR[0] or "swordfish" in LAST_STDERR[0] or "password" in LAST_STDERR[0]:
        sys.exit("FAIL: the base's content was quoted")


def valid(d):
    return write(d, "ok.yaml", HEADER + "world: {x: 0}\noutcomes: {x: world.x}\n")


def case_replicates_flag_too_large(binary, d):
    f = valid(d)
    geosim(binary, ["run", f, "--replicates", "99999999999"], 2, "--replicates", max_seconds=5)
    geosim(binary, ["run", f, "--replicates", "0"], 2, "--replicates", max_seconds=5)
    geosim(binary, ["run", f, "--replicates", "-5"], 2, "replicates", max_seconds=5)
    geosim(binary, ["run", f, "--replicates", "1e30"], 2, "replicates", max_seconds=5)
    geosim(binary, ["run", f, "--replicates", "99999999999999999999999"], 2, "replicates",
           max_seconds=5)


def case_threads_flag_out_of_range(binary, d):
    f = valid(d)
    geosim(binary, ["run", f, "--threads", "5000"], 2, "--threads 5000 is out of range",
           max_seconds=5)
    geosim(binary, ["run", f, "--threads", "-1"], 2, "--threads -1 is out of range", max_seconds=5)


def case_seed_flag_out_of_range(binary, d):
    f = valid(d)
    geosim(binary, ["run", f, "--seed", "99999999999999999999999"], 2, "--seed", max_seconds=5)
    # A negative seed must not wrap around to 2^64 - 1.
    geosim(binary, ["run", f, "--seed", "-1"], 2, "--seed", max_seconds=5)


def case_sweep_designs_too_large(binary, d):
    f = write(d, "sw.yaml", HEADER + "parameters: {p: 0.5, q: 1}\nworld: {x: p}\n"
              "outcomes: {x: world.x}\n")
    out = os.path.join(d, "out")
    for args in (["--vary", "p=0:1:1e-300"],
                 ["--vary", "p=0:1:0.001", "--vary", "q=0:1:0.0001"],
                 ["--design", "lhs", "--vary", "p=0:1", "--samples", "99999999999"],
                 ["--design", "sobol", "--vary", "p=0:1", "--vary", "q=0:1", "--samples",
                  "9999999999999"]):
        geosim(binary, ["sweep", f, "-n", "2", "--quiet", "--out", out] + args, 2,
               "1000000", max_seconds=5)
        if os.path.exists(out) and os.listdir(out):
            sys.exit(f"FAIL: files written: {os.listdir(out)}")


def case_replicates_in_file_too_large(binary, d):
    f = write(d, "reps.yaml", "geosim: 1\nscenario: {id: r, steps: 3, replicates: 99999999999}\n")
    geosim(binary, ["validate", f], 2, "reps.yaml:2:", max_seconds=5)


def case_steps_above_limit(binary, d):
    for steps in ["100000001", "99999999999999999999999", "1e300", "-1", "0"]:
        f = write(d, "steps.yaml", f"geosim: 1\nscenario: {{id: s, steps: {steps}}}\n")
        geosim(binary, ["validate", f], 2, "steps.yaml:2:", max_seconds=5)


def case_steps_at_limit_with_track(binary, d):
    # The largest step count with a tracked expression: refused when the file loads,
    # before any memory is reserved, and nothing is written.
    f = write(d, "track.yaml", "geosim: 1\nscenario: {id: s, steps: 100000000}\n"
              "world: {x: 0}\ntrack: [world.x]\n")
    out = os.path.join(d, "out")
    geosim(binary, ["run", f, "-n", "1", "--threads", "1", "--quiet", "--out", out], 2,
           "track.yaml:4:", max_seconds=10)
    if "above the limit of" not in LAST_STDERR[0]:
        sys.exit("FAIL: the message does not state the limit")
    if os.path.isdir(out) and os.listdir(out):
        sys.exit(f"FAIL: files written: {os.listdir(out)}")


def case_track_memory_bounded(binary, d):
    # 3 million steps with one tracked expression: trajectories would need gigabytes; the
    # address-space cap makes a regression fail inside geosim, not exhaust the machine.
    f = write(d, "track3m.yaml", "geosim: 1\nscenario: {id: s, steps: 3000000}\n"
              "world: {x: 0}\ntrack: [world.x]\n")
    geosim(binary, ["run", f, "-n", "1", "--threads", "1", "--quiet"], 2, "track",
           max_seconds=20, address_space_gb=4)


def case_track_at_limit_fits_in_memory(binary, d):
    # The most step values allowed (20,000), each a continuous variable whose sketch is
    # at its largest: the run must finish within 1 GB (measured: about 330 MB at -j1).
    f = write(d, "track20k.yaml", "geosim: 1\nscenario: {id: s, steps: 20000}\n"
              "world: {x: 0}\ndynamics: [\"world.x = normal(0, 1)\"]\ntrack: [world.x]\n")
    out = os.path.join(d, "out")
    geosim(binary, ["run", f, "-n", "768", "--threads", "1", "--quiet", "--out", out], 0, "",
           max_seconds=60)
    if not os.path.exists(os.path.join(out, "trajectories.csv")):
        sys.exit("FAIL: no trajectories.csv")


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "list":
        print("\n".join(CASES))
        sys.exit(0)
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        sys.exit("usage: limits_test.py GEOSIM CASE (cases: " + ", ".join(CASES) + ")")
    with tempfile.TemporaryDirectory(prefix="geosim-limits-") as folder:
        CASES[sys.argv[2]](sys.argv[1], folder)
    print("ok")
