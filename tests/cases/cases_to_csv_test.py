#!/usr/bin/env python3
"""scripts/cases-to-csv: compiles a case, refuses bad encodings with file:line and exit 2
(writing nothing), strips encodings and outcomes for a second encoder, and reports
agreement per parameter. Usage: cases_to_csv_test.py PATH/TO/cases-to-csv"""
import os
import subprocess
import sys
import tempfile

TOOL = sys.argv[1]
ENCODED = ["patron_presence", "price_offered", "requester_tie", "requester_contested",
           "adversary_state", "adversary_partner", "adversary_backer", "disputed_ground",
           "threat_severity", "threat_trend", "patron_stake", "patron_commitments",
           "patron_domestic", "task_cost_ground", "task_cost_air", "patron_interventionism",
           "patron_capacity", "patron_air_capacity", "alliance_obligation"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def case_text(cid="x-case-1999", value=0.5, extra="", decision="troops", asked="[ground_troops, air_power]"):
    enc = "\n".join(f'  {n}: {{value: {value if n == "threat_severity" else 0.25}, evidence: "a fact [s1]"}}'
                    for n in ENCODED)
    return f"""case: {cid}
title: "test"
request_date: 1999-01-01
requester: "R"
patron: "P"
asked_for: {asked}
knowable_at_request:
  - "a fact [s1]"
decision: {decision}
decision_days: 3
deployment_days: null
sent: "something"
outcome_notes: >
  what followed
confidence: high
sources:
  - {{key: s1, title: "t", url: "https://example.org", date: "undated"}}
# after the fact: the outcome surprised everyone
encoding:
  encoder: A
{enc}
{extra}"""


def run(*args):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as d:
    good = os.path.join(d, "good")
    os.mkdir(good)
    with open(os.path.join(good, "x-case-1999.yaml"), "w") as f:
        f.write(case_text())
    r = run(good)
    check(r.returncode == 0, f"a good case compiles (rc {r.returncode}: {r.stderr})")
    lines = r.stdout.splitlines()
    check(lines[0] == "case,sets,answer,troops_sent,decision_day,first_deployment_day", "header")
    check(len(lines) == 2 and lines[1].startswith("x-case-1999,ask_troops=1 ask_air=1 ask_police=0"), f"row: {lines}")
    check(lines[1].endswith(",troops,1,3,"), f"observed columns: {lines[1]}")
    check("threat_severity=0.5 " in lines[1] and "patron_presence=0.25 " in lines[1], "encoded values")

    # --check: up to date -> 0, different -> 1
    out = os.path.join(d, "c.csv")
    check(run("--out", out, good).returncode == 0, "--out writes")
    check(run("--check", out, good).returncode == 0, "--check passes on an up-to-date file")
    with open(out, "a") as f:
        f.write("stale\n")
    check(run("--check", out, good).returncode == 1, "--check fails on a stale file")

    # refusals: exit 2, file:line, nothing written
    bad_cases = {
        "out-of-range": (case_text(value=1.5), ":29: 'threat_severity' = 1.5 is outside its declared range [0, 1]"),
        "unknown": (case_text(extra='  threat_severty: {value: 0, evidence: "x [s1]"}\n'), "unknown parameter 'threat_severty' (did you mean threat_severity?)"),
        "derived": (case_text(extra='  ask_troops: {value: 1, evidence: "x [s1]"}\n'), "'ask_troops' is derived from asked_for"),
        "label": (case_text(decision="invasion"), "decision 'invasion' is not one of"),
        "asked": (case_text(asked="[tanks]"), "unknown asked_for item 'tanks'"),
        "evidence": (case_text().replace('evidence: "a fact [s1]"}', 'evidence: "no source"}', 1), "evidence must be one line citing"),
    }
    for name, (text, message) in bad_cases.items():
        folder = os.path.join(d, name)
        os.mkdir(folder)
        with open(os.path.join(folder, "x-case-1999.yaml"), "w") as f:
            f.write(text)
        target = os.path.join(d, name + ".csv")
        r = run("--out", target, folder)
        check(r.returncode == 2, f"{name}: exit 2 (got {r.returncode})")
        check(message in r.stderr and "x-case-1999.yaml:" in r.stderr, f"{name}: message {r.stderr!r}")
        check(not os.path.exists(target), f"{name}: nothing written")
    missing = os.path.join(d, "missing")
    os.mkdir(missing)
    with open(os.path.join(missing, "x-case-1999.yaml"), "w") as f:
        f.write(case_text().replace('  alliance_obligation: {value: 0.25, evidence: "a fact [s1]"}\n', ""))
    r = run(missing)
    check(r.returncode == 2 and "parameter 'alliance_obligation' is not encoded" in r.stderr, f"missing: {r.stderr!r}")
    misnamed = os.path.join(d, "misnamed")
    os.mkdir(misnamed)
    with open(os.path.join(misnamed, "other-1999.yaml"), "w") as f:
        f.write(case_text())
    r = run(misnamed)
    check(r.returncode == 2 and "does not match the file name" in r.stderr, f"misnamed: {r.stderr!r}")
    r = run(os.path.join(d, "nowhere"))
    check(r.returncode == 2 and "no such file or folder" in r.stderr, "missing path")

    # a case without encoding is left out (and an error with --require-encoding)
    unenc = os.path.join(d, "unenc")
    os.mkdir(unenc)
    with open(os.path.join(unenc, "x-case-1999.yaml"), "w") as f:
        f.write(case_text().split("encoding:")[0])
    r = run(unenc)
    check(r.returncode == 0 and r.stdout.count("\n") == 1 and "not encoded yet" in r.stderr, "unencoded left out")
    check(run("--require-encoding", unenc).returncode == 2, "--require-encoding")

    # --facts-only: no encoding, no outcome fields, no closing comment
    r = run("--facts-only", os.path.join(good, "x-case-1999.yaml"))
    check(r.returncode == 0, "--facts-only runs")
    for word in ("encoding", "decision", "sent:", "outcome_notes", "what followed", "surprised", "deployment_days"):
        check(word not in r.stdout, f"--facts-only leaves out {word}")
    for word in ("knowable_at_request", "asked_for", "sources:", "confidence"):
        check(word in r.stdout, f"--facts-only keeps {word}")

    # --agreement: per parameter
    bdir = os.path.join(d, "b")
    os.mkdir(bdir)
    b_enc = case_text(value=1).split("encoding:")[1]
    with open(os.path.join(bdir, "x-case-1999.yaml"), "w") as f:
        f.write("case: x-case-1999\nencoding:" + b_enc)
    r = run("--agreement", "--b-dir", bdir, good)
    check(r.returncode == 0, f"--agreement runs: {r.stderr}")
    rows = {l.split(",")[0]: l for l in r.stdout.splitlines()}
    check(rows.get("threat_severity", "").startswith("threat_severity,1,0.000,0.000,0.500"), f"disagreement row: {rows.get('threat_severity')}")
    check(rows.get("patron_presence", "").startswith("patron_presence,1,1.000,1.000,0.000"), f"agreement row: {rows.get('patron_presence')}")
    # anchor steps: 0.5 -> 1 is two steps on the five-anchor severity scale; kappa needs two cases
    check(rows.get("threat_severity", "").endswith(",0.000,2.000,nan"), f"anchor steps: {rows.get('threat_severity')}")
    check(rows.get("patron_presence", "").endswith(",1.000,0.000,nan"), f"anchor steps (agree): {rows.get('patron_presence')}")
    check("x-case-1999,threat_severity,0.5,1,2.00" in r.stdout.splitlines(), "the pair a full step or more apart is listed")
    check(not any(l.startswith("x-case-1999,patron_presence,") for l in r.stdout.splitlines()), "agreeing pairs are not listed")
    # two cases that agree: kappa 1; a midpoint between anchors is half a step
    two, two_b = os.path.join(d, "two"), os.path.join(d, "two-b")
    os.mkdir(two)
    os.mkdir(two_b)
    for cid, va, vb in (("x-case-1999", 0.5, 0.5), ("y-case-2000", 0.75, 0.875)):
        with open(os.path.join(two, cid + ".yaml"), "w") as f:
            f.write(case_text(cid=cid, value=va))
        with open(os.path.join(two_b, cid + ".yaml"), "w") as f:
            f.write(f"case: {cid}\nencoding:" + case_text(cid=cid, value=vb).split("encoding:")[1])
    r = run("--agreement", "--b-dir", two_b, two)
    check(r.returncode == 0, f"--agreement on two cases runs: {r.stderr}")
    rows = {l.split(",")[0]: l for l in r.stdout.splitlines()}
    check(rows.get("threat_severity", "").startswith("threat_severity,2,0.500,1.000,0.062,"), f"two-case row: {rows.get('threat_severity')}")
    check(rows.get("threat_severity", "").endswith(",1.000,0.250,0.857"), f"half a step and kappa: {rows.get('threat_severity')}")
    check(not any(l.startswith("y-case-2000,") for l in r.stdout.splitlines()), "half a step is not listed")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("all cases-to-csv checks passed")
