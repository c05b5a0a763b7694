#!/usr/bin/env python3
"""Runs one bundled scenario (or the backtest) and compares its CSV with a golden file.

    check_golden.py --golden FILE -- COMMAND...   runs COMMAND with OUT replaced by a
                                                  temporary folder and compares
                                                  OUT/summary.csv with FILE
    check_golden.py --golden FILE --file-arg -- COMMAND...
                                                  the same, but OUT is a temporary file
                                                  path and that file is compared

The comparison is byte for byte; on a difference the unified diff is printed and the
exit code is 1. Regenerate goldens with scripts/update-goldens. Standard library only.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", required=True)
    ap.add_argument("--file-arg", action="store_true")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    tmp = tempfile.mkdtemp(prefix="geosim-golden-")
    try:
        out = os.path.join(tmp, "out.csv") if args.file_arg else os.path.join(tmp, "out")
        cmd = [out if c == "OUT" else c for c in cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}{proc.stderr}")
            return 1
        produced = out if args.file_arg else os.path.join(out, "summary.csv")
        with open(produced, "rb") as f:
            got = f.read()
        try:
            with open(args.golden, "rb") as f:
                want = f.read()
        except OSError:
            print(f"missing golden file {args.golden}; run scripts/update-goldens")
            return 1
        if got == want:
            return 0
        diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(),
                                    args.golden, "this run", lineterm="")
        print("\n".join(diff))
        print(f"\n{args.golden} differs; if the change is intended, run scripts/update-goldens")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
