// Internal to engine/calibrate: the three fitting methods and what they share.
#pragma once

#include <string>
#include <vector>

#include "calibrate/calibrate.h"
#include "calibrate/evaluate.h"

namespace geosim::calibrate {

FitResult fit_mle(const Problem& problem, const Method& method, const Context& context,
                  const std::string& key);
FitResult fit_abc_smc(const Problem& problem, const Method& method, const Context& context,
                      const std::string& key);
FitResult fit_pmmh(const Problem& problem, const Method& method, const Context& context,
                   const std::string& key);

// Tasks for one parameter point: one per case, case c with seed derive_seed(seed, a, b, c).
std::vector<Task> point_tasks(const Problem& problem, const std::vector<double>& theta,
                              uint64_t seed, uint64_t a, uint64_t b);

// The largest kernel value of a case's targets (1 for exact matches, 1/(sd sqrt(2 pi)) per
// Gaussian target): the smoothing of the simulated likelihood adds half a replicate of it.
double kernel_max(const Case& c);

// A lower-triangular Cholesky factor of a symmetric positive (semi)definite d x d matrix
// (row-major), with a tiny ridge when it is singular.
std::vector<double> cholesky(std::vector<double> a, size_t d);

// Sum of log prior densities.
double log_prior(const Problem& problem, const std::vector<double>& theta);

// An affine map of each free parameter onto about [0, 1] (its support, or mean +- 2 sd for
// an unbounded normal), for optimisers and proposal scales.
struct Scale {
  std::vector<double> offset, width;
  explicit Scale(const Problem& problem);
};

// ESS of one chain's draws by Geyer's initial monotone sequence estimator.
double chain_ess(const std::vector<double>& x);

void progress_line(const Context& context, const std::string& text);

}  // namespace geosim::calibrate
