"""Runs every ```python block of docs/python.md, in order and in one namespace (a block may
use what an earlier one made), from a temporary folder holding a link to the repository's
scenarios/ (the blocks use relative paths, as a user in the repository's root would).

    PYTHONPATH=build/python /usr/bin/python3 tests/python/docs_examples.py SOURCE_DIR
"""
import os
import re
import sys
import tempfile
import traceback


def main(source):
    with open(os.path.join(source, "docs", "python.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
    if len(blocks) < 4:
        print(f"docs_examples: {len(blocks)} python blocks in docs/python.md; expected 4 or more")
        return 1
    namespace = {"__name__": "__docs__"}
    with tempfile.TemporaryDirectory(prefix="geosim-python-docs-") as d:
        os.symlink(os.path.join(source, "scenarios"), os.path.join(d, "scenarios"))
        os.chdir(d)
        for i, block in enumerate(blocks, start=1):
            try:
                exec(compile(block, f"docs/python.md block {i}", "exec"), namespace)
            except Exception:
                traceback.print_exc()
                print(f"docs_examples: block {i} of docs/python.md failed:\n{block}")
                return 1
        if not os.path.exists(os.path.join(d, "results", "kz", "report.html")):
            print("docs_examples: the first block wrote no results/kz/report.html")
            return 1
    print(f"docs_examples: {len(blocks)} blocks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
