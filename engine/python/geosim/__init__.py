"""geosim from Python: load a scenario, set its parameters, run it, get pandas DataFrames.

    import geosim
    s = geosim.load("scenarios/kazakhstan-2022/intervention-request.yaml", grievance0=0.6)
    r = s.run(replicates=10000, seed=7)
    r.summary            # summary.csv as a DataFrame
    r.write("out")       # the folder `geosim run FILE --set grievance0=0.6 -n 10000 --seed 7 --out out` writes

The numbers are those of the command line, bit for bit: this module calls the same C++
library (engine/api/geosim/api.h). docs/python.md documents every function.
"""

import io
import numbers
import os

import numpy as np
import pandas as pd

from . import _geosim
from ._geosim import Diagnostic, RunError, ScenarioError

__version__ = _geosim.__version__
__all__ = ["load", "compare", "discover", "Scenario", "Result", "SweepResult", "CompareResult",
           "DiscoverResult", "CalibrateResult", "ScenarioError", "RunError", "Diagnostic"]


def _value_text(name, value):
    """An override's value as the text `--set NAME=TEXT` would take (the same double)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"override {name}: expected a number or its text, found {type(value).__name__}"
        )
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return repr(float(value))  # the shortest text that reads back as the same double


def _override_list(overrides, kwargs):
    """(name, text) pairs from a mapping or pairs, then keyword arguments, in order."""
    pairs = []
    if overrides is not None:
        items = overrides.items() if hasattr(overrides, "items") else overrides
        for item in items:
            name, value = item
            pairs.append((str(name), _value_text(name, value)))
    for name, value in kwargs.items():
        pairs.append((name, _value_text(name, value)))
    return pairs


def _optional_int(name, value, low, high):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, found {type(value).__name__}")
    value = int(value)
    if value < low or value > high:
        raise ValueError(f"{name} {value} is out of range; expected {low} to {high}")
    return value


def _frame(text, strings=(), ints=(), flags=(), categories=None):
    """A result file's text as a DataFrame with fixed dtypes: `strings` as str (object),
    `ints` as int64 (float64 with NaN if the column has an empty field), `flags` (0/1) as
    bool, `categories` {column: labels} as Categorical, every other column float64 (NaN
    where empty). Numbers are read with Python's float(), so each is the exact double the
    file's shortest round-trip text stands for."""
    if not text:
        return pd.DataFrame()
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    categories = categories or {}
    data = {}
    for c in raw.columns:
        col = raw[c]
        if c in strings:
            data[c] = col.astype(object)
        elif c in categories:
            data[c] = pd.Categorical(col.where(col != "", None), categories=categories[c])
        elif c in flags:
            data[c] = (col == "1").astype(bool)
        elif c in ints and (col != "").all():
            data[c] = col.astype(np.int64)
        else:
            data[c] = np.array([float(x) if x != "" else np.nan for x in col], dtype=np.float64)
    return pd.DataFrame(data, columns=list(raw.columns))


def _vary_list(vary):
    """--vary specs from a mapping {name: spec} (a spec: text as --vary takes it, or a list
    of numbers) or a list of "NAME=SPEC" texts."""
    if vary is None:
        return []
    if isinstance(vary, str):
        return [vary]
    if hasattr(vary, "items"):
        specs = []
        for name, spec in vary.items():
            if not isinstance(spec, str):
                spec = ",".join(_value_text(name, v) for v in spec)
            specs.append(f"{name}={spec}")
        return specs
    return [str(v) for v in vary]


def load(path, overrides=None, /, **kwargs):
    """Loads, checks and compiles a scenario file, then applies overrides.

    Overrides are keyword arguments (``grievance0=0.6``) or, for any name, a mapping or a
    list of (name, value) pairs as second argument; a value is a number or its text, checked
    exactly as ``geosim run --set NAME=VALUE``. Raises ScenarioError (a ValueError) with
    file:line:column for a mistake in the file or a refused override.
    """
    native = _geosim.load(os.fspath(path), _override_list(overrides, kwargs))
    return Scenario(native)


class Scenario:
    """A loaded, checked and compiled scenario with its current parameter values.

    ``set`` changes values in place (nothing is read or compiled again); ``with_`` returns a
    changed copy. Copies share the compiled model and are otherwise independent.
    """

    def __init__(self, native):
        if not isinstance(native, _geosim.Scenario):
            raise TypeError("geosim.Scenario: use geosim.load(path) to make one")
        self._native = native

    # ---- what the file declares ----
    @property
    def id(self):
        return self._native.id

    @property
    def path(self):
        return self._native.path

    @property
    def title(self):
        return self._native.title

    @property
    def description(self):
        return self._native.description

    @property
    def steps(self):
        return self._native.steps

    @property
    def default_seed(self):
        return self._native.default_seed

    @property
    def default_replicates(self):
        return self._native.default_replicates

    @property
    def files(self):
        """Every file read: the scenario's, then its ``extends`` bases."""
        return list(self._native.files)

    @property
    def overrides(self):
        """The overrides in force, {name: value text}, in the order applied."""
        return dict(self._native.overrides)

    @property
    def parameters(self):
        """The declared parameters, one row each in file order: name, value (current),
        file_value, min, max (NaN when undeclared), doc, basis, basis_from, and where the file
        declares it (file, line, column)."""
        rows = self._native.parameter_rows()
        columns = ["name", "value", "file_value", "min", "max", "doc", "basis", "basis_from",
                   "file", "line", "column"]
        df = pd.DataFrame(rows, columns=columns)
        for c in ["value", "file_value", "min", "max"]:
            df[c] = df[c].astype("float64")
        for c in ["line", "column"]:
            df[c] = df[c].astype("int64")
        return df

    def parameter(self, name):
        """The current value of parameter ``name`` (ScenarioError if undeclared)."""
        return self._native.parameter_value(name)

    @property
    def outcomes(self):
        """The outcomes the scenario reports: name, kind (final, max, min, mean, first,
        cases), labels (a cases outcome's, in file order), given (its condition, or "")."""
        rows = self._native.outcome_rows()
        return pd.DataFrame(rows, columns=["name", "kind", "labels", "given"])

    # ---- changing parameters ----
    def set(self, overrides=None, /, **kwargs):
        """Sets parameters in place, checked as ``--set``; returns the scenario.

        All or nothing: if one value is refused (ScenarioError), none is applied."""
        self._native = self._native.with_overrides(_override_list(overrides, kwargs))
        return self

    def with_(self, overrides=None, /, **kwargs):
        """A copy with these overrides applied (this scenario is unchanged)."""
        return Scenario(self._native.with_overrides(_override_list(overrides, kwargs)))

    def copy(self):
        return Scenario(self._native.copy())

    def reset(self):
        """Back to the file's values (no overrides); returns the scenario."""
        self._native.reset()
        return self

    # ---- running ----
    def run(self, replicates=None, seed=None, threads=0, per_run=False, given=None,
            posterior=None, progress=False):
        """Runs the scenario's replicates with its current parameter values.

        replicates, seed: default the file's; threads: 0 for all cores (never changes a
        number); per_run: also fill ``Result.runs``; given: an expression every outcome is
        conditioned on (as ``run --given``); posterior: a posterior.csv to draw parameters
        from (as ``run --posterior``); progress: a progress bar on standard error.

        The GIL is released while simulating. Ctrl-C (SIGINT) stops the run within a few
        steps and raises KeyboardInterrupt; nothing of it is kept.
        """
        replicates = _optional_int("replicates", replicates, 1, 4294967295)
        seed = _optional_int("seed", seed, 0, 2**64 - 1)
        threads = _optional_int("threads", threads, 0, 1024)
        native = _geosim.run(self._native, replicates, seed, threads, bool(per_run),
                             "" if given is None else str(given),
                             "" if posterior is None else os.fspath(posterior), bool(progress))
        return Result(native, self.copy(), bool(per_run))

    def sweep(self, vary=None, points=None, design=None, samples=0, levels=0,
              second_order=False, replicates=None, seed=None, threads=0, per_run=False,
              per_point_trajectories=False, given=None, posterior=None, progress=False,
              out=None, resume=False, overwrite=False):
        """Runs the scenario, with its current values, at every point of a design (as
        ``geosim sweep``; docs/experiments.md).

        vary: {name: spec} (a spec is what --vary takes: "0.1,0.2", "LO:HI:STEP", "LO:HI"
        for lhs/sobol/morris, a distribution such as "normal(0.5,0.1)"; or a list of
        numbers), or a list of "NAME=SPEC" texts. points: a CSV of points instead.
        design: "grid" (default), "lhs", "sobol", "morris"; samples, levels, second_order
        as --samples, --levels, --second-order. replicates and seed are per point (the same
        seed at every point: common random numbers). per_run, per_point_trajectories,
        given, posterior as the sweep options. out: work in this folder (kept point by
        point, continued with resume=True) and write the result folder there.
        Ctrl-C raises KeyboardInterrupt (with out, finished points are kept for resume).
        """
        o = _geosim.SweepOptions()
        o.vary = _vary_list(vary)
        o.points = "" if points is None else os.fspath(points)
        o.design = design or ""
        o.samples = _optional_int("samples", samples, 0, 2**62) or 0
        o.levels = _optional_int("levels", levels, 0, 2**30) or 0
        o.second_order = bool(second_order)
        o.replicates = _optional_int("replicates", replicates, 1, 4294967295)
        o.seed = _optional_int("seed", seed, 0, 2**64 - 1)
        o.threads = _optional_int("threads", threads, 0, 1024)
        o.per_run = bool(per_run)
        o.per_point_trajectories = bool(per_point_trajectories)
        o.given = "" if given is None else str(given)
        o.posterior = "" if posterior is None else os.fspath(posterior)
        o.progress = bool(progress)
        o.out = "" if out is None else os.fspath(out)
        o.resume = bool(resume)
        o.overwrite = bool(overwrite)
        return SweepResult(_geosim.sweep(self._native, o), self.copy())

    def calibrate(self, cases, free, method="mle", evaluations=300, bootstrap=0, profile=True,
                  particles=200, generations=8, quantile=0.5, min_acceptance=0.01, chains=4,
                  iterations=1000, burn_in=300, replicates=None, seed=None, threads=0,
                  progress=False, out=None, resume=False, overwrite=False):
        """Fits the free parameters (the others at their current values) to observed cases,
        as ``geosim calibrate`` (docs/calibration.md). cases: the cases CSV; free: a list of
        "NAME" or "NAME:PRIOR" (or one such text); method: "mle", "abc-smc" or "pmmh", with
        that method's options. Ctrl-C raises KeyboardInterrupt after the current batch."""
        o = _geosim.CalibrateOptions()
        o.cases = os.fspath(cases)
        o.free = [free] if isinstance(free, str) else [str(f) for f in free]
        o.method = str(method)
        o.evaluations = int(evaluations)
        o.bootstrap = int(bootstrap)
        o.profile = bool(profile)
        o.particles = int(particles)
        o.generations = int(generations)
        o.quantile = float(quantile)
        o.min_acceptance = float(min_acceptance)
        o.chains = int(chains)
        o.iterations = int(iterations)
        o.burn_in = int(burn_in)
        o.replicates = _optional_int("replicates", replicates, 1, 4294967295)
        o.seed = _optional_int("seed", seed, 0, 2**64 - 1)
        o.threads = _optional_int("threads", threads, 0, 1024)
        o.progress = bool(progress)
        o.out = "" if out is None else os.fspath(out)
        o.resume = bool(resume)
        o.overwrite = bool(overwrite)
        return CalibrateResult(_geosim.calibrate(self._native, o))

    def __repr__(self):
        o = " ".join(f"{k}={v}" for k, v in self.overrides.items())
        return f"<geosim.Scenario {self.id} ({self.path}){' ' + o if o else ''}>"


class Result:
    """What one run gives: summary, trajectories and (with per_run) runs as DataFrames, and
    the result folder and report ``geosim run`` would write."""

    def __init__(self, native, scenario, per_run):
        self._native = native
        self.scenario = scenario  # the Scenario as it was run (a copy)
        self.per_run = per_run
        self._summary = self._trajectories = self._runs = None

    @property
    def seed(self):
        return self._native.seed

    @property
    def replicates(self):
        return self._native.replicates

    @property
    def wall_seconds(self):
        return self._native.wall_seconds

    @property
    def summary(self):
        """summary.csv: scenario, outcome, statistic, value, ci_low, ci_high (float64, NaN
        where the file has an empty field), replicates (int64), and on a run over a
        posterior, posterior (the posterior file's sha256), as summary.csv has them."""
        if self._summary is None:
            columns = self._native.summary_columns()
            if not any(columns["posterior"]):
                del columns["posterior"]
            self._summary = pd.DataFrame(columns)
        return self._summary

    @property
    def trajectories(self):
        """trajectories.csv: scenario, variable, step (int64), mean, p05, p25, p50, p75, p95
        (float64, NaN where empty)."""
        if self._trajectories is None:
            self._trajectories = pd.DataFrame(self._native.trajectory_columns())
        return self._trajectories

    @property
    def runs(self):
        """runs.csv (needs ``run(per_run=True)``): scenario, replicate (int64), one column per
        outcome (float64, NaN where no value; a cases outcome as a Categorical of its labels),
        then ``init:VARIABLE`` per random init draw (float64)."""
        if not self.per_run:
            raise ValueError("runs needs a run with per_run=True")
        if self._runs is None:
            c = self._native.runs_columns()
            n = len(c["replicate"])
            labels = {o["name"]: o["labels"] for o in self.scenario._native.outcome_rows()
                      if o["kind"] == "cases"}
            data = {"scenario": pd.Series([self._native.scenario] * n, dtype=object),
                    "replicate": c["replicate"]}
            for j, name in enumerate(c["outcome_names"]):
                column = c["outcomes"][:, j]
                if name in labels:
                    codes = np.where(np.isnan(column), -1, column).astype(np.int64)
                    data[name] = pd.Categorical.from_codes(codes, categories=labels[name])
                else:
                    data[name] = column
            for j, name in enumerate(c["input_names"]):
                data[name] = c["inputs"][:, j]
            self._runs = pd.DataFrame(data)
        return self._runs

    def summary_csv(self):
        """summary.csv's text, exactly as ``geosim run --out`` writes it."""
        return self._native.summary_csv()

    def trajectories_csv(self):
        return self._native.trajectories_csv()

    def runs_csv(self):
        if not self.per_run:
            raise ValueError("runs_csv needs a run with per_run=True")
        return self._native.runs_csv()

    def table(self):
        """The outcome table ``geosim run`` prints."""
        return self._native.table()

    def write(self, dir, overwrite=False, report=False):
        """Writes the result folder ``geosim run FILE --out DIR`` writes for the same
        scenario, overrides, seed and replicates (byte-identical CSV files; manifest.json
        names the equivalent command). Refuses (ScenarioError) to replace files geosim did not
        write unless ``overwrite``; ``report`` adds report.html."""
        self._native.write_result_folder(os.fspath(dir), bool(overwrite), bool(report))

    def report_html(self):
        """The HTML report (docs/report.md) of this result, as one self-contained text."""
        return self._native.report_html()

    def __repr__(self):
        return (f"<geosim.Result {self._native.scenario}: {self.replicates} replicates, "
                f"seed {self.seed}>\n{self.table()}")


def _case_labels(scenario):
    return {o["name"]: o["labels"] for o in scenario._native.outcome_rows()
            if o["kind"] == "cases"}


class SweepResult:
    """What a sweep gives: sweep.csv, sensitivity.csv, trajectories.csv and runs.csv as
    DataFrames, and the folder and report ``geosim sweep --out`` writes."""

    def __init__(self, native, scenario):
        self._native = native
        self.scenario = scenario  # the Scenario swept (a copy)
        self._cache = {}

    def _get(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    seed = property(lambda self: self._native.seed)
    replicates = property(lambda self: self._native.replicates, doc="replicates per point")
    design = property(lambda self: self._native.design)
    parameters = property(lambda self: list(self._native.parameters),
                          doc="the varied parameters, in design order")
    points = property(lambda self: self._native.points)
    failed = property(lambda self: self._native.failed)
    resumed = property(lambda self: self._native.resumed)
    notes = property(lambda self: list(self._native.notes))
    wall_seconds = property(lambda self: self._native.wall_seconds)

    @property
    def summary(self):
        """sweep.csv: point (int64), one column per varied parameter, then the point's
        summary rows (scenario, outcome, statistic, value, ci_low, ci_high, replicates),
        status ("ok" or "error") and error."""
        return self._get("summary", lambda: _frame(
            self._native.sweep_csv(),
            strings=("scenario", "outcome", "statistic", "status", "error", "posterior"),
            ints=("point", "replicates")))

    @property
    def sensitivity(self):
        """sensitivity.csv (sobol, morris; empty otherwise): outcome, parameter, index (S1,
        ST, S2, mu_star, sigma), value, ci_low, ci_high, statistic."""
        return self._get("sensitivity", lambda: _frame(
            self._native.sensitivity_csv(),
            strings=("outcome", "parameter", "index", "statistic")))

    @property
    def trajectories(self):
        """trajectories.csv per point (per_point_trajectories=True; empty otherwise)."""
        return self._get("trajectories", lambda: _frame(
            self._native.trajectories_csv(), strings=("scenario", "variable"),
            ints=("point", "step")))

    @property
    def runs(self):
        """runs.csv (per_run=True; empty otherwise): point, replicate, one column per outcome
        (a cases outcome as a Categorical of its labels), init: columns."""
        return self._get("runs", lambda: _frame(
            self._native.runs_csv(), strings=("scenario",), ints=("point", "replicate"),
            categories=_case_labels(self.scenario)))

    def sweep_csv(self):
        return self._native.sweep_csv()

    def sensitivity_csv(self):
        return self._native.sensitivity_csv()

    def trajectories_csv(self):
        return self._native.trajectories_csv()

    def runs_csv(self):
        return self._native.runs_csv()

    def write(self, dir, overwrite=False, report=False):
        """Writes the folder ``geosim sweep FILE ... --out DIR`` writes (byte-identical
        files), with the same refusals as Result.write."""
        self._native.write_result_folder(os.fspath(dir), bool(overwrite), bool(report))

    def report_html(self):
        return self._native.report_html()

    def __repr__(self):
        return (f"<geosim.SweepResult {self._native.scenario}: {self.design} over "
                f"{', '.join(self.parameters)}, {self.points} points x {self.replicates} "
                f"replicates, {self.failed} failed>")


class CompareResult:
    """Two results outcome by outcome (B - A), as ``geosim compare``."""

    def __init__(self, native):
        self._native = native
        self._table = None

    a = property(lambda self: self._native.a, doc="what side A is")
    b = property(lambda self: self._native.b, doc="what side B is")
    notes = property(lambda self: list(self._native.notes))

    @property
    def any_significant(self):
        return self._native.any_significant()

    @property
    def table(self):
        """compare.csv: outcome, statistic, a, b, difference, ci_low, ci_high, p_value
        (float64, NaN where untested), significant (bool: p < 0.05)."""
        if self._table is None:
            self._table = _frame(self._native.compare_csv(), strings=("outcome", "statistic"),
                                 flags=("significant",))
        return self._table

    def compare_csv(self):
        return self._native.compare_csv()

    def differences(self):
        """What ``geosim compare --fail-on-difference`` prints."""
        return self._native.differences()

    def write(self, out, overwrite=False):
        """As ``geosim compare --out OUT``: a file, or (an existing folder, or a name ending
        in '/') a folder with compare.csv and compare.json."""
        self._native.write(os.fspath(out), bool(overwrite))

    def __repr__(self):
        return f"<geosim.CompareResult A: {self.a}; B: {self.b}>"


def compare(a, b, scenario=None, a_scenario=None, b_scenario=None):
    """Compares two results outcome by outcome, as ``geosim compare A B``: two Results held
    in memory, or two result folders or summary.csv files (with scenario, a_scenario,
    b_scenario as --scenario, --a, --b)."""
    if isinstance(a, Result) and isinstance(b, Result):
        if scenario or a_scenario or b_scenario:
            raise ValueError("compare: scenario, a_scenario and b_scenario apply to files only")
        return CompareResult(_geosim.compare_runs(a._native, b._native))
    if isinstance(a, Result) or isinstance(b, Result):
        raise TypeError("compare: expected two Results or two paths, not one of each")
    return CompareResult(_geosim.compare_paths(os.fspath(a), os.fspath(b), scenario or "",
                                               a_scenario or "", b_scenario or ""))


class DiscoverResult:
    """Scenario discovery's boxes (PRIM) or tree (CART), as ``geosim discover``."""

    def __init__(self, native):
        self._native = native
        self._cache = {}

    source = property(lambda self: self._native.source)
    unit = property(lambda self: self._native.unit)
    method = property(lambda self: self._native.method)
    rows = property(lambda self: self._native.rows)
    cases = property(lambda self: self._native.cases)
    inputs = property(lambda self: list(self._native.inputs))

    @property
    def boxes(self):
        """boxes.csv: box, input, low, high, range_low, range_high, p_low, p_high, coverage,
        density, mass, rows, cases, method, node (CART's leaf; NaN for PRIM)."""
        if "boxes" not in self._cache:
            self._cache["boxes"] = _frame(self._native.boxes_csv(),
                                          strings=("input", "method"),
                                          ints=("box", "rows", "cases", "node"))
        return self._cache["boxes"]

    @property
    def tradeoff(self):
        """tradeoff.csv (PRIM; empty for CART): box, step, phase, coverage, density, mass,
        restricted, rows, cases, chosen (bool)."""
        if "tradeoff" not in self._cache:
            self._cache["tradeoff"] = _frame(self._native.tradeoff_csv(), strings=("phase",),
                                             ints=("box", "step", "restricted", "rows",
                                                   "cases"), flags=("chosen",))
        return self._cache["tradeoff"]

    @property
    def tree(self):
        """tree.csv (CART; empty for PRIM): node, parent, side, depth, input, threshold,
        rows, cases, share, box."""
        if "tree" not in self._cache:
            self._cache["tree"] = _frame(self._native.tree_csv(), strings=("side", "input"),
                                         ints=("node", "parent", "depth", "rows", "cases",
                                               "box"))
        return self._cache["tree"]

    def boxes_csv(self):
        return self._native.boxes_csv()

    def tradeoff_csv(self):
        return self._native.tradeoff_csv()

    def tree_csv(self):
        return self._native.tree_csv()

    def text(self):
        """What ``geosim discover`` prints."""
        return self._native.text()

    def write(self, dir, overwrite=False):
        """Writes the folder ``geosim discover ... --out DIR`` writes."""
        self._native.write_result_folder(os.fspath(dir), bool(overwrite))

    def __repr__(self):
        return f"<geosim.DiscoverResult {self.method}>\n{self.text()}"


def discover(source, outcome, threshold=None, below=False, label=None, statistic=None,
             per_point=False, inputs=None, method="prim", boxes=1, peel_alpha=0.05,
             paste_alpha=0.05, mass_min=0.05, density=None, min_leaf=0, max_depth=0,
             ccp_alpha=0.0):
    """Scenario discovery, as ``geosim discover`` (docs/discovery.md): which inputs lead to
    the cases of interest. source: a Result run with per_run=True (its replicates), a
    SweepResult (its points, or its replicates with per_run), or a path (a result folder
    or a CSV). outcome with threshold (value > threshold; below=True: <) or label (a cases
    outcome's label); method "prim" (boxes, trade-off) or "cart" (a tree's leaves)."""
    o = _geosim.DiscoverOptions()
    o.outcome = str(outcome)
    o.threshold = None if threshold is None else float(threshold)
    o.below = bool(below)
    o.label = label or ""
    o.statistic = statistic or ""
    o.per_point = bool(per_point)
    o.inputs = [] if inputs is None else [str(i) for i in inputs]
    o.method = str(method)
    o.boxes = int(boxes)
    o.peel_alpha = float(peel_alpha)
    o.paste_alpha = float(paste_alpha)
    o.mass_min = float(mass_min)
    o.density = None if density is None else float(density)
    o.min_leaf = int(min_leaf)
    o.max_depth = int(max_depth)
    o.ccp_alpha = float(ccp_alpha)
    if isinstance(source, Result):
        return DiscoverResult(_geosim.discover_run(source._native, o))
    if isinstance(source, SweepResult):
        return DiscoverResult(_geosim.discover_sweep(source._native, o))
    return DiscoverResult(_geosim.discover_path(os.fspath(source), o))


class CalibrateResult:
    """A fit's result, as ``geosim calibrate`` writes it."""

    def __init__(self, native):
        self._native = native
        self._cache = {}

    scenario = property(lambda self: self._native.scenario)
    method = property(lambda self: self._native.method)
    seed = property(lambda self: self._native.seed)
    parameters = property(lambda self: list(self._native.parameters),
                          doc="the free parameters, in the order given")
    evaluations = property(lambda self: self._native.evaluations)
    simulations = property(lambda self: self._native.simulations)
    wall_seconds = property(lambda self: self._native.wall_seconds)

    @property
    def fit(self):
        """fit.csv: parameter, statistic, value (float64; NaN where the field is not a
        number), text (the field as written: a prior, a method name, a number)."""
        if "fit" not in self._cache:
            raw = _frame(self._native.fit_csv(), strings=("parameter", "statistic", "value"))
            text = raw["value"]

            def number(x):
                try:
                    return float(x)
                except ValueError:
                    return np.nan
            raw["value"] = np.array([number(x) if x != "" else np.nan for x in text],
                                    dtype=np.float64)
            raw["text"] = text
            self._cache["fit"] = raw
        return self._cache["fit"]

    @property
    def posterior(self):
        """posterior.csv: draw (int64), weight, one column per free parameter."""
        if "posterior" not in self._cache:
            self._cache["posterior"] = _frame(self._native.posterior_csv(), ints=("draw",))
        return self._cache["posterior"]

    @property
    def predictions(self):
        """predictions.csv: case, outcome, observed, predicted_mean, predicted_p05,
        predicted_p95, p_observed, replicates."""
        if "predictions" not in self._cache:
            self._cache["predictions"] = _frame(self._native.predictions_csv(),
                                                strings=("case", "outcome", "observed"),
                                                ints=("replicates",))
        return self._cache["predictions"]

    def fit_csv(self):
        return self._native.fit_csv()

    def posterior_csv(self):
        return self._native.posterior_csv()

    def predictions_csv(self):
        return self._native.predictions_csv()

    def text(self):
        """The summary ``geosim calibrate`` prints."""
        return self._native.text()

    def write(self, dir, overwrite=False, report=False):
        """Writes the folder ``geosim calibrate ... --out DIR`` writes (posterior.csv usable
        as run(posterior=DIR + "/posterior.csv"))."""
        self._native.write_result_folder(os.fspath(dir), bool(overwrite), bool(report))

    def __repr__(self):
        return f"<geosim.CalibrateResult {self.method}>\n{self.text()}"
