#!/usr/bin/env python3
"""Runs the ```sh blocks of a Markdown page, as the page says a reader can.

Usage:
  docs_examples_test.py --list PAGE.md          the sections (## headings) that hold ```sh
                                                blocks, one slug a line (for CMake)
  docs_examples_test.py PAGE.md SLUG            runs that section's blocks, in order

The geosim binary is taken from the GEOSIM environment variable. A section's blocks run
with `bash -e -o pipefail` in one fresh temporary directory laid out like the repository
root (scenarios/ and scripts/ linked from the source tree, build/geosim linked to
$GEOSIM), so a block sees the files that earlier blocks of its section wrote. A block that
exits non-zero fails the test, with its text and output. ```text and other fences are not
run.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.S | re.M)


def slug(heading):
    return re.sub(r"[^a-z0-9]+", "_", heading.lower()).strip("_")


def sections(text):
    """[(slug, [block, ...])] for every `## ` section holding at least one ```sh block."""
    parts = re.split(r"^## (.*)$", text, flags=re.M)
    found = []
    for heading, body in zip(parts[1::2], parts[2::2]):
        blocks = BLOCK.findall(body)
        if blocks:
            found.append((slug(heading), blocks))
    return found


def run_section(name, blocks):
    with tempfile.TemporaryDirectory() as tmp:
        for d in ("scenarios", "scripts"):
            os.symlink(os.path.join(ROOT, d), os.path.join(tmp, d))
        os.mkdir(os.path.join(tmp, "build"))
        os.symlink(os.path.abspath(os.environ["GEOSIM"]), os.path.join(tmp, "build", "geosim"))
        for i, block in enumerate(blocks, 1):
            t0 = time.perf_counter()
            r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block], cwd=tmp,
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"{name}: block {i} of {len(blocks)} exited {r.returncode}:\n{block}\n"
                         f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")
            print(f"{name}: block {i} ran in {time.perf_counter() - t0:.2f} s")


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--list":
        with open(args[1], encoding="utf-8") as f:
            print("\n".join(name for name, _ in sections(f.read())))
        return
    if len(args) != 2 or "GEOSIM" not in os.environ:
        sys.exit(f"usage: GEOSIM=path/to/geosim {sys.argv[0]} PAGE.md SLUG | --list PAGE.md")
    with open(args[0], encoding="utf-8") as f:
        found = dict(sections(f.read()))
    if args[1] not in found:
        sys.exit(f"{args[0]}: no section '{args[1]}' with ```sh blocks; found {sorted(found)}")
    run_section(args[1], found[args[1]])


if __name__ == "__main__":
    main()
