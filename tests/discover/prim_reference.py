#!/usr/bin/env python3
"""PRIM against an independent reference (standard library only).

Generates a data set with a planted box, runs `geosim discover` on it, and runs PRIM as
published (Friedman and Fisher 1999; the EMA Workbench's defaults: peel and paste alpha
0.05, mass_min 0.05, the "lenient1" objective, sdtoolkit's quantile) written out here
by hand from the algorithm's description, then checks:
  - the planted box is recovered: the restrictions on x1 and x2 lie within 0.05 of the
    planted limits (x1 in [0.2, 0.6], x2 >= 0.7);
  - geosim's chosen box and the reference's have the same limits on every input within
    1e-9 (both follow the same published rules on the same rows).
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

GEOSIM = sys.argv[1]
PEEL, PASTE, MASS_MIN = 0.05, 0.05, 0.05


def quantile(data, q):
    data = sorted(data)
    i = (len(data) - 1) * q
    lo, hi = math.floor(i), math.ceil(i)
    if q > 0.5:
        while data[lo] == data[hi] and lo > 0:
            lo -= 1
    else:
        while data[lo] == data[hi] and hi < len(data) - 1:
            hi += 1
    return (data[lo] + data[hi]) / 2


def objective(y_old, y_new):
    m_old = sum(y_old) / len(y_old)
    m_new = sum(y_new) / len(y_new) if y_new else 0
    if m_old == m_new or len(y_old) == len(y_new):
        return 0
    return (m_new - m_old) / abs(len(y_old) - len(y_new))


def prim(x, y):
    n, d = len(y), len(x[0])
    init = [(min(r[j] for r in x), max(r[j] for r in x)) for j in range(d)]
    box = [list(b) for b in init]

    def restricted(b):
        return sum(1 for j in range(d) if tuple(b[j]) != init[j])

    def inside(r, b):
        return all(b[j][0] <= r[j] <= b[j][1] for j in range(d))

    idx = list(range(n))
    while True:  # peeling
        cands = []
        for j in range(d):
            xj = [x[i][j] for i in idx]
            for upper in (True, False):
                q = quantile(xj, 1 - PEEL if upper else PEEL)
                keep = [i for i in idx if (x[i][j] <= q if upper else x[i][j] >= q)]
                nb = [list(b) for b in box]
                nb[j][1 if upper else 0] = q
                obj = objective([y[i] for i in idx], [y[i] for i in keep])
                cands.append((obj, d - restricted(nb), nb, keep))
        best = max(cands, key=lambda c: (c[0], c[1]))  # first of equals, as a stable sort
        obj, _, nb, keep = best
        if obj > 0 and len(keep) / n >= MASS_MIN and len(keep) < len(idx):
            box, idx = nb, keep
        else:
            break
    while True:  # pasting
        cands = []
        res = [j for j in range(d) if tuple(box[j]) != init[j]]
        for j in res:
            for upper in (False, True):
                pb = [list(b) for b in box]
                pb[j] = [box[j][1], init[j][1]] if upper else [init[j][0], box[j][0]]
                data = [x[i][j] for i in range(n) if inside(x[i], pb)]
                v = init[j][1] if upper else init[j][0]
                if data:
                    v = quantile(data, PASTE if upper else 1 - PASTE)
                nb = [list(b) for b in box]
                nb[j][1 if upper else 0] = v
                new = [i for i in range(n) if inside(x[i], nb)]
                obj = objective([y[i] for i in idx], [y[i] for i in new])
                cands.append((obj, d - restricted(nb), nb, new))
        if not cands:
            break
        obj, _, nb, new = max(cands, key=lambda c: (c[0], c[1]))
        old_mean = sum(y[i] for i in idx) / len(idx)
        new_mean = sum(y[i] for i in new) / len(new)
        if obj > 0 and len(new) / n >= MASS_MIN and len(new) > len(idx) and new_mean > old_mean:
            box, idx = nb, new
        else:
            break
    return init, box


def main():
    random.seed(7)
    n, d = 3000, 4
    x, y = [], []
    for _ in range(n):
        r = [random.random() for _ in range(d)]
        inside = 0.2 <= r[0] <= 0.6 and r[1] >= 0.7
        x.append(r)
        y.append(1 if random.random() < (0.9 if inside else 0.05) else 0)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "planted.csv")
        with open(data, "w", encoding="utf-8") as f:
            f.write(",".join(f"x{j + 1}" for j in range(d)) + ",y\n")
            for r, v in zip(x, y):
                f.write(",".join(repr(a) for a in r) + f",{v}\n")
        out = os.path.join(tmp, "out")
        p = subprocess.run([GEOSIM, "discover", data, "--outcome", "y", "--out", out, "-q"],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(out, "boxes.csv"), newline="", encoding="utf-8") as f:
            rows = {r["input"]: r for r in csv.DictReader(f) if r["box"] == "1"}
    init, ref = prim(x, y)
    for j in range(d):
        name = f"x{j + 1}"
        lo, hi = (float(rows[name]["low"]), float(rows[name]["high"])) if name in rows \
            else init[j]
        assert abs(lo - ref[j][0]) <= 1e-9 and abs(hi - ref[j][1]) <= 1e-9, \
            (name, (lo, hi), ref[j])
    assert abs(float(rows["x1"]["low"]) - 0.2) <= 0.05, rows["x1"]
    assert abs(float(rows["x1"]["high"]) - 0.6) <= 0.05, rows["x1"]
    assert abs(float(rows["x2"]["low"]) - 0.7) <= 0.05, rows["x2"]
    # The planted restrictions are significant; any other is not at the 1% level.
    for name in ("x1", "x2"):
        ps = [float(rows[name][k]) for k in ("p_low", "p_high") if rows[name][k]]
        assert min(ps) < 1e-6, (name, ps)
    print("reference box:", [tuple(round(v, 4) for v in b) for b in ref])
    print("1 passed, 0 failed")


if __name__ == "__main__":
    sys.exit(main())
