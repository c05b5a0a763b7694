// geosim's entry point: start MPI when launched by mpirun, then dispatch to a command.
#include <string>
#include <vector>

#include "cli/command.h"
#include "dist/dist.h"

int main(int argc, char** argv) {
  geosim::dist::Session mpi(&argc, &argv);
  return geosim::cli::dispatch(std::vector<std::string>(argv + 1, argv + argc));
}
