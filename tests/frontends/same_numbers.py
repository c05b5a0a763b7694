"""One set of numbers whatever the front end (issue 16, item 4): the same scenario,
overrides, seed and replicates give byte-identical summary.csv, trajectories.csv, runs.csv
and storylines.csv from every front end (and for a sweep, sweep.csv and the sweep's
trajectories.csv and runs.csv).

    same_numbers.py run SOURCE_DIR GEOSIM_BINARY WORK_DIR
        for every case below, writes one result folder per front end under WORK_DIR/CASE/
        and compares them
    same_numbers.py compare DIR DIR...
        compares result folders already written (by any front end)

A front end is a function (case, folder) -> None in FRONT_ENDS that writes the result
folder of `case`; adding one (the explorer's saved folder, say) is adding an entry there.
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


FRONT_ENDS = {"cli": cli, "python": python}


def compare(folders):
    """Byte-compares the files of COMPARED across folders; returns the differences."""
    problems = []
    first = folders[0]
    for name in COMPARED:
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
            folders = []
            for front, write in FRONT_ENDS.items():
                folder = os.path.join(work, case[0], front)
                shutil.rmtree(folder, ignore_errors=True)
                write(case, folder, source, binary)
                folders.append(folder)
            found = compare(folders)
            print(f"{case[0]}: " + ("identical" if not found else "DIFFERENT") + " across " +
                  ", ".join(FRONT_ENDS))
            problems += found
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print("same_numbers: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
