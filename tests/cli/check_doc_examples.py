#!/usr/bin/env python3
"""Runs every complete scenario (a ```yaml block starting with `geosim: 1`) in a doc.

Each must validate and run with a few replicates; blocks that are fragments of a file are
checked by embedding them in docs/format.md's complete examples instead.
Usage: check_doc_examples.py GEOSIM DOC.md
"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    geosim, doc = sys.argv[1], sys.argv[2]
    text = open(doc, encoding="utf-8").read()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    full = [b for b in blocks if b.lstrip().startswith("geosim: 1") and "extends:" not in b]
    if not full:
        print(f"no complete examples in {doc}")
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, block in enumerate(full):
            path = os.path.join(tmp, f"example-{i}.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(block)
            for args in (["validate", path], ["run", path, "--replicates", "300", "--quiet"]):
                r = subprocess.run([geosim] + args, capture_output=True, text=True)
                if r.returncode != 0:
                    failed += 1
                    print(f"example {i} ({block.splitlines()[2].strip()}): geosim {args[0]} exited {r.returncode}\n{r.stderr}")
        print(f"{len(full) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
