// The compiled half of `import geosim` (geosim/_geosim.*.so): thin bindings over the public
// C++ API (engine/api/geosim/api.h). The Python half (geosim/__init__.py) turns what these
// return into pandas DataFrames and gives the functions their keyword arguments; docs/python.md
// documents the module as a user sees it.
//
// Two things are done here rather than in Python:
//  - simulating without the GIL, on a worker thread, while the calling thread polls for
//    signals (Ctrl-C) with the GIL held for a moment every 20 ms (`interruptible`);
//  - turning geosim's C++ errors into Python exceptions: UserError -> geosim.ScenarioError
//    (a ValueError carrying every diagnostic's file, line and column), RunError ->
//    geosim.RunError (a RuntimeError), Interrupted -> KeyboardInterrupt.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "geosim/api.h"

namespace py = pybind11;
namespace api = geosim::api;

namespace {

// The exception types, created once when the module is imported and kept for the life of
// the interpreter (the translator below raises them).
PyObject* scenario_error_type = nullptr;
PyObject* run_error_type = nullptr;

// Runs `work` on a worker thread with the GIL released and returns what it returns. Every
// 20 ms the calling thread takes the GIL and runs Python's pending signal handlers
// (PyErr_CheckSignals; it only does so on the main thread). When one raises, KeyboardInterrupt
// for Ctrl-C, `stop` is set, the worker finishes (a run stops within a few steps and throws
// geosim::Interrupted, which is dropped), and the handler's exception is raised: nothing of
// the interrupted work is returned.
template <class Work>
auto interruptible(std::atomic<bool>& stop, Work work) -> decltype(work()) {
  using Result = decltype(work());
  std::optional<Result> result;
  std::exception_ptr failure;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::optional<py::error_already_set> signal_error;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work());
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mu);
      done = true;
      cv.notify_all();
    });
    {
      std::unique_lock<std::mutex> lock(mu);
      while (!cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return done; })) {
        if (signal_error) continue;  // interrupted already: wait for the worker to stop
        lock.unlock();
        {
          py::gil_scoped_acquire acquire;
          if (PyErr_CheckSignals() != 0) {
            signal_error.emplace();  // fetches (and clears) the handler's exception
            stop.store(true);
          }
        }
        lock.lock();
      }
    }
    worker.join();
  }
  if (signal_error) throw std::move(*signal_error);
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

py::object optional_or_none(const std::optional<double>& v) {
  return v ? py::object(py::float_(*v)) : py::none();
}

// A column of optional numbers as a float64 array, NaN where absent.
template <class Row, class Get>
py::array_t<double> float_column(const std::vector<Row>& rows, Get get) {
  py::array_t<double> a(static_cast<py::ssize_t>(rows.size()));
  double* p = a.mutable_data();
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::optional<double>& v = get(rows[i]);
    p[i] = v ? *v : std::numeric_limits<double>::quiet_NaN();
  }
  return a;
}

template <class Row, class Get>
py::array_t<int64_t> int_column(const std::vector<Row>& rows, Get get) {
  py::array_t<int64_t> a(static_cast<py::ssize_t>(rows.size()));
  int64_t* p = a.mutable_data();
  for (size_t i = 0; i < rows.size(); ++i) p[i] = static_cast<int64_t>(get(rows[i]));
  return a;
}

template <class Row, class Get>
py::list str_column(const std::vector<Row>& rows, Get get) {
  py::list l(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) l[i] = py::str(get(rows[i]));
  return l;
}

py::dict summary_columns(const api::RunResult& r) {
  using Row = api::SummaryRow;
  const auto& rows = r.summary;
  py::dict d;
  d["scenario"] = str_column(rows, [](const Row& x) -> const std::string& { return x.scenario; });
  d["outcome"] = str_column(rows, [](const Row& x) -> const std::string& { return x.outcome; });
  d["statistic"] = str_column(rows, [](const Row& x) -> const std::string& { return x.statistic; });
  d["value"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.value; });
  d["ci_low"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.ci_low; });
  d["ci_high"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.ci_high; });
  d["replicates"] = int_column(rows, [](const Row& x) { return x.replicates; });
  d["posterior"] = str_column(rows, [](const Row& x) -> const std::string& { return x.posterior; });
  return d;
}

py::dict trajectory_columns(const api::RunResult& r) {
  using Row = api::TrajectoryRow;
  const auto& rows = r.trajectories;
  py::dict d;
  d["scenario"] = str_column(rows, [](const Row& x) -> const std::string& { return x.scenario; });
  d["variable"] = str_column(rows, [](const Row& x) -> const std::string& { return x.variable; });
  d["step"] = int_column(rows, [](const Row& x) { return x.step; });
  d["mean"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.mean; });
  d["p05"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.p05; });
  d["p25"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.p25; });
  d["p50"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.p50; });
  d["p75"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.p75; });
  d["p95"] = float_column(
      rows, [](const Row& x) -> const auto& { return x.p95; });
  return d;
}

// runs.csv as arrays: replicate (int64), outcomes (replicates x outcomes, float64, NaN where
// absent; a cases outcome holds its label's index), inputs (replicates x init draws).
py::dict runs_columns(const api::RunResult& r) {
  const size_t n = r.runs.size(), k = r.runs_outcomes.size(), m = r.runs_inputs.size();
  py::array_t<int64_t> replicate(static_cast<py::ssize_t>(n));
  py::array_t<double> outcomes({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(k)});
  py::array_t<double> inputs({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(m)});
  int64_t* rp = replicate.mutable_data();
  double* op = outcomes.mutable_data();
  double* ip = inputs.mutable_data();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < n; ++i) {
    const api::RunRow& row = r.runs[i];
    rp[i] = static_cast<int64_t>(row.replicate);
    for (size_t j = 0; j < k; ++j)
      op[i * k + j] = j < row.outcomes.size() && row.outcomes[j] ? *row.outcomes[j] : nan;
    for (size_t j = 0; j < m; ++j) ip[i * m + j] = j < row.inputs.size() ? row.inputs[j] : nan;
  }
  py::dict d;
  d["replicate"] = replicate;
  d["outcome_names"] = r.runs_outcomes;
  d["outcomes"] = outcomes;
  d["input_names"] = r.runs_inputs;
  d["inputs"] = inputs;
  return d;
}

py::list parameter_rows(const api::Scenario& s) {
  py::list l;
  for (const api::Parameter& p : s.parameters()) {
    py::dict d;
    d["name"] = p.name;
    d["value"] = p.value;
    d["file_value"] = p.file_value;
    d["min"] = optional_or_none(p.min);
    d["max"] = optional_or_none(p.max);
    d["doc"] = p.doc;
    d["basis"] = p.basis;
    d["basis_from"] = p.basis_from;
    d["file"] = p.loc.file;
    d["line"] = p.loc.line;
    d["column"] = p.loc.column;
    l.append(d);
  }
  return l;
}

py::list outcome_rows(const api::Scenario& s) {
  py::list l;
  for (const api::Outcome& o : s.outcomes()) {
    py::dict d;
    d["name"] = o.name;
    d["kind"] = o.kind;
    d["labels"] = o.labels;
    d["given"] = o.given;
    l.append(d);
  }
  return l;
}

// Raises geosim.ScenarioError for a UserError: the message is what the command line prints
// (one `file:line:column: message` line per diagnostic); `diagnostics` holds each one, and
// `file`, `line`, `column`, `message` repeat the first (line and column None when unknown).
void raise_scenario_error(const geosim::UserError& e) {
  py::list diagnostics;
  for (const geosim::Diagnostic& d : e.diagnostics()) diagnostics.append(py::cast(d));
  py::object exc = py::reinterpret_borrow<py::object>(scenario_error_type)(py::str(e.what()));
  exc.attr("diagnostics") = diagnostics;
  const geosim::Diagnostic* first = e.diagnostics().empty() ? nullptr : &e.diagnostics().front();
  auto known = [](int v) { return v > 0 ? py::object(py::int_(v)) : py::none(); };
  exc.attr("file") =
      first && !first->loc.file.empty() ? py::object(py::str(first->loc.file)) : py::none();
  exc.attr("line") = first ? known(first->loc.line) : py::none();
  exc.attr("column") = first ? known(first->loc.column) : py::none();
  exc.attr("message") = first ? py::str(first->message) : py::str(e.what());
  PyErr_SetObject(scenario_error_type, exc.ptr());
}

}  // namespace

PYBIND11_MODULE(_geosim, m) {
  m.doc() = "geosim's compiled bindings; use `import geosim` (docs/python.md)";
  m.attr("__version__") = GEOSIM_VERSION;

  scenario_error_type = PyErr_NewExceptionWithDoc(
      "geosim.ScenarioError",
      "A mistake in a scenario file, an override or an option: the message holds one\n"
      "`file:line:column: message` line per problem; `diagnostics` lists them (each with\n"
      "file, line, column, message) and `file`, `line`, `column`, `message` repeat the first.",
      PyExc_ValueError, nullptr);
  run_error_type = PyErr_NewExceptionWithDoc(
      "geosim.RunError",
      "A run that went wrong on valid input (a NaN or an infinity); the message names the\n"
      "statement, the step and the replicate.",
      PyExc_RuntimeError, nullptr);
  m.attr("ScenarioError") = py::handle(scenario_error_type);
  m.attr("RunError") = py::handle(run_error_type);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const geosim::UserError& e) {
      raise_scenario_error(e);
    } catch (const geosim::RunError& e) {
      PyErr_SetString(run_error_type, e.what());
    } catch (const geosim::Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });

  py::class_<geosim::Diagnostic>(m, "Diagnostic",
                                 "One problem: where (file, line, column; 0 when unknown) and what")
      .def_property_readonly("file", [](const geosim::Diagnostic& d) { return d.loc.file; })
      .def_property_readonly("line", [](const geosim::Diagnostic& d) { return d.loc.line; })
      .def_property_readonly("column", [](const geosim::Diagnostic& d) { return d.loc.column; })
      .def_readonly("message", &geosim::Diagnostic::message)
      .def("__str__", &geosim::Diagnostic::str)
      .def("__repr__", [](const geosim::Diagnostic& d) {
        return "Diagnostic(" + py::repr(py::str(d.str())).cast<std::string>() + ")";
      });

  py::class_<api::Scenario>(m, "Scenario")
      .def_property_readonly("id", &api::Scenario::id)
      .def_property_readonly("path", &api::Scenario::path)
      .def_property_readonly("title", &api::Scenario::title)
      .def_property_readonly("description", &api::Scenario::description)
      .def_property_readonly("steps", &api::Scenario::steps)
      .def_property_readonly("default_seed", &api::Scenario::default_seed)
      .def_property_readonly("default_replicates", &api::Scenario::default_replicates)
      .def_property_readonly("files", &api::Scenario::files)
      .def_property_readonly("overrides", &api::Scenario::overrides)
      .def("parameter_rows", &parameter_rows)
      .def("parameter_value",
           [](const api::Scenario& s, const std::string& name) { return s.parameter(name).value; })
      .def("outcome_rows", &outcome_rows)
      .def("set_text",
           py::overload_cast<const std::string&, const std::string&>(&api::Scenario::set))
      .def("set_number", py::overload_cast<const std::string&, double>(&api::Scenario::set))
      .def("with_overrides",
           [](const api::Scenario& s, const std::vector<std::pair<std::string, std::string>>& o) {
             return s.with(o);
           })
      .def("copy", [](const api::Scenario& s) { return api::Scenario(s); })
      .def("reset", &api::Scenario::reset);

  m.def(
      "load",
      [](const std::string& path, const std::vector<std::pair<std::string, std::string>>& o) {
        return api::load(path, o);
      },
      py::arg("path"), py::arg("overrides"), py::call_guard<py::gil_scoped_release>());

  py::class_<api::RunResult>(m, "RunResult")
      .def_readonly("scenario", &api::RunResult::scenario)
      .def_readonly("seed", &api::RunResult::seed)
      .def_readonly("replicates", &api::RunResult::replicates)
      .def_readonly("wall_seconds", &api::RunResult::wall_seconds)
      .def("summary_columns", &summary_columns)
      .def("trajectory_columns", &trajectory_columns)
      .def("runs_columns", &runs_columns)
      .def("summary_csv", &api::RunResult::summary_csv, py::call_guard<py::gil_scoped_release>())
      .def("trajectories_csv", &api::RunResult::trajectories_csv,
           py::call_guard<py::gil_scoped_release>())
      .def("runs_csv", &api::RunResult::runs_csv, py::call_guard<py::gil_scoped_release>())
      .def("table", &api::RunResult::table)
      .def("write_result_folder", &api::RunResult::write_result_folder, py::arg("dir"),
           py::arg("overwrite"), py::arg("report"), py::call_guard<py::gil_scoped_release>())
      .def("report_html", &api::RunResult::report_html, py::call_guard<py::gil_scoped_release>());

  m.def(
      "run",
      [](const api::Scenario& s, std::optional<int64_t> replicates, std::optional<uint64_t> seed,
         int threads, bool per_run, const std::string& given, const std::string& posterior,
         bool progress) {
        std::atomic<bool> stop{false};
        api::RunOptions o;
        o.replicates = replicates;
        o.seed = seed;
        o.threads = threads;
        o.per_run = per_run;
        o.given = given;
        o.posterior = posterior;
        o.progress = progress;
        o.stop = &stop;
        return interruptible(stop, [&] { return api::run(s, o); });
      },
      py::arg("scenario"), py::arg("replicates"), py::arg("seed"), py::arg("threads"),
      py::arg("per_run"), py::arg("given"), py::arg("posterior"), py::arg("progress"));

  // ---- sweep, compare, discover, calibrate: options as attribute bags, results as the
  // files' text (geosim/__init__.py reads them into DataFrames) and their folders ----
  py::class_<api::SweepOptions>(m, "SweepOptions")
      .def(py::init<>())
      .def_readwrite("vary", &api::SweepOptions::vary)
      .def_readwrite("points", &api::SweepOptions::points)
      .def_readwrite("design", &api::SweepOptions::design)
      .def_readwrite("samples", &api::SweepOptions::samples)
      .def_readwrite("levels", &api::SweepOptions::levels)
      .def_readwrite("second_order", &api::SweepOptions::second_order)
      .def_readwrite("replicates", &api::SweepOptions::replicates)
      .def_readwrite("seed", &api::SweepOptions::seed)
      .def_readwrite("threads", &api::SweepOptions::threads)
      .def_readwrite("per_run", &api::SweepOptions::per_run)
      .def_readwrite("per_point_trajectories", &api::SweepOptions::per_point_trajectories)
      .def_readwrite("given", &api::SweepOptions::given)
      .def_readwrite("posterior", &api::SweepOptions::posterior)
      .def_readwrite("progress", &api::SweepOptions::progress)
      .def_readwrite("out", &api::SweepOptions::out)
      .def_readwrite("resume", &api::SweepOptions::resume)
      .def_readwrite("overwrite", &api::SweepOptions::overwrite);

  py::class_<api::SweepResult>(m, "SweepResult")
      .def_readonly("scenario", &api::SweepResult::scenario)
      .def_readonly("seed", &api::SweepResult::seed)
      .def_readonly("replicates", &api::SweepResult::replicates)
      .def_readonly("design", &api::SweepResult::design)
      .def_readonly("parameters", &api::SweepResult::parameters)
      .def_readonly("points", &api::SweepResult::points)
      .def_readonly("failed", &api::SweepResult::failed)
      .def_readonly("resumed", &api::SweepResult::resumed)
      .def_readonly("notes", &api::SweepResult::notes)
      .def_readonly("wall_seconds", &api::SweepResult::wall_seconds)
      .def("sweep_csv", &api::SweepResult::sweep_csv, py::call_guard<py::gil_scoped_release>())
      .def("sensitivity_csv", &api::SweepResult::sensitivity_csv,
           py::call_guard<py::gil_scoped_release>())
      .def("trajectories_csv", &api::SweepResult::trajectories_csv,
           py::call_guard<py::gil_scoped_release>())
      .def("runs_csv", &api::SweepResult::runs_csv, py::call_guard<py::gil_scoped_release>())
      .def("manifest_json", &api::SweepResult::manifest_json)
      .def("write_result_folder", &api::SweepResult::write_result_folder, py::arg("dir"),
           py::arg("overwrite"), py::arg("report"), py::call_guard<py::gil_scoped_release>())
      .def("report_html", &api::SweepResult::report_html, py::call_guard<py::gil_scoped_release>());

  m.def("sweep", [](const api::Scenario& s, api::SweepOptions o) {
    std::atomic<bool> stop{false};
    o.stop = &stop;
    return interruptible(stop, [&] { return api::sweep(s, o); });
  });

  py::class_<api::CompareResult>(m, "CompareResult")
      .def_readonly("a", &api::CompareResult::a)
      .def_readonly("b", &api::CompareResult::b)
      .def_readonly("notes", &api::CompareResult::notes)
      .def("any_significant", &api::CompareResult::any_significant)
      .def("compare_csv", &api::CompareResult::compare_csv)
      .def("differences", &api::CompareResult::differences)
      .def("write", &api::CompareResult::write, py::arg("out"), py::arg("overwrite"),
           py::call_guard<py::gil_scoped_release>());

  m.def(
      "compare_paths",
      [](const std::string& a, const std::string& b, const std::string& scenario,
         const std::string& a_scenario, const std::string& b_scenario) {
        api::CompareOptions o;
        o.scenario = scenario;
        o.a_scenario = a_scenario;
        o.b_scenario = b_scenario;
        return api::compare(a, b, o);
      },
      py::call_guard<py::gil_scoped_release>());
  m.def(
      "compare_runs",
      [](const api::RunResult& a, const api::RunResult& b) { return api::compare(a, b); },
      py::call_guard<py::gil_scoped_release>());

  py::class_<api::DiscoverOptions>(m, "DiscoverOptions")
      .def(py::init<>())
      .def_readwrite("outcome", &api::DiscoverOptions::outcome)
      .def_readwrite("threshold", &api::DiscoverOptions::threshold)
      .def_readwrite("below", &api::DiscoverOptions::below)
      .def_readwrite("label", &api::DiscoverOptions::label)
      .def_readwrite("statistic", &api::DiscoverOptions::statistic)
      .def_readwrite("per_point", &api::DiscoverOptions::per_point)
      .def_readwrite("inputs", &api::DiscoverOptions::inputs)
      .def_readwrite("method", &api::DiscoverOptions::method)
      .def_readwrite("boxes", &api::DiscoverOptions::boxes)
      .def_readwrite("peel_alpha", &api::DiscoverOptions::peel_alpha)
      .def_readwrite("paste_alpha", &api::DiscoverOptions::paste_alpha)
      .def_readwrite("mass_min", &api::DiscoverOptions::mass_min)
      .def_readwrite("density", &api::DiscoverOptions::density)
      .def_readwrite("min_leaf", &api::DiscoverOptions::min_leaf)
      .def_readwrite("max_depth", &api::DiscoverOptions::max_depth)
      .def_readwrite("ccp_alpha", &api::DiscoverOptions::ccp_alpha);

  py::class_<api::DiscoverResult>(m, "DiscoverResult")
      .def_readonly("source", &api::DiscoverResult::source)
      .def_readonly("unit", &api::DiscoverResult::unit)
      .def_readonly("method", &api::DiscoverResult::method)
      .def_readonly("rows", &api::DiscoverResult::rows)
      .def_readonly("cases", &api::DiscoverResult::cases)
      .def_readonly("inputs", &api::DiscoverResult::inputs)
      .def("boxes_csv", &api::DiscoverResult::boxes_csv)
      .def("tradeoff_csv", &api::DiscoverResult::tradeoff_csv)
      .def("tree_csv", &api::DiscoverResult::tree_csv)
      .def("text", &api::DiscoverResult::text)
      .def("write_result_folder", &api::DiscoverResult::write_result_folder, py::arg("dir"),
           py::arg("overwrite"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "discover_path",
      [](const std::string& path, const api::DiscoverOptions& o) { return api::discover(path, o); },
      py::call_guard<py::gil_scoped_release>());
  m.def(
      "discover_sweep",
      [](const api::SweepResult& r, const api::DiscoverOptions& o) { return api::discover(r, o); },
      py::call_guard<py::gil_scoped_release>());
  m.def(
      "discover_run",
      [](const api::RunResult& r, const api::DiscoverOptions& o) { return api::discover(r, o); },
      py::call_guard<py::gil_scoped_release>());

  py::class_<api::CalibrateOptions>(m, "CalibrateOptions")
      .def(py::init<>())
      .def_readwrite("cases", &api::CalibrateOptions::cases)
      .def_readwrite("free", &api::CalibrateOptions::free)
      .def_readwrite("method", &api::CalibrateOptions::method)
      .def_readwrite("evaluations", &api::CalibrateOptions::evaluations)
      .def_readwrite("bootstrap", &api::CalibrateOptions::bootstrap)
      .def_readwrite("profile", &api::CalibrateOptions::profile)
      .def_readwrite("particles", &api::CalibrateOptions::particles)
      .def_readwrite("generations", &api::CalibrateOptions::generations)
      .def_readwrite("quantile", &api::CalibrateOptions::quantile)
      .def_readwrite("min_acceptance", &api::CalibrateOptions::min_acceptance)
      .def_readwrite("chains", &api::CalibrateOptions::chains)
      .def_readwrite("iterations", &api::CalibrateOptions::iterations)
      .def_readwrite("burn_in", &api::CalibrateOptions::burn_in)
      .def_readwrite("replicates", &api::CalibrateOptions::replicates)
      .def_readwrite("seed", &api::CalibrateOptions::seed)
      .def_readwrite("threads", &api::CalibrateOptions::threads)
      .def_readwrite("progress", &api::CalibrateOptions::progress)
      .def_readwrite("out", &api::CalibrateOptions::out)
      .def_readwrite("resume", &api::CalibrateOptions::resume)
      .def_readwrite("overwrite", &api::CalibrateOptions::overwrite);

  py::class_<api::CalibrateResult>(m, "CalibrateResult")
      .def_readonly("scenario", &api::CalibrateResult::scenario)
      .def_readonly("method", &api::CalibrateResult::method)
      .def_readonly("seed", &api::CalibrateResult::seed)
      .def_readonly("parameters", &api::CalibrateResult::parameters)
      .def_readonly("evaluations", &api::CalibrateResult::evaluations)
      .def_readonly("simulations", &api::CalibrateResult::simulations)
      .def_readonly("wall_seconds", &api::CalibrateResult::wall_seconds)
      .def("fit_csv", &api::CalibrateResult::fit_csv)
      .def("posterior_csv", &api::CalibrateResult::posterior_csv)
      .def("predictions_csv", &api::CalibrateResult::predictions_csv)
      .def("manifest_json", &api::CalibrateResult::manifest_json)
      .def("text", &api::CalibrateResult::text)
      .def("write_result_folder", &api::CalibrateResult::write_result_folder, py::arg("dir"),
           py::arg("overwrite"), py::arg("report"), py::call_guard<py::gil_scoped_release>());

  m.def("calibrate", [](const api::Scenario& s, api::CalibrateOptions o) {
    std::atomic<bool> stop{false};
    o.stop = &stop;
    return interruptible(stop, [&] { return api::calibrate(s, o); });
  });
}
