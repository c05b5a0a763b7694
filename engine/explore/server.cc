// The explorer's HTTP server (server.h): Beast's asynchronous session pattern.
#include "explore/server.h"

#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <optional>

#include "core/error.h"

namespace geosim::explore {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdle = std::chrono::seconds(30);

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Explorer& explorer, asio::thread_pool& workers,
          std::atomic<int>& open)
      : stream_(std::move(socket)), explorer_(explorer), workers_(workers), open_(open) {
    ++open_;
  }
  ~Session() { --open_; }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kIdle);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit)
      return send(Explorer::refusal(http::status::payload_too_large,
                                    "refused: the request body is over " +
                                        std::to_string(kMaxBodyBytes) + " bytes"),
                  true);
    if (ec == http::error::header_limit)
      return send(Explorer::refusal(http::status::request_header_fields_too_large,
                                    "refused: the request headers are over " +
                                        std::to_string(kMaxHeaderBytes) + " bytes"),
                  true);
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category())
      return send(
          Explorer::refusal(http::status::bad_request, "malformed request: " + ec.message()), true);
    if (ec) return close();  // the connection broke
    Request req = parser_->release();
    // Answered on the pool (a run takes a while); the answer is written on this
    // connection's strand.
    asio::post(workers_, [self = shared_from_this(), req = std::move(req)]() mutable {
      Response res = self->explorer_.handle(req);
      asio::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
        const bool close = !res.keep_alive();
        self->send(std::move(res), close);
      });
    });
  }

  void send(Response res, bool close_after) {
    if (close_after) res.keep_alive(false);
    auto held = std::make_shared<Response>(std::move(res));
    stream_.expires_after(kIdle);
    http::async_write(stream_, *held,
                      [self = shared_from_this(), held, close_after](beast::error_code ec, size_t) {
                        if (ec || close_after) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Explorer& explorer_;
  asio::thread_pool& workers_;
  std::atomic<int>& open_;
};

}  // namespace

struct Server::Impl {
  // Destroyed bottom up: the pool first (joined), then the sockets, then what sessions use.
  Explorer& explorer;
  std::atomic<int> open{0};
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::thread_pool workers{4};

  explicit Impl(Explorer& e) : explorer(e) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        if (open.load() >= kMaxConnections) {
          beast::error_code ignored;
          s.close(ignored);
        } else {
          std::make_shared<Session>(std::move(s), explorer, workers, open)->start();
        }
      }
      accept();
    });
  }
};

Server::Server(Explorer& explorer, uint16_t port) : impl_(std::make_unique<Impl>(explorer)) {
  const tcp::endpoint where{asio::ip::make_address_v4("127.0.0.1"), port};
  beast::error_code ec;
  auto fail = [&](const char* what) {
    throw UserError(SourceLoc{"geosim explore"},
                    std::string("cannot ") + what + " 127.0.0.1:" + std::to_string(port) + ": " +
                        ec.message() +
                        (port ? "; try another --port, or --port 0 for a free one" : ""));
  };
  impl_->acceptor.open(where.protocol(), ec);
  if (ec) fail("open a socket for");
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(where, ec);
  if (ec) fail("listen on");
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen on");
  explorer.set_port(this->port());
}

Server::~Server() {
  stop();
  impl_->workers.join();
}

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string Server::url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/"; }

void Server::run(bool until_signal) {
  std::optional<asio::signal_set> signals;
  if (until_signal) {
    signals.emplace(impl_->io, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code, int) { impl_->io.stop(); });
  }
  impl_->accept();
  impl_->io.run();
}

void Server::stop() { impl_->io.stop(); }

}  // namespace geosim::explore
