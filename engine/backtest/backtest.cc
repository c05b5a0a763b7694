#include "backtest/backtest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <sstream>
#include <thread>

#include "backtest/scores.h"
#include "calibrate/evaluate.h"
#include "core/error.h"
#include "core/text.h"
#include "dist/dist.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/number.h"
#include "io/read_file.h"
#include "io/sha256.h"
#include "outdir/outdir.h"

namespace geosim::backtest {
namespace fs = std::filesystem;
namespace {

std::string num(double x) { return std::isfinite(x) ? io::format_double(x) : std::string(); }

// The seed of case i's predictions (fitted and template alike: common random numbers).
uint64_t prediction_seed(const Spec& s, size_t case_index) {
  return calibrate::derive_seed(s.method.seed, 0xB4C7E57ull, case_index);
}

// The probability of each class for case `i` under the draws of `fit` (a posterior, or the
// template's own values as one draw), from calibrate::predict: one target per class.
std::vector<double> class_probs(const Spec& s, size_t i, const calibrate::FitResult& fit,
                                const calibrate::Context& ctx, int64_t* replicates) {
  calibrate::Problem p;
  p.model = s.model;
  p.base_uniforms = s.base_uniforms;
  p.free = s.free;
  p.observations.path = s.cases.path;
  p.observations.outcome_columns = s.cases.outcome_columns;
  calibrate::Case c = s.cases.cases[i];
  c.targets.clear();
  for (size_t k = 0; k < s.classes.size(); ++k) {
    calibrate::Target t;
    t.outcome = s.outcome;
    t.kind = s.categorical ? calibrate::TargetKind::kLabel : calibrate::TargetKind::kExact;
    t.value = static_cast<double>(k);
    t.text = s.classes[k];
    c.targets.push_back(t);
  }
  p.observations.cases.push_back(std::move(c));
  calibrate::Method m = s.method;
  m.seed = prediction_seed(s, i);
  const auto preds = calibrate::predict(p, fit, m, ctx);
  std::vector<double> out;
  for (const auto& pr : preds) out.push_back(pr.p_observed);
  if (!preds.empty()) *replicates = preds[0].replicates;
  return out;
}

calibrate::FitResult template_fit(const Spec& s) {
  calibrate::FitResult r;
  r.method = s.method.kind;
  std::vector<double> own;
  for (const auto& f : s.free) {
    r.names.push_back(f.name);
    own.push_back(s.base_uniforms[static_cast<size_t>(f.row - s.model->uniform_base)]);
  }
  r.draws = {own};
  r.weights = {1};
  r.point = own;
  return r;
}

std::vector<double> base_rate(const Spec& s, const std::vector<int>& fold_of, int fold) {
  std::vector<double> counts(s.classes.size(), 0);
  double n = 0;
  for (size_t i = 0; i < s.observed.size(); ++i)
    if (fold_of[i] != fold) counts[static_cast<size_t>(s.observed[i])] += 1, n += 1;
  const double k = static_cast<double>(s.classes.size());
  for (double& c : counts) c = (c + 1) / (n + k);
  return counts;
}

// ---- the state of a resumable backtest: one checksummed file per finished fold -------

struct FoldRecord {
  FoldResult fold;
  std::vector<std::pair<size_t, std::vector<std::vector<double>>>> cases;  // index, probs
  int64_t replicates = 0;
};

std::string encode_fold(const FoldRecord& r) {
  std::string s = "geosim-backtest-fold-1\npoint";
  for (double v : r.fold.point) {
    s += ' ';
    s += io::format_double(v);
  }
  s += "\nevaluations " + std::to_string(r.fold.evaluations) + "\nsimulations " +
       std::to_string(r.fold.simulations) + "\nreplicates " + std::to_string(r.replicates) + "\n";
  for (const auto& [i, probs] : r.cases) {
    s += "case " + std::to_string(i);
    for (const auto& f : probs) {
      s += " |";
      for (double v : f) {
        s += ' ';
        s += io::format_double(v);
      }
    }
    s += "\n";
  }
  return s + "sha256 " + io::sha256_hex(s) + "\n";
}

// nullopt when the file is missing, torn or damaged (the fold is then recomputed).
std::optional<FoldRecord> decode_fold(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  const std::string text = io::read_file(path);
  const size_t at = text.rfind("sha256 ");
  if (at == std::string::npos ||
      text.substr(at) != "sha256 " + io::sha256_hex(text.substr(0, at)) + "\n")
    return std::nullopt;
  FoldRecord r;
  std::istringstream in(text.substr(0, at));
  std::string line, word;
  std::getline(in, line);
  if (line != "geosim-backtest-fold-1") return std::nullopt;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    ls >> word;
    if (word == "point") {
      while (ls >> word) r.fold.point.push_back(std::stod(word));
    } else if (word == "evaluations") {
      ls >> r.fold.evaluations;
    } else if (word == "simulations") {
      ls >> r.fold.simulations;
    } else if (word == "replicates") {
      ls >> r.replicates;
    } else if (word == "case") {
      size_t i;
      ls >> i;
      std::vector<std::vector<double>> probs;
      while (ls >> word) {
        if (word == "|")
          probs.emplace_back();
        else if (!probs.empty())
          probs.back().push_back(*io::try_parse_double(word));
      }
      r.cases.emplace_back(i, std::move(probs));
    }
  }
  return r;
}

}  // namespace

Spec prepare(const sim::Model& model, const std::vector<double>& base_uniforms,
             const std::string& cases_path, std::vector<calibrate::FreeParam> free,
             const calibrate::Method& method, int folds, const std::string& outcome,
             const std::string& positive) {
  Spec s;
  s.model = &model;
  s.base_uniforms = base_uniforms;
  s.free = std::move(free);
  s.method = method;
  s.folds = folds;
  std::vector<std::string> free_names;
  for (const auto& f : s.free) free_names.push_back(f.name);
  // Only the scored outcome is read: the cells of the file's other outcome columns are
  // blanked (not observed) before the calibrate parser checks the file.
  io::CsvTable table = io::read_csv(cases_path);
  const SourceLoc file{cases_path, 1};
  std::vector<std::string> columns;
  for (const auto& h : table.header)
    if (h != "case" && h != "sets" && h != "title" && h != "sources" && h != "notes")
      columns.push_back(h);
  std::string name = outcome;
  if (name.empty()) {
    if (columns.size() != 1)
      throw UserError(file, "the file has " + std::to_string(columns.size()) +
                                " outcome columns (" + quoted_list(columns, " and ") +
                                "); choose the one to score with --outcome NAME");
    name = columns[0];
  }
  if (std::find(columns.begin(), columns.end(), name) == columns.end())
    throw UserError(SourceLoc{"--outcome " + name},
                    "the cases file has no column '" + name + "'" + did_you_mean(name, columns) +
                        "; expected one of " + quoted_list(columns));
  for (size_t c = 0; c < table.header.size(); ++c)
    if (table.header[c] != name &&
        std::find(columns.begin(), columns.end(), table.header[c]) != columns.end())
      for (auto& row : table.rows) row[c].clear();
  calibrate::Observations all = calibrate::parse_observations(table, model, free_names);
  for (size_t o = 0; o < model.outcomes.size(); ++o)
    if (model.outcomes[o].name == name) s.outcome = static_cast<int>(o);
  const sim::OutcomeModel& om = model.outcomes[static_cast<size_t>(s.outcome)];
  s.categorical = om.kind == OutcomeKind::kCases;
  s.classes = s.categorical ? om.labels : std::vector<std::string>{"0", "1"};
  if (s.categorical) {
    const std::string want = positive.empty() ? om.labels[0] : positive;
    auto it = std::find(om.labels.begin(), om.labels.end(), want);
    if (it == om.labels.end())
      throw UserError(SourceLoc{"--positive " + want},
                      "outcome '" + name + "' has no label '" + want + "'" +
                          did_you_mean(want, om.labels) + "; expected one of " +
                          quoted_list(om.labels));
    s.positive = static_cast<int>(it - om.labels.begin());
  } else if (!positive.empty() && positive != "1") {
    throw UserError(SourceLoc{"--positive " + positive},
                    "outcome '" + name +
                        "' is 0/1: the event scored is 1; --positive applies to "
                        "a `cases` outcome only");
  }
  DiagnosticList diags;
  for (auto& c : all.cases) {
    std::vector<calibrate::Target> kept;
    for (const auto& t : c.targets)
      if (t.outcome == s.outcome) kept.push_back(t);
    if (kept.empty()) {
      diags.add(c.loc, "case '" + c.id + "' does not observe '" + name +
                           "'; expected every case of a backtest to observe the scored outcome");
      continue;
    }
    const calibrate::Target& t = kept[0];
    if (!s.categorical &&
        !(t.kind == calibrate::TargetKind::kExact && (t.value == 0 || t.value == 1))) {
      diags.add(t.loc, "'" + t.text + "' for outcome '" + name +
                           "'; expected 0 or 1 (a backtest scores a 0/1 outcome or the labels "
                           "of a `cases` outcome)");
      continue;
    }
    s.observed.push_back(static_cast<int>(t.value));
    c.targets = kept;
  }
  diags.throw_if_any();
  if (all.cases.size() < 2)
    throw UserError(file, "a backtest needs at least 2 cases; the file has " +
                              std::to_string(all.cases.size()));
  if (folds == 1 || folds < 0)
    throw UserError(SourceLoc{"--folds"},
                    std::to_string(folds) + " folds; expected 0 (leave-one-out) or at least 2");
  s.cases = std::move(all);
  return s;
}

void add_subset(Spec& spec, const std::string& path) {
  io::CsvTable t = io::read_csv(path);
  const size_t col = static_cast<size_t>(t.require_column("case"));
  Subset sub;
  sub.name = path;
  DiagnosticList diags;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string& id = t.rows[r][col];
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < spec.cases.cases.size(); ++i)
      if (spec.cases.cases[i].id == id) found = i;
    if (found == SIZE_MAX) {
      std::vector<std::string> ids;
      for (const auto& c : spec.cases.cases) ids.push_back(c.id);
      diags.add(t.row_loc(r), "case '" + id + "' is not in the backtest's cases file" +
                                  did_you_mean(id, ids) + "; expected a subset of its cases");
    } else if (std::find(sub.indices.begin(), sub.indices.end(), found) == sub.indices.end()) {
      sub.indices.push_back(found);
    }
  }
  diags.throw_if_any();
  if (sub.indices.empty()) throw UserError(SourceLoc{path, 1}, "no cases; expected at least one");
  std::sort(sub.indices.begin(), sub.indices.end());
  spec.subsets.push_back(std::move(sub));
}

std::vector<int> assign_folds(size_t n, int k, uint64_t seed) {
  std::vector<int> fold(n);
  if (k <= 0 || static_cast<size_t>(k) >= n) {
    std::iota(fold.begin(), fold.end(), 0);
    return fold;
  }
  std::vector<std::pair<uint64_t, size_t>> order;
  for (size_t i = 0; i < n; ++i) order.emplace_back(calibrate::derive_seed(seed, 0xF01Dull, i), i);
  std::sort(order.begin(), order.end());
  for (size_t j = 0; j < n; ++j)
    fold[order[j].second] = static_cast<int>(j % static_cast<size_t>(k));
  return fold;
}

std::vector<std::string> forecast_names(const Spec& spec) {
  if (spec.free.empty()) return {"template", "base_rate"};
  return {"fitted", "template", "base_rate"};
}

std::string backtest_key(const Spec& spec) {
  calibrate::Problem p{spec.model, spec.base_uniforms, spec.cases, spec.free};
  return io::sha256_hex("geosim-backtest-1\n" + calibrate::fit_key(p, spec.method) + "\nfolds " +
                        std::to_string(spec.folds) + " outcome " + std::to_string(spec.outcome) +
                        " positive " + std::to_string(spec.positive) + "\n");
}

Result run(const Spec& spec, const calibrate::Context& context) {
  const auto t0 = std::chrono::steady_clock::now();
  const size_t n = spec.cases.cases.size();
  const std::vector<int> fold_of = assign_folds(n, spec.folds, spec.method.seed);
  const int n_folds = *std::max_element(fold_of.begin(), fold_of.end()) + 1;
  Result result;
  result.cases.resize(n);
  result.folds.resize(static_cast<size_t>(n_folds));
  for (size_t i = 0; i < n; ++i) {
    result.cases[i].fold = fold_of[i];
    result.folds[static_cast<size_t>(fold_of[i])].held_out.push_back(i);
  }
  // The state folder: a key, then one file per finished fold, and a calibrate state folder
  // per running fit.
  const std::string& dir = context.state_dir;
  const bool keep = !dir.empty() && dist::rank() == 0;
  if (keep) {
    const std::string key = backtest_key(spec);
    std::error_code ec;
    if (context.resume && fs::exists(dir + "/key")) {
      if (io::read_file(dir + "/key") != key + "\n")
        throw UserError(SourceLoc{dir},
                        "--resume: this folder holds another backtest (scenario, cases, outcome, "
                        "free parameters, method, folds or seed changed); run without --resume to "
                        "start again");
    } else {
      fs::remove_all(dir, ec);
    }
    fs::create_directories(dir, ec);
    if (ec) throw UserError(SourceLoc{dir}, "cannot create the state folder: " + ec.message());
    io::write_file_atomically(dir + "/key", key + "\n");
  }
  const calibrate::FitResult own = template_fit(spec);
  const bool fitting = !spec.free.empty();
  std::vector<FoldRecord> records(static_cast<size_t>(n_folds));
  auto do_fold = [&](int f, int threads) {
    const std::string done = dir + "/fold-" + std::to_string(f) + ".done";
    bool have = false;
    if (context.resume && !dir.empty()) {
      // Every rank reads the same file (rank 0 wrote it), so all agree on what is done.
      if (auto r = decode_fold(done)) {
        records[static_cast<size_t>(f)] = std::move(*r);
        records[static_cast<size_t>(f)].fold.resumed = true;
        have = true;
      }
    }
    if (have) return;
    const auto tf = std::chrono::steady_clock::now();
    FoldRecord rec;
    calibrate::Context ctx = context;
    ctx.threads = threads;
    ctx.progress = false;
    ctx.state_dir = dir.empty() ? std::string() : dir + "/fold-" + std::to_string(f);
    std::vector<size_t> train;
    for (size_t i = 0; i < n; ++i)
      if (fold_of[i] != f) train.push_back(i);
    calibrate::FitResult fit;
    if (fitting) {
      calibrate::Problem p{spec.model, spec.base_uniforms,
                           calibrate::select_cases(spec.cases, train), spec.free};
      fit = calibrate::fit(p, spec.method, ctx);
      rec.fold.point = fit.point;
      rec.fold.evaluations = fit.evaluations;
      rec.fold.simulations = fit.simulations;
    }
    ctx.state_dir.clear();
    const std::vector<double> base = base_rate(spec, fold_of, f);
    for (size_t i : result.folds[static_cast<size_t>(f)].held_out) {
      std::vector<std::vector<double>> probs;
      if (fitting) probs.push_back(class_probs(spec, i, fit, ctx, &rec.replicates));
      probs.push_back(class_probs(spec, i, own, ctx, &rec.replicates));
      probs.push_back(base);
      rec.cases.emplace_back(i, std::move(probs));
    }
    rec.fold.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - tf).count();
    if (keep) {
      io::write_file_atomically(done, encode_fold(rec));
      std::error_code ec;
      fs::remove_all(dir + "/fold-" + std::to_string(f), ec);
    }
    records[static_cast<size_t>(f)] = std::move(rec);
  };
  // Folds over threads (not under MPI: a fit's batches are collective over the ranks).
  const int threads = std::max(1, context.threads);
  const int workers = dist::active() ? 1 : std::min(threads, n_folds);
  const int per_fit = std::max(1, threads / workers);
  std::atomic<int> next{0}, finished{0};
  std::mutex mu;
  std::exception_ptr failure;
  int failed_at = n_folds;
  auto worker = [&] {
    for (;;) {
      const int f = next.fetch_add(1);
      if (f >= n_folds) return;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (failure) return;
      }
      try {
        do_fold(f, per_fit);
        const int k = ++finished;
        if (context.progress && dist::rank() == 0) {
          std::lock_guard<std::mutex> lock(mu);
          std::fprintf(stderr, "geosim: backtest fold %d/%d done\n", k, n_folds);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (f < failed_at) failed_at = f, failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  for (int f = 0; f < n_folds; ++f) {
    FoldRecord& rec = records[static_cast<size_t>(f)];
    FoldResult& fr = result.folds[static_cast<size_t>(f)];
    fr.point = rec.fold.point;
    fr.evaluations = rec.fold.evaluations;
    fr.simulations = rec.fold.simulations;
    fr.wall_seconds = rec.fold.wall_seconds;
    fr.resumed = rec.fold.resumed;
    result.prediction_replicates = std::max(result.prediction_replicates, rec.replicates);
    for (auto& [i, probs] : rec.cases) result.cases[i].probs = std::move(probs);
  }
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

void write_folder(const std::string& out, const Spec& spec, const Result& result,
                  experiment::ManifestInfo info) {
  const std::vector<std::string> forecasts = forecast_names(spec);
  const size_t F = forecasts.size(), K = spec.classes.size(), n = spec.cases.cases.size();
  outdir::Publication pub(out);  // all files appear together, manifest last
  const auto pos = static_cast<size_t>(spec.positive);
  const double clip = 0.5 / static_cast<double>(std::max<int64_t>(1, result.prediction_replicates));
  {
    std::ostringstream s;
    io::CsvWriter csv(s);
    std::vector<std::string> h = {"case", "fold", "observed", "observed_positive"};
    for (const auto& f : forecasts) h.push_back(f + "_positive"), h.push_back(f + "_observed");
    if (spec.categorical)
      for (const auto& f : forecasts)
        for (const auto& c : spec.classes) h.push_back(f + ":" + c);
    csv.row(h);
    for (size_t i = 0; i < n; ++i) {
      const CaseResult& c = result.cases[i];
      const auto o = static_cast<size_t>(spec.observed[i]);
      std::vector<std::string> row = {spec.cases.cases[i].id, std::to_string(c.fold),
                                      spec.classes[o], o == pos ? "1" : "0"};
      for (size_t f = 0; f < F; ++f)
        row.push_back(num(c.probs[f][pos])), row.push_back(num(c.probs[f][o]));
      if (spec.categorical)
        for (size_t f = 0; f < F; ++f)
          for (size_t k = 0; k < K; ++k) row.push_back(num(c.probs[f][k]));
      csv.row(row);
    }
    pub.write("backtest.csv", s.str());
  }
  std::vector<Subset> groups = {Subset{"all", {}}};
  groups[0].indices.resize(n);
  std::iota(groups[0].indices.begin(), groups[0].indices.end(), size_t{0});
  for (const auto& sub : spec.subsets) groups.push_back(sub);
  {
    std::ostringstream s, r;
    io::CsvWriter csv(s), rel(r);
    csv.row({"cases", "forecast", "metric", "value"});
    rel.row({"cases", "forecast", "bin", "bin_low", "bin_high", "count", "positives",
             "mean_predicted", "observed_frequency", "ci_low", "ci_high"});
    for (const auto& g : groups) {
      std::vector<int> o, cls;
      for (size_t i : g.indices) {
        cls.push_back(spec.observed[i]);
        o.push_back(static_cast<size_t>(spec.observed[i]) == pos ? 1 : 0);
      }
      const int positives = std::accumulate(o.begin(), o.end(), 0);
      auto probs_of = [&](size_t f) {
        std::vector<double> p;
        std::vector<std::vector<double>> probs;
        for (size_t i : g.indices) {
          p.push_back(result.cases[i].probs[f][pos]);
          probs.push_back(result.cases[i].probs[f]);
        }
        return std::make_pair(p, probs);
      };
      // The skills refer to the base rate (the last forecast).
      const auto [base_p, base_probs] = probs_of(F - 1);
      const double base_brier = brier(base_p, o);
      const double base_brier_mc = spec.categorical ? brier_multiclass(base_probs, cls) : 0;
      for (size_t f = 0; f < F; ++f) {
        const auto [p, probs] = probs_of(f);
        const double b = brier(p, o);
        std::vector<std::pair<std::string, std::string>> rows = {
            {"cases", std::to_string(g.indices.size())},
            {"positives", std::to_string(positives)},
            {"brier", num(b)},
            {"log_score", num(log_score(p, o, clip))},
            {"auc", num(auc(p, o))}};
        if (forecasts[f] != "base_rate")
          rows.emplace_back("brier_skill", num(base_brier > 0 ? 1 - b / base_brier : NAN));
        if (spec.categorical) {
          const double bm = brier_multiclass(probs, cls);
          rows.emplace_back("brier_multiclass", num(bm));
          rows.emplace_back("log_score_multiclass", num(log_score_multiclass(probs, cls, clip)));
          if (forecasts[f] != "base_rate")
            rows.emplace_back("brier_multiclass_skill",
                              num(base_brier_mc > 0 ? 1 - bm / base_brier_mc : NAN));
        }
        rows.emplace_back("log_clip", num(clip));
        for (const auto& [metric, value] : rows) csv.row({g.name, forecasts[f], metric, value});
        const auto bins = reliability(p, o, spec.bins);
        for (size_t b2 = 0; b2 < bins.size(); ++b2) {
          const ReliabilityBin& rb = bins[b2];
          rel.row({g.name, forecasts[f], std::to_string(b2), num(rb.lo), num(rb.hi),
                   std::to_string(rb.count), std::to_string(rb.positives), num(rb.mean_predicted),
                   num(rb.observed_frequency), num(rb.ci_low), num(rb.ci_high)});
        }
      }
    }
    pub.write("scores.csv", s.str());
    pub.write("reliability.csv", r.str());
  }
  {
    std::ostringstream s;
    io::CsvWriter csv(s);
    std::vector<std::string> h = {"fold", "held_out"};
    for (const auto& f : spec.free) h.push_back(f.name);
    h.push_back("evaluations");
    h.push_back("simulations");
    csv.row(h);
    for (size_t f = 0; f < result.folds.size(); ++f) {
      const FoldResult& fr = result.folds[f];
      std::string held;
      for (size_t i : fr.held_out) {
        if (!held.empty()) held += ' ';
        held += spec.cases.cases[i].id;
      }
      std::vector<std::string> row = {std::to_string(f), held};
      for (double v : fr.point) row.push_back(num(v));
      row.push_back(std::to_string(fr.evaluations));
      row.push_back(std::to_string(fr.simulations));
      csv.row(row);
    }
    pub.write("folds.csv", s.str());
  }
  experiment::ScenarioRun run;
  run.model = spec.model;
  run.uniforms = spec.base_uniforms;
  run.seed = spec.method.seed;
  run.replicates = spec.method.default_replicates();
  run.ok = true;
  int64_t evaluations = 0, simulations = 0;
  for (const auto& fr : result.folds) evaluations += fr.evaluations, simulations += fr.simulations;
  auto user_extra = info.extra;
  info.wall_seconds = result.wall_seconds;
  info.extra = [&, user_extra](io::JsonWriter& w) {
    if (user_extra) user_extra(w);
    w.key("backtest").begin_object();
    w.member("cases_file", spec.cases.path);
    w.member("cases_sha256", io::sha256_file(spec.cases.path));
    w.member("cases", static_cast<int64_t>(n));
    w.member("outcome", spec.model->outcomes[static_cast<size_t>(spec.outcome)].name);
    w.member("positive", spec.classes[pos]);
    w.member("folds", static_cast<int64_t>(result.folds.size()));
    w.member("scheme", std::string(result.folds.size() == n ? "leave-one-out" : "k-fold"));
    w.member("method", std::string(calibrate::method_name(spec.method.kind)));
    w.member("seed", std::to_string(spec.method.seed));
    w.member("replicates_per_evaluation", spec.method.default_replicates());
    w.member("prediction_replicates", result.prediction_replicates);
    w.member("log_clip", clip);
    w.key("free").begin_array();
    for (const auto& f : spec.free) {
      w.begin_object();
      w.member("name", f.name);
      w.member("prior", f.prior.text());
      w.end_object();
    }
    w.end_array();
    w.key("subsets").begin_array();
    for (const auto& sub : spec.subsets) w.value(sub.name);
    w.end_array();
    w.member("evaluations", evaluations);
    w.member("simulations", simulations);
    w.member("key", backtest_key(spec));
    w.end_object();
  };
  const std::string manifest = experiment::manifest_text(info, {run}, pub);
  pub.write("manifest.json", manifest);
  pub.publish(outdir::result_names());
}

}  // namespace geosim::backtest
