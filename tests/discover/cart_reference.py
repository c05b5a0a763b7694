#!/usr/bin/env python3
"""CART against an independent reference (standard library only).

Generates data with a planted box (x1 in [0.2, 0.6], x2 >= 0.7; x3 takes few distinct
values, so that ties are exercised), runs `geosim discover --method cart` on it, and grows
the same classification tree here, written out plainly from the algorithm (Breiman et al.
1984, as docs/discovery.md states it: Gini impurity, midpoint thresholds, min_leaf rows
per leaf, a depth cap, minimal cost-complexity pruning), by sorting each node's rows
afresh (geosim keeps presorted lists and partitions them), then checks, for several
option sets:
  - tree.csv holds the same tree: every node's parent, side, depth, split input,
    threshold (exactly: the same double), rows and cases;
  - boxes.csv holds the leaves that the reference predicts, with the same limits;
  - with pruning, the planted box is recovered: one box, limits within 0.03 of the
    planted ones.
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

GEOSIM = sys.argv[1]


def grow(x, y, min_leaf, max_depth):
    """Nodes in preorder: dicts with parent, left, depth, input, threshold, rows, cases, box."""
    d = len(x[0])
    init = [(min(r[j] for r in x), max(r[j] for r in x)) for j in range(d)]
    nodes = []

    def visit(rows, parent, left, depth, box):
        n = len(rows)
        k = sum(y[i] for i in rows)
        me = len(nodes)
        node = dict(parent=parent, left=left, depth=depth, input=None, threshold=None,
                     rows=n, cases=k, box=box, children=[])
        nodes.append(node)
        if parent is not None:
            nodes[parent]["children"].append(me)
        if k == 0 or k == n or n < 2 * min_leaf or (max_depth and depth >= max_depth):
            return
        nd, kd = float(n), float(k)
        parent_score = kd * (nd - kd) / nd
        best = None  # (score, input, a, b)
        for j in range(d):
            pairs = sorted((x[i][j], y[i]) for i in rows)
            nl = kl = 0
            for pos in range(n - 1):
                nl += 1
                kl += pairs[pos][1]
                if nl < min_leaf:
                    continue
                if n - nl < min_leaf:
                    break
                if pairs[pos + 1][0] == pairs[pos][0]:
                    continue
                nld, kld, nrd, krd = float(nl), float(kl), float(n - nl), float(k - kl)
                score = kld * (nld - kld) / nld + krd * (nrd - krd) / nrd
                if best is None or score < best[0]:
                    best = (score, j, pairs[pos][0], pairs[pos + 1][0])
        if best is None or not (parent_score - best[0] > 1e-9 * nd):
            return
        _, j, a, b = best
        t = (a + b) / 2
        if t == b:
            t = a
        node["input"], node["threshold"] = j, t
        lbox = [list(v) for v in box]
        rbox = [list(v) for v in box]
        lbox[j][1] = min(lbox[j][1], t)
        rbox[j][0] = max(rbox[j][0], t)
        visit([i for i in rows if x[i][j] <= t], me, True, depth + 1, lbox)
        visit([i for i in rows if x[i][j] > t], me, False, depth + 1, rbox)

    visit(list(range(len(y))), None, None, 0, [list(v) for v in init])
    return nodes, init


def prune(nodes, total, alpha):
    """Weakest-link pruning: collapse the internal node of smallest effective alpha while
    it is <= alpha; returns the kept nodes in preorder, renumbered."""
    def cost(nd):
        n, k = float(nd["rows"]), float(nd["cases"])
        return 2 * k * (n - k) / (n * total)

    def under(t):  # (summed leaf cost, leaves) of the subtree at t
        nd = nodes[t]
        if nd["input"] is None:
            return cost(nd), 1
        a = [under(c) for c in nd["children"]]
        return a[0][0] + a[1][0], a[0][1] + a[1][1]

    def kept(t):
        p = nodes[t]["parent"]
        while p is not None:
            if nodes[p]["input"] is None:
                return False
            p = nodes[p]["parent"]
        return True

    while alpha > 0:
        weakest = None
        for t, nd in enumerate(nodes):
            if nd["input"] is None or not kept(t):
                continue
            r, leaves = under(t)
            a = (cost(nd) - r) / float(leaves - 1)
            if weakest is None or a < weakest[0]:
                weakest = (a, t)
        if weakest is None or not weakest[0] <= alpha:
            break
        nodes[weakest[1]]["input"] = None
        nodes[weakest[1]]["threshold"] = None
    ids, out = {}, []
    for t, nd in enumerate(nodes):
        if not kept(t):
            continue
        ids[t] = len(out)
        nd = dict(nd)
        nd["parent"] = None if nd["parent"] is None else ids[nd["parent"]]
        out.append(nd)
    return out


def write_data(path, rows, seed):
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write("x1,x2,x3,x4,y\n")
        for _ in range(rows):
            x = [rnd.random(), rnd.random(), rnd.randint(0, 6) / 6, rnd.random()]
            inside = 0.2 <= x[0] <= 0.6 and x[1] >= 0.7
            y = 1 if rnd.random() < (0.9 if inside else 0.06) else 0
            f.write(",".join(repr(v) for v in x) + f",{y}\n")


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "rows.csv")
        write_data(data, 3000, 11)
        rows = read(data)
        names = ["x1", "x2", "x3", "x4"]
        x = [[float(r[n]) for n in names] for r in rows]
        y = [int(r["y"]) for r in rows]
        cases = [
            # (min_leaf, max_depth, ccp_alpha, density)
            (30, 0, 0.0, None),
            (150, 0, 0.0, None),  # the default for 3,000 rows: mass_min 0.05
            (10, 4, 0.0, 0.3),
            (30, 0, 0.002, None),
        ]
        for min_leaf, max_depth, alpha, density in cases:
            label = f"min_leaf {min_leaf}, max_depth {max_depth}, ccp_alpha {alpha}, density {density}"
            out = os.path.join(tmp, f"out-{min_leaf}-{max_depth}-{alpha}-{density}")
            args = [GEOSIM, "discover", data, "--outcome", "y", "--method", "cart", "--out", out,
                    "-q", "--max-depth", str(max_depth), "--ccp-alpha", repr(alpha)]
            if min_leaf != 150:
                args += ["--min-leaf", str(min_leaf)]
            if density is not None:
                args += ["--density", repr(density)]
            p = subprocess.run(args, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"geosim discover failed ({label}): {p.stderr}")
            nodes, init = grow(x, y, min_leaf, max_depth)
            nodes = prune(nodes, float(len(y)), alpha)
            tree = read(os.path.join(out, "tree.csv"))
            check(len(tree) == len(nodes), f"{label}: {len(tree)} nodes, reference {len(nodes)}")
            for t, (got, want) in enumerate(zip(tree, nodes)):
                exp = {
                    "parent": "" if want["parent"] is None else str(want["parent"]),
                    "side": "" if want["left"] is None else ("<=" if want["left"] else ">"),
                    "depth": str(want["depth"]),
                    "input": "" if want["input"] is None else names[want["input"]],
                    "rows": str(want["rows"]),
                    "cases": str(want["cases"]),
                }
                for key, v in exp.items():
                    check(got[key] == v, f"{label}: node {t} {key} {got[key]!r}, reference {v!r}")
                if want["threshold"] is not None:
                    check(float(got["threshold"]) == want["threshold"],
                          f"{label}: node {t} threshold {got['threshold']}, reference "
                          f"{want['threshold']!r}")
            # The boxes: the leaves the reference predicts (share > 1/2, or >= density).
            predicted = []
            for t, nd in enumerate(nodes):
                if nd["input"] is not None or nd["cases"] == 0:
                    continue
                ok = (2 * nd["cases"] > nd["rows"]) if density is None else \
                    (nd["cases"] >= density * nd["rows"])
                if ok:
                    predicted.append(t)
            predicted.sort(key=lambda t: (-nodes[t]["cases"] / nodes[t]["rows"],
                                          -nodes[t]["cases"], t))
            boxes = read(os.path.join(out, "boxes.csv"))
            got_nodes = []
            for b in boxes:
                if not got_nodes or got_nodes[-1] != int(b["node"]):
                    got_nodes.append(int(b["node"]))
                check(b["method"] == "cart", f"{label}: method {b['method']}")
                t = got_nodes[-1]
                j = names.index(b["input"])
                check(float(b["low"]) == nodes[t]["box"][j][0] and
                      float(b["high"]) == nodes[t]["box"][j][1],
                      f"{label}: box of node {t} on {b['input']}: [{b['low']}, {b['high']}], "
                      f"reference {nodes[t]['box'][j]}")
            check(got_nodes == predicted, f"{label}: boxes at nodes {got_nodes}, reference "
                                          f"{predicted}")
            print(f"{label}: {len(nodes)} nodes, {len(predicted)} boxes, same as the reference")
            if alpha > 0:
                # Pruned, the planted box is one leaf.
                check(len(predicted) == 1, f"{label}: {len(predicted)} boxes after pruning")
                if predicted:
                    box = nodes[predicted[0]]["box"]
                    for j, (lo, hi) in enumerate([(0.2, 0.6), (0.7, 1.0)]):
                        check(abs(box[j][0] - lo) < 0.03 and abs(box[j][1] - hi) < 0.03,
                              f"{label}: planted x{j + 1} in [{lo}, {hi}], found {box[j]}")
                    for j in (2, 3):
                        check(box[j] == list(init[j]), f"{label}: x{j + 1} restricted: {box[j]}")
    if failures:
        print("\n".join(failures[:30]))
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
