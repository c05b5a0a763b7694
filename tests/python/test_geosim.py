"""`import geosim` (engine/python, docs/python.md) under ctest, with the standard library's
unittest and Debian's /usr/bin/python3 (pandas, numpy).

    PYTHONPATH=build/python /usr/bin/python3 tests/python/test_geosim.py SOURCE_DIR [TestCase ...]

Values are checked against the CSV text the same run writes (what `geosim run --out`
writes; tests/frontends/same_numbers checks those bytes against the CLI's), DataFrames for
their columns and dtypes, errors for file:line:column, Ctrl-C (SIGINT sent to this process
during a long run) for KeyboardInterrupt and a healthy process afterwards, and the GIL for
being released while simulating.
"""

import csv
import io
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import unittest

import numpy as np
import pandas as pd

import geosim

SOURCE = os.environ.get("GEOSIM_SOURCE_DIR", os.getcwd())
FLAGSHIP = os.path.join(SOURCE, "scenarios/kazakhstan-2022/intervention-request.yaml")
MANY_ERRORS = os.path.join(SOURCE, "tests/data/bad/many-errors.yaml")


def declaration(path, name):
    """(line, column) where `path` declares parameter `name` (`  name:` under parameters)."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            m = re.match(r"^(\s+)" + re.escape(name) + r":", line)
            if m:
                return number, len(m.group(1)) + 1
    raise AssertionError(f"{path} declares no {name}")


def parse_csv(text):
    return list(csv.reader(io.StringIO(text)))


def cell_equals(cell, value):
    """A CSV cell against a DataFrame value: empty is NaN, a number reads back exactly."""
    if isinstance(value, str):
        return cell == value
    if cell == "":
        return value is None or (isinstance(value, float) and math.isnan(value))
    return float(cell) == float(value)


class Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scenario = geosim.load(FLAGSHIP, grievance0=0.6)
        cls.result = cls.scenario.run(replicates=1000, seed=7, threads=2, per_run=True)

    def test_load_exposes_parameters_and_outcomes(self):
        s = self.scenario
        self.assertEqual(s.id, "kz-2022-intervention")
        self.assertEqual(s.path, FLAGSHIP)
        self.assertEqual(s.files[0], FLAGSHIP)
        self.assertGreater(s.steps, 0)
        self.assertEqual(s.overrides, {"grievance0": "0.6"})
        p = s.parameters
        self.assertEqual(list(p.columns), ["name", "value", "file_value", "min", "max", "doc",
                                           "basis", "basis_from", "file", "line", "column"])
        for c in ["value", "file_value", "min", "max"]:
            self.assertEqual(p[c].dtype, np.float64, c)
        self.assertEqual(p["line"].dtype, np.int64)
        g = p.set_index("name").loc["grievance0"]
        self.assertEqual((g.value, g.file_value, g["min"], g["max"]), (0.6, 0.5, 0.3, 0.8))
        self.assertIn("grievance before the fuel shock", g.doc)
        self.assertEqual((g.line, g.column), declaration(FLAGSHIP, "grievance0"))
        self.assertEqual(s.parameter("grievance0"), 0.6)
        o = s.outcomes.set_index("name")
        self.assertEqual(o.loc["intervention", "kind"], "final")
        self.assertEqual(o.loc["mission", "kind"], "cases")
        self.assertIn("no_deployment", o.loc["mission", "labels"])

    def test_set_with_and_reset(self):
        s = geosim.load(FLAGSHIP)
        t = s.with_(grievance0=0.7, lpg_shock="0.2")
        self.assertEqual(s.parameter("grievance0"), 0.5)  # unchanged
        self.assertEqual(t.parameter("grievance0"), 0.7)
        self.assertEqual(t.overrides, {"grievance0": "0.7", "lpg_shock": "0.2"})
        self.assertIs(s.set({"grievance0": 0.65}), s)  # a mapping takes any name
        self.assertEqual(s.parameter("grievance0"), 0.65)
        with self.assertRaises(geosim.ScenarioError):
            s.set(lpg_shock=0.3, grievance0=2)  # all or nothing
        self.assertEqual(s.overrides, {"grievance0": "0.65"})
        self.assertEqual(s.reset().overrides, {})
        self.assertEqual(s.parameter("grievance0"), 0.5)
        u = t.copy()
        u.set(grievance0=0.4)
        self.assertEqual(t.parameter("grievance0"), 0.7)
        with self.assertRaises(TypeError):
            s.set(grievance0=[0.5])
        with self.assertRaises(TypeError):
            s.set(grievance0=True)

    def test_summary_equals_summary_csv(self):
        df = self.result.summary
        self.assertEqual(list(df.columns), ["scenario", "outcome", "statistic", "value", "ci_low",
                                            "ci_high", "replicates"])  # + posterior over one
        self.assertEqual(list(df.dtypes.astype(str)), ["object", "object", "object", "float64",
                                                       "float64", "float64", "int64"])
        rows = parse_csv(self.result.summary_csv())
        self.assertEqual(rows[0], list(df.columns))
        self.assertEqual(len(rows) - 1, len(df))
        for cells, values in zip(rows[1:], df.itertuples(index=False)):
            for cell, value in zip(cells, values):
                self.assertTrue(cell_equals(cell, value), (cells, values))
        self.assertTrue(df["ci_low"].isna().any())  # empty fields are NaN
        p = df[(df.outcome == "intervention") & (df.statistic == "probability")]
        self.assertEqual(len(p), 1)
        self.assertTrue(0 < p.value.iloc[0] < 1)
        self.assertEqual(p.replicates.iloc[0], 1000)

    def test_trajectories_equal_trajectories_csv(self):
        df = self.result.trajectories
        self.assertEqual(list(df.columns), ["scenario", "variable", "step", "mean", "p05", "p25",
                                            "p50", "p75", "p95"])
        self.assertEqual(df["step"].dtype, np.int64)
        for c in ["mean", "p05", "p25", "p50", "p75", "p95"]:
            self.assertEqual(df[c].dtype, np.float64)
        rows = parse_csv(self.result.trajectories_csv())
        self.assertEqual(rows[0], list(df.columns))
        self.assertEqual(len(rows) - 1, len(df))
        for cells, values in zip(rows[1:], df.itertuples(index=False)):
            for cell, value in zip(cells, values):
                self.assertTrue(cell_equals(cell, value), (cells, values))

    def test_runs_equal_runs_csv(self):
        df = self.result.runs
        rows = parse_csv(self.result.runs_csv())
        self.assertEqual(rows[0], list(df.columns))
        self.assertEqual(len(df), 1000)
        self.assertEqual(list(df["replicate"]), list(range(1000)))
        self.assertEqual(df["replicate"].dtype, np.int64)
        self.assertEqual(str(df["mission"].dtype), "category")
        self.assertEqual(df["intervention"].dtype, np.float64)
        self.assertTrue(df["request_day"].isna().any())  # a `first` never reached
        self.assertTrue(any(c.startswith("init:") for c in df.columns))
        for cells, values in zip(rows[1:], df.itertuples(index=False)):
            for cell, value in zip(cells, values):
                self.assertTrue(cell_equals(cell, value), (cells, values))
        with self.assertRaises(ValueError):
            self.scenario.run(replicates=10).runs

    def test_same_seed_same_numbers_whatever_the_threads(self):
        one = self.scenario.run(replicates=1000, seed=7, threads=1, per_run=True)
        pd.testing.assert_frame_equal(one.summary, self.result.summary)
        pd.testing.assert_frame_equal(one.trajectories, self.result.trajectories)
        pd.testing.assert_frame_equal(one.runs, self.result.runs)
        other = self.scenario.run(replicates=1000, seed=8)
        self.assertFalse(other.summary["value"].equals(self.result.summary["value"]))
        self.assertEqual((one.seed, one.replicates), (7, 1000))

    def test_set_then_run_equals_load_with_the_override(self):
        s = geosim.load(FLAGSHIP)
        s.set(grievance0=0.6)
        self.assertEqual(s.run(replicates=1000, seed=7).summary_csv(), self.result.summary_csv())

    def test_given_adds_given_share(self):
        r = self.scenario.run(replicates=300, given="world.protest < 0.5")
        self.assertIn("given_share", set(r.summary["statistic"]))

    def test_posterior_adds_its_sha256(self):
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            path = os.path.join(d, "posterior.csv")
            with open(path, "w") as f:
                f.write("draw,weight,grievance0\n1,1,0.4\n2,1,0.7\n")
            r = geosim.load(FLAGSHIP).run(replicates=200, seed=5, posterior=path)
            self.assertEqual(list(r.summary.columns)[-1], "posterior")
            self.assertEqual(r.summary["posterior"].str.len().unique().tolist(), [64])
            rows = parse_csv(r.summary_csv())
            self.assertEqual(rows[0], list(r.summary.columns))
            self.assertEqual(rows[1][-1], r.summary["posterior"].iloc[0])
            with self.assertRaises(geosim.ScenarioError):  # a parameter in both places
                self.scenario.run(replicates=200, posterior=path)
        finally:
            shutil.rmtree(d)

    def test_write_and_report(self):
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            out = os.path.join(d, "out")
            self.result.write(out, report=True)
            for name, text in [("summary.csv", self.result.summary_csv()),
                               ("trajectories.csv", self.result.trajectories_csv()),
                               ("runs.csv", self.result.runs_csv())]:
                with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
                    self.assertEqual(f.read(), text, name)
            self.assertTrue(os.path.exists(os.path.join(out, "manifest.json")))
            self.assertTrue(os.path.exists(os.path.join(out, "report.html")))
            html = self.result.report_html()
            self.assertIn("<html", html[:500].lower())
            # replacing a file geosim did not write is refused (nothing is written), unless
            # overwrite
            foreign = os.path.join(d, "foreign")
            os.mkdir(foreign)
            with open(os.path.join(foreign, "summary.csv"), "w") as f:
                f.write("mine")
            with self.assertRaises(geosim.ScenarioError) as cm:
                self.result.write(foreign)
            self.assertIn("--overwrite", str(cm.exception))
            self.assertEqual(os.listdir(foreign), ["summary.csv"])
            self.result.write(foreign, overwrite=True)
            with open(os.path.join(foreign, "summary.csv"), encoding="utf-8", newline="") as f:
                self.assertEqual(f.read(), self.result.summary_csv())
        finally:
            shutil.rmtree(d)

    def test_table_and_repr(self):
        self.assertIn("intervention", self.result.table())
        self.assertIn("1000 replicates", repr(self.result))
        self.assertIn("grievance0=0.6", repr(self.scenario))


class Experiments(unittest.TestCase):
    """sweep, compare, discover and calibrate: DataFrames against their files' text."""

    def assert_frame_is_csv(self, df, text):
        rows = parse_csv(text)
        self.assertEqual(rows[0], list(df.columns))
        self.assertEqual(len(rows) - 1, len(df))
        for cells, values in zip(rows[1:], df.itertuples(index=False)):
            for cell, value in zip(cells, values):
                if isinstance(value, (bool, np.bool_)):
                    self.assertEqual(cell, "1" if value else "0")
                else:
                    self.assertTrue(cell_equals(cell, value), (cells, values))

    @classmethod
    def setUpClass(cls):
        cls.scenario = geosim.load(FLAGSHIP)
        cls.sweep = cls.scenario.sweep({"kremlin_resolve": [0.3, 0.6, 0.9]}, replicates=400,
                                       seed=5, per_run=True, per_point_trajectories=True)

    def test_sweep(self):
        sw = self.sweep
        self.assertEqual((sw.design, sw.parameters, sw.points, sw.failed), ("grid",
                         ["kremlin_resolve"], 3, 0))
        df = sw.summary
        self.assert_frame_is_csv(df, sw.sweep_csv())
        self.assertEqual(list(df.columns[:3]), ["point", "kremlin_resolve", "scenario"])
        self.assertEqual(df["point"].dtype, np.int64)
        self.assertEqual(df["kremlin_resolve"].dtype, np.float64)
        self.assertEqual(sorted(set(df["kremlin_resolve"])), [0.3, 0.6, 0.9])
        # a point equals the run with that value (common random numbers)
        run = self.scenario.with_(kremlin_resolve=0.6).run(replicates=400, seed=5)
        p = df[(df.point == 1) & (df.outcome == "intervention") & (df.statistic == "probability")]
        q = run.summary[(run.summary.outcome == "intervention")
                        & (run.summary.statistic == "probability")]
        self.assertEqual(p.value.iloc[0], q.value.iloc[0])
        self.assert_frame_is_csv(sw.trajectories, sw.trajectories_csv())
        self.assertEqual(len(sw.runs), 3 * 400)
        self.assertEqual(str(sw.runs["mission"].dtype), "category")
        self.assertEqual(sw.runs["point"].dtype, np.int64)
        self.assertTrue(sw.sensitivity.empty)  # a grid has no indices
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            sw.write(os.path.join(d, "s"))
            with open(os.path.join(d, "s", "sweep.csv"), encoding="utf-8", newline="") as f:
                self.assertEqual(f.read(), sw.sweep_csv())
        finally:
            shutil.rmtree(d)

    def test_sobol_sensitivity(self):
        sw = self.scenario.sweep(["grievance0=0.3:0.8", "lpg_shock=0.1:0.4"], design="sobol",
                                 samples=8, replicates=100, seed=3)
        self.assert_frame_is_csv(sw.sensitivity, sw.sensitivity_csv())
        self.assertEqual(set(sw.sensitivity["index"]), {"S1", "ST"})

    def test_bad_vary_is_a_scenario_error(self):
        with self.assertRaises(geosim.ScenarioError):
            self.scenario.sweep({"kremlin_resolve": [0.1, 0.5]}, replicates=10)  # below min
        with self.assertRaises(geosim.ScenarioError):
            self.scenario.sweep({"kremlin_resolv": "0.3,0.5"}, replicates=10)

    def test_compare(self):
        a = self.scenario.run(replicates=500, seed=1)
        b = self.scenario.with_(kremlin_resolve=0.4).run(replicates=500, seed=1)
        c = geosim.compare(a, b)
        self.assert_frame_is_csv(c.table, c.compare_csv())
        self.assertEqual(c.table["significant"].dtype, bool)
        self.assertEqual(c.any_significant, bool(c.table["significant"].any()))
        row = c.table[(c.table.outcome == "intervention") & (c.table.statistic == "probability")]
        self.assertAlmostEqual(row.difference.iloc[0], row.b.iloc[0] - row.a.iloc[0], places=12)
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            a.write(os.path.join(d, "a"))
            b.write(os.path.join(d, "b"))
            from_files = geosim.compare(os.path.join(d, "a"), os.path.join(d, "b"))
            pd.testing.assert_frame_equal(from_files.table, c.table)
        finally:
            shutil.rmtree(d)
        with self.assertRaises(TypeError):
            geosim.compare(a, "b/summary.csv")

    def test_discover(self):
        prim = geosim.discover(self.sweep, "intervention", threshold=0.5)
        self.assertEqual(prim.method, "prim")
        self.assert_frame_is_csv(prim.boxes, prim.boxes_csv())
        self.assert_frame_is_csv(prim.tradeoff, prim.tradeoff_csv())
        self.assertEqual(prim.tradeoff["chosen"].dtype, bool)
        self.assertTrue(prim.tree.empty)
        run = self.scenario.run(replicates=2000, seed=4, per_run=True)
        cart = geosim.discover(run, "mission", label="no_deployment", method="cart")
        self.assert_frame_is_csv(cart.tree, cart.tree_csv())
        self.assertEqual(cart.unit, "replicates")
        self.assertEqual(cart.rows, 2000)
        self.assertTrue(cart.tradeoff.empty)
        with self.assertRaises(geosim.ScenarioError):
            geosim.discover(run, "no_such_outcome", threshold=0)

    def test_calibrate(self):
        cases = os.path.join(SOURCE, "scenarios/kazakhstan-2022/observed.csv")
        fit = self.scenario.calibrate(cases, ["sovereignty_cost"], evaluations=20,
                                      replicates=100, profile=False, seed=9)
        self.assertEqual((fit.method, fit.parameters), ("mle", ["sovereignty_cost"]))
        f = fit.fit
        self.assertEqual(list(f.columns), ["parameter", "statistic", "value", "text"])
        est = f[(f.parameter == "sovereignty_cost") & (f.statistic == "estimate")]
        self.assertEqual(est.value.iloc[0], float(est.text.iloc[0]))
        self.assertTrue(0.5 <= est.value.iloc[0] <= 3)
        self.assert_frame_is_csv(fit.posterior, fit.posterior_csv())
        self.assert_frame_is_csv(fit.predictions, fit.predictions_csv())
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            fit.write(os.path.join(d, "fit"))
            r = self.scenario.run(replicates=50, posterior=os.path.join(d, "fit", "posterior.csv"))
            self.assertIn("posterior", r.summary.columns)
        finally:
            shutil.rmtree(d)
        with self.assertRaises(geosim.ScenarioError):
            self.scenario.calibrate(cases, ["no_such_parameter"])


class Errors(unittest.TestCase):
    def test_bad_file_raises_scenario_error_with_every_diagnostic(self):
        with self.assertRaises(geosim.ScenarioError) as cm:
            geosim.load(MANY_ERRORS)
        e = cm.exception
        self.assertIsInstance(e, ValueError)
        self.assertIn(MANY_ERRORS + ":5:3: unknown key 'sead'", str(e))
        self.assertEqual((e.file, e.line, e.column), (MANY_ERRORS, 5, 3))
        self.assertGreaterEqual(len(e.diagnostics), 4)
        d = e.diagnostics[1]
        self.assertEqual((d.file, d.line, d.column), (MANY_ERRORS, 7, 14))
        self.assertIn("above max 1", d.message)
        self.assertEqual(str(d), f"{MANY_ERRORS}:7:14: {d.message}")

    def test_missing_file(self):
        with self.assertRaises(geosim.ScenarioError) as cm:
            geosim.load(os.path.join(SOURCE, "no-such-file.yaml"))
        self.assertIn("no-such-file.yaml", str(cm.exception))
        self.assertIsNone(cm.exception.line)

    def test_bad_override_is_located_at_the_declaration(self):
        line, column = declaration(FLAGSHIP, "grievance0")
        for value, what in [(0.9, "outside its declared range [0.3, 0.8]"),
                            ("abc", "expected a finite number"), (float("nan"), "finite")]:
            with self.assertRaises(geosim.ScenarioError) as cm:
                geosim.load(FLAGSHIP, grievance0=value)
            e = cm.exception
            self.assertEqual((e.file, e.line, e.column), (FLAGSHIP, line, column), str(e))
            self.assertTrue(str(e).startswith(f"{FLAGSHIP}:{line}:{column}: override grievance0="),
                            str(e))
            self.assertIn(what, e.message)

    def test_undeclared_parameter_suggests_the_nearest(self):
        s = geosim.load(FLAGSHIP)
        with self.assertRaises(geosim.ScenarioError) as cm:
            s.set(grievence0=0.5)
        self.assertIn("did you mean 'grievance0'", str(cm.exception))
        self.assertEqual(cm.exception.file, FLAGSHIP)
        with self.assertRaises(geosim.ScenarioError):
            s.parameter("grievence0")

    def test_bad_run_options(self):
        s = geosim.load(FLAGSHIP)
        with self.assertRaises(ValueError):
            s.run(replicates=0)
        with self.assertRaises(TypeError):
            s.run(replicates=10.5)
        with self.assertRaises(ValueError):
            s.run(threads=-1)
        with self.assertRaises(geosim.ScenarioError):
            s.run(replicates=10, given="world.nope == 0")
        with self.assertRaises(geosim.ScenarioError):
            s.run(replicates=10, posterior=os.path.join(SOURCE, "no-such-posterior.csv"))

    def test_run_error(self):
        d = tempfile.mkdtemp(prefix="geosim-python-test-")
        try:
            path = os.path.join(d, "nan.yaml")
            with open(path, "w") as f:
                f.write('geosim: 1\nscenario:\n  id: nan\n  steps: 5\nworld:\n  x: 0\n'
                        'events:\n  boom: {at: 2, effects: "world.x = log(world.x - 1)"}\n'
                        'outcomes:\n  final_x: "world.x"\n')
            with self.assertRaises(geosim.RunError) as cm:
                geosim.load(path).run(replicates=10)
            self.assertIsInstance(cm.exception, RuntimeError)
            self.assertIn(f"{path}:8:27", str(cm.exception))
            self.assertIn("step 2, replicate 0", str(cm.exception))
        finally:
            shutil.rmtree(d)


class Interrupt(unittest.TestCase):
    def test_sigint_during_a_run_raises_keyboard_interrupt(self):
        s = geosim.load(FLAGSHIP)
        before = s.run(replicates=500, seed=3).summary_csv()
        sent = []

        def interrupt():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

        timer = threading.Timer(0.5, interrupt)
        timer.start()
        start = time.monotonic()
        with self.assertRaises(KeyboardInterrupt):
            s.run(replicates=4294967295, threads=2)  # hours of work
        end = time.monotonic()
        timer.join()
        self.assertEqual(len(sent), 1)
        self.assertLess(end - sent[0], 5.0, "the run took too long to stop")
        self.assertGreater(end - start, 0.4)
        # the process is healthy: the same run gives the same numbers, threads still start
        self.assertEqual(s.run(replicates=500, seed=3).summary_csv(), before)
        self.assertEqual(s.run(replicates=500, seed=3, threads=2).summary_csv(), before)


    def test_sigint_during_a_sweep_raises_keyboard_interrupt(self):
        s = geosim.load(FLAGSHIP)
        timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        start = time.monotonic()
        with self.assertRaises(KeyboardInterrupt):
            s.sweep({"kremlin_resolve": [0.3, 0.6, 0.9]}, replicates=4294967295, threads=2)
        timer.join()
        self.assertLess(time.monotonic() - start, 6.0, "the sweep took too long to stop")
        self.assertEqual(s.sweep({"kremlin_resolve": [0.5]}, replicates=100).points, 1)


class Threads(unittest.TestCase):
    def test_the_gil_is_released_while_simulating(self):
        s = geosim.load(FLAGSHIP)
        ticks = []
        done = threading.Event()

        def tick():
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.005)

        t = threading.Thread(target=tick)
        t.start()
        try:
            time.sleep(0.05)
            start = time.monotonic()
            r = s.run(replicates=200000, threads=1)
            end = time.monotonic()
        finally:
            done.set()
            t.join()
        self.assertGreater(end - start, 0.3, "the run was too short to tell")
        during = [x for x in ticks if start + 0.1 < x < end - 0.1]
        # holding the GIL, the run would let the other thread tick at most once
        self.assertGreater(len(during), 5, f"{len(during)} ticks in {end - start:.2f} s")
        self.assertEqual(r.replicates, 200000)

    def test_runs_from_several_threads_agree(self):
        s = geosim.load(FLAGSHIP, grievance0=0.6)
        expected = s.run(replicates=400, seed=11).summary_csv()
        got = [None] * 3

        def work(i):
            got[i] = s.run(replicates=400, seed=11, threads=1).summary_csv()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(got, [expected] * 3)


if __name__ == "__main__":
    if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]):
        SOURCE = sys.argv.pop(1)
        FLAGSHIP = os.path.join(SOURCE, "scenarios/kazakhstan-2022/intervention-request.yaml")
        MANY_ERRORS = os.path.join(SOURCE, "tests/data/bad/many-errors.yaml")
    unittest.main(verbosity=2)
