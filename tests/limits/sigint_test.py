#!/usr/bin/env python3
"""SIGINT during `geosim run --out DIR` and `geosim sweep --out DIR`: the process ends
promptly, and DIR holds either complete result files or none. Two behaviours pass (docs/reliability.md, "Interrupts"):
  - handled: exit 130, a message on standard error saying what was kept, no temporary
    or partial files left in DIR;
  - default: death by SIGINT; the atomic writes (io/atomic_file.h) still guarantee that
    no visible result file is partial (hidden .tmp/.part files may remain).
Usage: sigint_test.py GEOSIM"""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

GEOSIM = sys.argv[1]
SCENARIO = """geosim: 1
scenario: {id: long-run, steps: 2000}
parameters: {p: 0.5}
world: {x: 0, y: p}
dynamics:
  - "world.x = world.x + normal(0, 1)"
  - "world.y = world.y * 0.99 + uniform(0, 0.01)"
outcomes: {x: world.x, big: "world.x > 10"}
track: [world.x]
"""
RESULTS = {"summary.csv", "trajectories.csv", "runs.csv", "manifest.json", "report.html",
           "sweep.csv", "sensitivity.csv"}
HIDDEN = re.compile(r"^\..*(tmp|part)")  # temporary files of io/atomic_file.h and RunsWriter
failures = []


def complete(path):
    name = os.path.basename(path)
    data = open(path, "rb").read()
    if name.endswith(".json"):
        json.loads(data)
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


def interrupt(command, extra, label, replicates="100000000"):
    with tempfile.TemporaryDirectory(prefix="geosim-sigint-") as d:
        f = os.path.join(d, "long.yaml")
        open(f, "w").write(SCENARIO)
        out = os.path.join(d, "out")
        err_path = os.path.join(d, "stderr")
        with open(err_path, "wb") as err:
            p = subprocess.Popen([GEOSIM, command, f, "--out", out, "-n", replicates, "--threads",
                                  "2", "--seed", "5"] + extra, stdout=subprocess.DEVNULL,
                                 stderr=err, stdin=subprocess.DEVNULL,
                                 preexec_fn=default_sigint)
            time.sleep(1.5)
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
        names = sorted(os.listdir(out)) if os.path.isdir(out) else []
        visible = [n for n in names if not n.startswith(".")]
        hidden = [n for n in names if n.startswith(".") and n != ".sweep"]
        # .sweep/ holds a sweep's finished points, for --resume: each written atomically.
        points = os.path.join(out, ".sweep")
        if os.path.isdir(points):
            for n in os.listdir(points):
                if HIDDEN.match(n):
                    hidden.append(".sweep/" + n)
                elif os.path.getsize(os.path.join(points, n)) == 0:
                    failures.append(f"{label}: empty point file .sweep/{n}")
        print(f"{label}: exit {code} {took:.2f} s after SIGINT; files {visible}, hidden {hidden}")
        print("  stderr: " + err.strip()[-300:].replace("\n", "\n          "))
        for n in visible:
            if n not in RESULTS:
                failures.append(f"{label}: unexpected file {n} in the output folder")
            elif not complete(os.path.join(out, n)):
                failures.append(f"{label}: {n} is incomplete")
        if code == 130:
            if not re.search(r"interrupt", err, re.I):
                failures.append(f"{label}: exit 130 but no message saying it was interrupted")
            if not re.search(r"kept|nothing (was )?written|no result", err, re.I):
                failures.append(f"{label}: the message does not say what was kept")
            if hidden:
                failures.append(f"{label}: temporary files left after a handled interrupt: "
                                f"{hidden}")
        elif code == -signal.SIGINT:
            for n in hidden:
                if not HIDDEN.match(os.path.basename(n)):
                    failures.append(f"{label}: unexpected hidden file {n}")
        else:
            failures.append(f"{label}: exit {code}; expected 130 (handled) or death by SIGINT")


interrupt("run", [], "run --out")
interrupt("run", ["--per-run"], "run --out --per-run")
# Short points, so that some finish before the signal and some do not.
interrupt("sweep", ["--vary", "p=0:1:0.001", "--per-run"], "sweep --out --per-run", "2000")
if failures:
    sys.exit("FAIL: " + "\nFAIL: ".join(failures))
print("ok")
