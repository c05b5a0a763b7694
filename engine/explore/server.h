// The explorer's HTTP server: Boost.Beast over Boost.Asio (header-only, from Debian's
// libboost-dev), bound to 127.0.0.1 only. One I/O thread reads and writes; requests are
// answered by Explorer::handle on a small pool, so a run never blocks reading the next
// request. Each connection reads at most one request of 8 KiB of headers and 64 KiB of
// body at a time, and is closed after 30 s without progress; at most kMaxConnections are
// open at once (more are closed at once).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "explore/explorer.h"

namespace geosim::explore {

inline constexpr int kMaxConnections = 64;

class Server {
 public:
  // Binds 127.0.0.1:`port` (0: a free port the system picks) and tells `explorer` the port.
  // UserError when the port cannot be bound (in use, no permission).
  Server(Explorer& explorer, uint16_t port);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:PORT/

  // Serves until stop() (from any thread) or, with `until_signal`, SIGINT or SIGTERM.
  void run(bool until_signal = false);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim::explore
