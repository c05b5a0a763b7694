#!/usr/bin/env python3
"""Issue 13, item 18: report fixes, each checked in the rendered page (headless Chromium
--dump-dom) and by a screenshot kept in the build folder (issue13-*.png).

 - a probability of 0.04% reads "0.04%" (not "0.0%"), its interval has % signs;
 - the compare section says which input is A and which B;
 - fan-chart ticks of whole-number steps are whole numbers (no "2.5");
 - very small probabilities in a sweep scatter draw no forest of whiskers;
 - yes/no outcomes are drawn once, in "Probabilities at a glance";
 - a batch report sets its scenarios side by side.

Usage: issue13_report_test.py GEOSIM SOURCE_DIR OUT_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

GEOSIM, ROOT, OUT = (os.path.abspath(a) for a in sys.argv[1:4])
SCEN = os.path.join(ROOT, "tests", "data", "good", "contract-example.yaml")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
failures = []


def run(args, cwd):
    r = subprocess.run([GEOSIM] + args, capture_output=True, text=True, cwd=cwd, timeout=300)
    assert r.returncode == 0, (args, r.stderr[-500:])
    return r


def dom(html, name):
    assert CHROMIUM, "chromium is not installed (scripts/setup --test-deps installs it)"
    with tempfile.TemporaryDirectory() as prof:
        base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={prof}"]
        r = subprocess.run(["timeout", "90"] + base + ["--dump-dom", "file://" + html],
                           capture_output=True, text=True)
        png = os.path.join(OUT, f"issue13-{name}.png")
        subprocess.run(["timeout", "90"] + base + ["--window-size=1200,2400",
                        f"--screenshot={png}", "file://" + html], capture_output=True)
    if not os.path.exists(png) or os.path.getsize(png) < 20000:
        failures.append(f"{name}: no screenshot, or a blank one")
    return r.stdout


def check(cond, what):
    if not cond:
        failures.append(what)


def main():
    with tempfile.TemporaryDirectory() as d:
        text = open(SCEN).read()
        rare = text.replace("id: kz-2022-intervention", "id: kz-rare").replace(
            'regime_survives: "world.regime_control > 0.5"',
            'regime_survives: "world.regime_control > 0.5"\n  rare: "world.protest > 0.9"')
        open(os.path.join(d, "rare.yaml"), "w").write(rare)
        run(["run", SCEN, "rare.yaml", "--out", "batch", "-n", "20000", "-q", "--report"], d)
        page = dom(os.path.join(d, "batch", "report.html"), "batch")
        # Small probabilities: a % with its digits, and intervals in %.
        check(not re.search(r"% \(\d[\d.]*\xe2?\u2013\d[\d.]*\)", page),
              "an interval without % signs beside a percentage")
        check("Scenarios side by side" in page, "the batch report has no side-by-side table")
        glance = page.count("Probabilities at a glance")
        check(glance >= 1, "no 'Probabilities at a glance'")
        # Fan-chart ticks: whole numbers of days.
        # Fan-chart ticks of a 5-day scenario: whole days (no "2.5").
        open(os.path.join(d, "short.yaml"), "w").write(text.replace("steps: 30", "steps: 5"))
        run(["run", "short.yaml", "--out", "short", "-n", "500", "-q", "--report"], d)
        fans = re.findall(r'data-chart="fan".*?</svg>',
                          dom(os.path.join(d, "short", "report.html"), "fan"), flags=re.S)
        check(fans, "no fan chart")
        for svg in fans:
            xs = re.findall(r'<text[^>]*text-anchor="middle"[^>]*>([\d.]+)</text>', svg)
            check(xs and all("." not in x for x in xs),
                  f"fan-chart step ticks not whole numbers: {xs}")
        # A probability of 0.04% (summary.csv edited to hold one) reads 0.04%.
        os.mkdir(os.path.join(d, "small"))
        rows = open(os.path.join(d, "batch", "summary.csv")).read().splitlines()
        rows = [r for r in rows if not r.startswith("kz-rare")]
        rows += ["kz-2022-intervention,tiny,probability,0.0004,0.0002,0.0008,20000",
                 "kz-2022-intervention,other,probability,0.3,0.29,0.31,20000"]
        open(os.path.join(d, "small", "summary.csv"), "w").write("\n".join(rows) + "\n")
        run(["report", "small", "-q"], d)
        page = dom(os.path.join(d, "small", "report.html"), "small-probability")
        check("0.04%" in page and "0.02%" in page and "0.08%" in page,
              "0.04% and its interval 0.02%-0.08% are not shown as such")
        check("Its bar is in" in page, "yes/no outcomes repeat their glance bar")

        run(["run", SCEN, "--out", "a", "-n", "3000", "-q"], d)
        run(["run", SCEN, "--out", "b", "-n", "3000", "-q", "--set", "protest0=0.8"], d)
        run(["compare", "a", "b", "--out", "cmp/"], d)
        run(["report", "cmp", "-q"], d)
        page = dom(os.path.join(d, "cmp", "report.html"), "compare")
        check("a/summary.csv" in page and "b/summary.csv" in page,
              "the compare section does not say which run is A and which B")

        run(["sweep", "rare.yaml", "--vary", "protest0=0.3:0.5", "--vary",
             "kremlin_resolve=0.3:1", "--design", "lhs", "--samples", "40", "-n", "300", "-q",
             "--out", "sw", "--report"], d)
        page = dom(os.path.join(d, "sw", "report.html"), "sweep")
        check(") not drawn" in page,
              "the sweep chart of a tiny probability draws a forest of whiskers")
    if failures:
        sys.exit("FAIL: " + "\nFAIL: ".join(failures))
    print("ok")


if __name__ == "__main__":
    main()
