"""geosim from Python: load a scenario, set its parameters, run it, get pandas DataFrames.

    import geosim
    s = geosim.load("scenarios/kazakhstan-2022/intervention-request.yaml", grievance0=0.6)
    r = s.run(replicates=10000, seed=7)
    r.summary            # summary.csv as a DataFrame
    r.write("out")       # the folder `geosim run FILE --set grievance0=0.6 -n 10000 --seed 7 --out out` writes

The numbers are those of the command line, bit for bit: this module calls the same C++
library (engine/api/geosim/api.h). docs/python.md documents every function.
"""

import numbers
import os

import numpy as np
import pandas as pd

from . import _geosim
from ._geosim import Diagnostic, RunError, ScenarioError

__version__ = _geosim.__version__
__all__ = ["load", "Scenario", "Result", "ScenarioError", "RunError", "Diagnostic"]


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
