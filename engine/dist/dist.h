// Processes that share one run: MPI ranks when geosim is started by mpirun, otherwise a
// single process. Everything above this layer asks only "which rank am I, how many are
// we" and exchanges opaque byte strings, so the engine has no MPI dependency and a build
// without OpenMPI behaves exactly like one process.
#pragma once

#include <string>
#include <vector>

namespace geosim::dist {

// Initialises MPI if (and only if) this process was launched by an MPI launcher
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK in the environment) and the build has MPI.
// Finalises on destruction. Create one, in main().
class Session {
 public:
  Session(int* argc, char*** argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank();     // 0 without MPI
int size();     // 1 without MPI
bool active();  // MPI initialised and size() > 1

// Rank 0 receives every rank's string, in rank order (its own first); other ranks get {}.
std::vector<std::string> gather(const std::string& mine);
// Every rank receives rank 0's string.
std::string broadcast(const std::string& from_root);
void barrier();
// The largest value over ranks (e.g. an exit code), known to every rank.
int max_over_ranks(int value);

}  // namespace geosim::dist
