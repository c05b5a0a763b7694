#!/usr/bin/env python3
"""SIGINT during `geosim run --out DIR` and `geosim sweep --out DIR` (docs/reliability.md,
"Interrupts"): the process ends promptly with exit 130 and a message on standard error
saying what was kept; every visible file in DIR is complete, and no temporary or partial
file is left. Usage: sigint_test.py GEOSIM"""

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

GEOSIM = os.path.abspath(sys.argv[1])
# Long: its default replicate count would take hours. Short: done in a fraction of a second.
LONG = """geosim: 1
scenario: {id: long-run, steps: 2000, replicates: 4000000000}
parameters: {p: 0.5}
world: {x: 0, y: p}
dynamics:
  - "world.x = world.x + normal(0, 1)"
  - "world.y = world.y * 0.99 + uniform(0, 0.01)"
outcomes: {x: world.x, big: "world.x > 10"}
track: [world.x]
"""
# One block of one replicate over the step limit: minutes inside a single block, so the
# signal must be noticed between steps, not only between blocks.
ENDLESS = """geosim: 1
scenario: {id: endless, steps: 100000000, replicates: 1}
world: {x: 0}
dynamics: ["world.x = world.x * 0.5 + normal(0, 1)"]
outcomes: {x: world.x}
"""
# Blocks of very different lengths: a replicate runs on only if its draw is below 10^-5,
# so about 1 block in 400 holds one that never stops while the others end in a few steps.
# With --per-run and two threads, one thread fills the reorder window with short blocks
# and waits for the long one, which the other thread abandons on SIGINT.
UNEVEN = """geosim: 1
scenario: {id: uneven, steps: 100000000, replicates: 1000000, seed: 3}
world: {x: 0, keep: "uniform(0, 1)"}
dynamics: ["world.x = world.x * 0.5 + normal(0, 1)"]
stop_when: "t > 10 and world.keep > 0.00001"
outcomes: {x: world.x}
"""
SHORT = """geosim: 1
scenario: {id: short-run, steps: 10, replicates: 500}
world: {x: 0}
dynamics: ["world.x = world.x + normal(0, 1)"]
outcomes: {x: world.x}
track: [world.x]
"""
RESULTS = {"summary.csv", "trajectories.csv", "runs.csv", "manifest.json", "report.html",
           "sweep.csv", "sensitivity.csv"}
failures = []


def complete(path):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    if name.endswith(".json"):
        json.loads(data)
        return True
    if data.startswith(b"geosim-sealed "):  # a sweep point file (io/sealed.h)
        header, _, data = data.partition(b"\n")
        fields = header.split(b" ")
        if len(fields) != 5 or int(fields[3]) != len(data) or \
                hashlib.sha256(data).hexdigest().encode() != fields[4]:
            return False
        if name.endswith(".runs.csv") and data == b"":
            return True
    if name.endswith(".csv"):
        if not data.endswith(b"\n"):
            return False
        rows = list(csv.reader(data.decode("utf-8").splitlines()))
        return len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    return data.rstrip().endswith(b"</html>")


def default_sigint():
    # A shell without job control starts background commands with SIGINT ignored, and an
    # ignored signal stays ignored across exec: give the child the default action back.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(label, args, expect_files, expect_message):
    with tempfile.TemporaryDirectory(prefix="geosim-sigint-") as d:
        open(os.path.join(d, "long.yaml"), "w").write(LONG)
        open(os.path.join(d, "short.yaml"), "w").write(SHORT)
        open(os.path.join(d, "endless.yaml"), "w").write(ENDLESS)
        open(os.path.join(d, "uneven.yaml"), "w").write(UNEVEN)
        out = os.path.join(d, "out")
        err_path = os.path.join(d, "stderr")
        with open(err_path, "wb") as err:
            p = subprocess.Popen([GEOSIM] + args + ["--out", out, "--threads", "2", "--quiet"],
                                 cwd=d, stdout=subprocess.DEVNULL, stderr=err,
                                 stdin=subprocess.DEVNULL, preexec_fn=default_sigint)
            time.sleep(2)
            if p.poll() is not None:
                failures.append(f"{label}: geosim ended (exit {p.returncode}) before the signal: "
                                + open(err_path, errors="replace").read()[-500:])
                return
            sent = time.monotonic()
            p.send_signal(signal.SIGINT)
            try:
                code = p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                failures.append(f"{label}: still running 20 s after SIGINT")
                return
        took = time.monotonic() - sent
        err = open(err_path, errors="replace").read()
        names = []
        for root, _, files in os.walk(out):
            names += [os.path.relpath(os.path.join(root, f), out) for f in files]
        visible = sorted(n for n in names if not n.startswith("."))
        hidden = sorted(n for n in names if n.startswith("."))
        print(f"{label}: exit {code} {took:.2f} s after SIGINT; files {visible}, hidden {hidden}")
        print("  stderr: " + err.strip()[-300:].replace("\n", "\n          "))
        if code != 130:
            failures.append(f"{label}: exit {code}; expected 130")
        if not re.search(expect_message, err):
            failures.append(f"{label}: stderr lacks /{expect_message}/")
        if set(visible) != set(expect_files):
            failures.append(f"{label}: files {visible}, expected {sorted(expect_files)}")
        for n in visible:
            if n not in RESULTS:
                failures.append(f"{label}: unexpected file {n}")
            elif not complete(os.path.join(out, n)):
                failures.append(f"{label}: {n} is incomplete")
        for n in hidden:
            # .sweep/ keeps a sweep's finished points for --resume, each written atomically.
            path = os.path.join(out, n)
            if not n.startswith(".sweep/") or re.search(r"tmp|part", n):
                failures.append(f"{label}: temporary file {n} left behind")
            elif os.path.getsize(path) == 0 or (n.endswith(".csv") and not complete(path)):
                failures.append(f"{label}: incomplete point file {n}")


nothing = r"interrupted: scenario 'long-run' did not finish; nothing was written"
interrupt("run", ["run", "long.yaml"], [], nothing)
interrupt("run --per-run", ["run", "long.yaml", "--per-run"], [], nothing)
interrupt("run, first scenario finished", ["run", "short.yaml", "long.yaml"],
          ["summary.csv", "trajectories.csv", "manifest.json"],
          r"interrupted: scenario 'long-run' did not finish; kept the results of 1 finished")
interrupt("run, inside one long block", ["run", "endless.yaml"], [],
          r"interrupted: scenario 'endless' did not finish; nothing was written")
interrupt("run --per-run, a thread waiting for an abandoned block",
          ["run", "uneven.yaml", "--per-run"], [],
          r"interrupted: scenario 'uneven' did not finish; nothing was written")
# Short points, so that some finish before the signal and the one running does not.
interrupt("sweep --per-run", ["sweep", "long.yaml", "-n", "2000", "--vary", "p=0:1:0.001",
                              "--per-run"], [],
          r"interrupted: \d+ of 1001 points finished and are kept in .*\.sweep; .*--resume")
if failures:
    sys.exit("FAIL: " + "\nFAIL: ".join(failures))
print("ok")
