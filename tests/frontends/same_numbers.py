"""One set of numbers whatever the front end (issue 16, item 4): the same scenario,
overrides, seed and replicates give byte-identical summary.csv, trajectories.csv, runs.csv
and storylines.csv from every front end (and for a sweep, sweep.csv and the sweep's
trajectories.csv and runs.csv).

    same_numbers.py run SOURCE_DIR GEOSIM_BINARY WORK_DIR
        for every case below, writes one result folder per front end under WORK_DIR/CASE/
        and compares them
    same_numbers.py compare DIR DIR...
        compares result folders already written (by any front end)

A front end is a function (case, folder, source, binary) in FRONT_ENDS that writes the
result folder of `case`, or returns False when it cannot express the case: the command line,
Python's Result.write, and the folder geosim explore's Save writes (runs only; its runs.csv
is not compared, as the explorer writes none).
Run with the interpreter `import geosim` was built for, PYTHONPATH holding it.
"""

import os
import shutil
import subprocess
import sys

COMPARED = ["summary.csv", "trajectories.csv", "runs.csv", "storylines.csv", "sweep.csv",
            "sensitivity.csv"]

# (name, scenario relative to the source folder, overrides, seed, replicates, per_run, given,
# vary): a case with `vary` ("NAME=SPEC" texts) is a sweep, any other a run.
CASES = [
    ("flagship", "scenarios/kazakhstan-2022/intervention-request.yaml",
     [("grievance0", "0.6"), ("lpg_shock", "0.2")], 7, 3000, True, "", []),
    ("defaults", "scenarios/kazakhstan-2022/intervention-request.yaml", [], None, 1000, True, "",
     []),
    ("discovery-given", "scenarios/kazakhstan-2022/discovery.yaml",
     [("kremlin_resolve", "0.5")], 11, 700, False, "world.coup == 0", []),
    ("sweep", "scenarios/kazakhstan-2022/intervention-request.yaml", [("grievance0", "0.6")], 3,
     300, True, "", ["kremlin_resolve=0.3,0.65,1", "lpg_shock=0.1:0.4:0.15"]),
]


def cli(case, folder, source, binary):
    name, scenario, overrides, seed, replicates, per_run, given, vary = case
    cmd = [binary, "sweep" if vary else "run", os.path.join(source, scenario), "--replicates",
           str(replicates), "-q", "--out", folder]
    for v in vary:
        cmd += ["--vary", v]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    for n, v in overrides:
        cmd += ["--set", f"{n}={v}"]
    if per_run:
        cmd.append("--per-run")
    if given:
        cmd += ["--given", given]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def python(case, folder, source, binary):
    import geosim

    name, scenario, overrides, seed, replicates, per_run, given, vary = case
    s = geosim.load(os.path.join(source, scenario), overrides)
    if vary:
        r = s.sweep(vary, replicates=replicates, seed=seed, per_run=per_run,
                    given=given or None)
    else:
        r = s.run(replicates=replicates, seed=seed, per_run=per_run, given=given or None)
    r.write(folder)


def explorer(case, folder, source, binary):
    """The folder `geosim explore`'s Save button writes: the server is started on a free
    port with the case's replicates and seed, the case's overrides are sent as the page
    sends a slider's value, and Save is asked for over HTTP as the page asks for it. The
    explorer runs one scenario at a time without --per-run or --given, and no sweep: for
    those cases it writes nothing (returns False), and it never writes runs.csv."""
    import json
    import urllib.request

    name, scenario, overrides, seed, replicates, per_run, given, vary = case
    if vary or given:
        return False
    saves = folder + ".saves"
    shutil.rmtree(saves, ignore_errors=True)
    cmd = [binary, "explore", os.path.join(source, scenario), "--port", "0", "--no-open",
           "--replicates", str(replicates), "--save-dir", saves]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = ""
        for line in server.stdout:
            if "http://127.0.0.1:" in line:
                url = line[line.index("http://"):].split()[0].rstrip("/")
                break
        if not url:
            raise RuntimeError("geosim explore printed no URL")
        body = json.dumps({"values": {n: v for n, v in overrides}, "name": "saved"}).encode()
        request = urllib.request.Request(url + "/api/save", data=body, method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "Origin": url})
        with urllib.request.urlopen(request, timeout=120) as response:
            saved = json.load(response)
        shutil.copytree(saved["folder"], folder)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return True


FRONT_ENDS = {"cli": cli, "python": python, "explorer": explorer}


def compare(folders, skip=()):
    """Byte-compares the files of COMPARED (but `skip`) across folders; returns the
    differences."""
    problems = []
    first = folders[0]
    for name in COMPARED:
        if name in skip:
            continue
        present = [os.path.exists(os.path.join(f, name)) for f in folders]
        if not any(present):
            continue
        if not all(present):
            problems.append(f"{name}: only in " +
                            ", ".join(f for f, p in zip(folders, present) if p))
            continue
        with open(os.path.join(first, name), "rb") as f:
            reference = f.read()
        for other in folders[1:]:
            with open(os.path.join(other, name), "rb") as f:
                if f.read() != reference:
                    problems.append(f"{name}: {first} and {other} differ")
    if not any(os.path.exists(os.path.join(first, n)) for n in ["summary.csv", "sweep.csv"]):
        problems.append(f"{first}: neither summary.csv nor sweep.csv")
    return problems


def main(argv):
    if len(argv) >= 3 and argv[0] == "compare":
        problems = compare(argv[1:])
    elif len(argv) == 4 and argv[0] == "run":
        source, binary, work = argv[1:]
        problems = []
        for case in CASES:
            folders, fronts, partial = [], [], []
            for front, write in FRONT_ENDS.items():
                folder = os.path.join(work, case[0], front)
                shutil.rmtree(folder, ignore_errors=True)
                if write(case, folder, source, binary) is False:
                    continue  # this front end cannot express the case
                (partial if front == "explorer" else folders).append(folder)
                fronts.append(front)
            found = compare(folders)
            # The explorer writes no runs.csv: its files are compared with the first folder's,
            # and each of them must be there.
            for folder in partial:
                for needed in ["summary.csv", "trajectories.csv", "storylines.csv"]:
                    if os.path.exists(os.path.join(folders[0], needed)) and \
                            not os.path.exists(os.path.join(folder, needed)):
                        found.append(f"{needed}: not in {folder}")
                found += compare([folders[0], folder], skip=["runs.csv"])
            print(f"{case[0]}: " + ("identical" if not found else "DIFFERENT") + " across " +
                  ", ".join(fronts))
            problems += found
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print("same_numbers: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
