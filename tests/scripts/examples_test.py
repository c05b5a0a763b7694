#!/usr/bin/env python3
"""Runs the scripts of scripts/examples/ as a user would and checks what they print.

Usage: examples_test.py CASE, with the geosim binary in the GEOSIM environment variable
(the scripts read it too). Each case runs in a fresh temporary directory.

  sweep_flagship       sweep-flagship.sh with its defaults: one line per grid value, in
                       order, each probability in [0, 1], equal to sweep.csv's, and
                       non-decreasing in kremlin_resolve (common random numbers make the
                       curve monotone at any replicate count, not only on average)
  sweep_flagship_bad   an unknown parameter: the script stops with geosim's exit code 2
  custom_factorial     custom_design.py, 2x2 factorial: design.csv holds the 4 points,
                       the table lists them with probabilities, the main effects have the
                       model's signs (Moscow's resolve up, its Ukraine commitment down)
  custom_halton        custom_design.py, Halton points: the first ones are the radical
                       inverses 1/2, 1/4, 3/4 (base 2) and 1/3, 2/3, 1/9 (base 3)
  compare_changed      compare-variants.sh with a real change: exit 3, compare.csv flags
                       the intervention probability, with the sign of the change
  compare_unchanged    compare-variants.sh with a parameter set to the value the file
                       gives it: exit 0, identical summaries, no significant row
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(ROOT, "scripts", "examples")


def run(script, args, env_extra, expect):
    env = dict(os.environ, **env_extra)
    cmd = ([sys.executable] if script.endswith(".py") else ["bash"]) + [
        os.path.join(EXAMPLES, script)] + args
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != expect:
        raise AssertionError(f"{script} {args}: exit {r.returncode}, expected {expect}\n"
                             f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")
    return r.stdout


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def table(out):
    """The data lines of a script's table: the lines after the header, up to a blank line."""
    lines = out.splitlines()
    body = []
    for line in lines[1:]:
        if not line.strip():
            break
        body.append(line.split())
    return body


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def test_sweep_flagship():
    out = run("sweep-flagship.sh", [], {"REPLICATES": "300", "SEED": "7", "OUT": "sw"}, 0)
    lines = table(out)
    values = [0.3 + 0.1 * i for i in range(8)]
    check(len(lines) == 8, f"expected 8 lines (0.3:1:0.1), got:\n{out}")
    csv_p = {}
    for r in rows("sw/sweep.csv"):
        if r["outcome"] == "intervention" and r["statistic"] == "probability":
            csv_p[float(r["kremlin_resolve"])] = float(r["value"])
    probs = []
    for line, v in zip(lines, values):
        value, p = float(line[0]), float(line[1])
        check(abs(value - v) < 1e-9, f"value {value}, expected {v}:\n{out}")
        check(0.0 <= p <= 1.0, f"probability {p} outside [0, 1]:\n{out}")
        check(abs(p - csv_p[min(csv_p, key=lambda x: abs(x - value))]) <= 5e-5,
              f"printed {p} for {value}, sweep.csv has {csv_p}")
        probs.append(p)
    check(all(a <= b for a, b in zip(probs, probs[1:])), f"not monotone: {probs}")
    check(probs[-1] > probs[0], f"no increase over the whole range: {probs}")


def test_sweep_flagship_bad():
    run("sweep-flagship.sh", ["kremlin_resolv", "0.3,0.5"], {"REPLICATES": "10", "OUT": "sw"}, 2)


def test_custom_factorial():
    out = run("custom_design.py", [
        "--levels", "2", "--factor", "kremlin_resolve=0.3:1", "--factor",
        "ukraine_commitment=0:1", "--replicates", "300", "--seed", "7", "--out", "cd"
    ], {}, 0)
    design = rows("cd/design.csv")
    expected = [(0.3, 0.0), (0.3, 1.0), (1.0, 0.0), (1.0, 1.0)]
    check([(float(d["kremlin_resolve"]), float(d["ukraine_commitment"])) for d in design]
          == expected, f"design.csv: {design}")
    lines = table(out)
    check(len(lines) == 4, f"expected 4 points:\n{out}")
    for line, (k, u) in zip(lines, expected):
        check((float(line[0]), float(line[1])) == (k, u), f"point order:\n{out}")
        check(0.0 <= float(line[2]) <= 1.0, f"probability outside [0, 1]:\n{out}")
    effects = {l.split()[0]: float(l.split()[1]) for l in out.split("lowest:\n")[1].splitlines()}
    check(effects["kremlin_resolve"] > 0 > effects["ukraine_commitment"], f"effects: {effects}")


def test_custom_halton():
    out = run("custom_design.py", [
        "--design", "halton", "--samples", "3", "--factor", "grievance0=0.3:0.8", "--factor",
        "lpg_shock=0.1:0.4", "--replicates", "100", "--out", "cd"
    ], {}, 0)
    expected = [(0.3 + 0.5 * u, 0.1 + 0.3 * v)
                for u, v in [(1 / 2, 1 / 3), (1 / 4, 2 / 3), (3 / 4, 1 / 9)]]
    design = [(float(d["grievance0"]), float(d["lpg_shock"])) for d in rows("cd/design.csv")]
    check(len(design) == 3 and all(
        abs(a - x) < 1e-12 and abs(b - y) < 1e-12 for (a, b), (x, y) in zip(design, expected)),
          f"design {design}, expected {expected}")
    lines = table(out)
    check(len(lines) == 3 and all(0.0 <= float(l[2]) <= 1.0 for l in lines), out)
    points = sorted({r["point"] for r in rows("cd/results/sweep.csv")})
    check(points == ["0", "1", "2"], f"sweep.csv points: {points}")


def test_compare_changed():
    out = run("compare-variants.sh", ["ukraine_commitment=0.9"],
              {"REPLICATES": "2000", "OUT": "cv"}, 3)
    check("changed the results" in out, out)
    flagged = {(r["outcome"], r["statistic"]): r for r in rows("cv/compare.csv")
               if r["significant"] == "1"}
    row = flagged.get(("intervention", "probability"))
    check(row is not None and float(row["difference"]) < 0,
          f"intervention probability not flagged as lower:\n{out}")


def default_value(parameter):
    """The flagship's own value of `parameter`, as `geosim describe` lists it."""
    flagship = os.path.join(ROOT, "scenarios", "kazakhstan-2022", "intervention-request.yaml")
    text = subprocess.run([os.environ["GEOSIM"], "describe", flagship], capture_output=True,
                          text=True, check=True).stdout
    m = re.search(rf"^  {parameter} = (\S+)", text, re.M)
    check(m is not None, f"describe does not list {parameter}:\n{text}")
    return m.group(1)


def test_compare_unchanged():
    value = default_value("kremlin_resolve")
    out = run("compare-variants.sh", [f"kremlin_resolve={value}"],
              {"REPLICATES": "2000", "OUT": "cv"}, 0)
    check("0 of" in out and "no significant difference" in out, out)
    with open("cv/baseline/summary.csv", encoding="utf-8") as a, \
            open("cv/variant/summary.csv", encoding="utf-8") as b:
        check(a.read() == b.read(), "same seed and values, yet the summaries differ")
    compared = rows("cv/compare.csv")
    check(compared and all(r["significant"] == "0" for r in compared), "a row is significant")


CASES = {name[len("test_"):]: f for name, f in globals().items() if name.startswith("test_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES or "GEOSIM" not in os.environ:
        sys.exit(f"usage: GEOSIM=path/to/geosim {sys.argv[0]} {'|'.join(CASES)}")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        CASES[sys.argv[1]]()
    print("ok")
