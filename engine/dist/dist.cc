#include "dist/dist.h"

#include <cstdlib>

#ifdef GEOSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace geosim::dist {

namespace {
bool g_active = false;
int g_rank = 0, g_size = 1;

bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}
}  // namespace

Session::Session(int* argc, char*** argv) {
#ifdef GEOSIM_HAVE_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
#else
  (void)argc;
  (void)argv;
#endif
}

Session::~Session() {
#ifdef GEOSIM_HAVE_MPI
  if (g_active) MPI_Finalize();
#endif
}

int rank() { return g_rank; }
int size() { return g_size; }
bool active() { return g_active && g_size > 1; }

std::vector<std::string> gather(const std::string& mine) {
#ifdef GEOSIM_HAVE_MPI
  if (active()) {
    long long len = static_cast<long long>(mine.size());
    std::vector<long long> lens(static_cast<size_t>(g_size));
    MPI_Gather(&len, 1, MPI_LONG_LONG, lens.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    std::vector<std::string> out;
    if (g_rank == 0) {
      out.resize(static_cast<size_t>(g_size));
      out[0] = mine;
      for (int r = 1; r < g_size; ++r) {
        // Point-to-point in chunks: counts of MPI calls are ints.
        std::string& s = out[static_cast<size_t>(r)];
        s.resize(static_cast<size_t>(lens[static_cast<size_t>(r)]));
        size_t off = 0;
        while (off < s.size()) {
          int chunk = static_cast<int>(std::min<size_t>(s.size() - off, 1 << 30));
          MPI_Recv(s.data() + off, chunk, MPI_CHAR, r, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          off += static_cast<size_t>(chunk);
        }
      }
    } else {
      size_t off = 0;
      while (off < mine.size()) {
        int chunk = static_cast<int>(std::min<size_t>(mine.size() - off, 1 << 30));
        MPI_Send(mine.data() + off, chunk, MPI_CHAR, 0, 7, MPI_COMM_WORLD);
        off += static_cast<size_t>(chunk);
      }
    }
    return out;
  }
#endif
  return {mine};
}

std::string broadcast(const std::string& from_root) {
#ifdef GEOSIM_HAVE_MPI
  if (active()) {
    long long len = static_cast<long long>(from_root.size());
    MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    std::string s = g_rank == 0 ? from_root : std::string(static_cast<size_t>(len), '\0');
    size_t off = 0;
    while (off < s.size()) {
      int chunk = static_cast<int>(std::min<size_t>(s.size() - off, 1 << 30));
      MPI_Bcast(s.data() + off, chunk, MPI_CHAR, 0, MPI_COMM_WORLD);
      off += static_cast<size_t>(chunk);
    }
    return s;
  }
#endif
  return from_root;
}

void barrier() {
#ifdef GEOSIM_HAVE_MPI
  if (active()) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

int max_over_ranks(int value) {
#ifdef GEOSIM_HAVE_MPI
  if (active()) {
    int out = value;
    MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
  }
#endif
  return value;
}

}  // namespace geosim::dist
