#include "transport/emulated/upstream_connection.hpp"

#include <array>
#include <asio/ssl/error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <optional>
#include <utility>

#include "http/ascii.hpp"
#include "http/response_reader.hpp"
#include "tls/client_tls_context.hpp"
#include "tls/tls_stream.hpp"

namespace tether::transport::emulated {
namespace {

using Tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

/// What a read takes at most when the exchange does not say (libcurl's default).
constexpr std::size_t default_receive_buffer = std::size_t{16} * 1024;

/// Whether `line` is libcurl's "Name:" with nothing after the colon, which removes a header
/// libcurl would add instead of sending one.
bool removes_header(std::string_view line) {
  const auto colon = line.find(':');
  return colon != std::string_view::npos &&
         line.find_first_not_of(" \t", colon + 1) == std::string_view::npos;
}

bool names_header(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         http::ascii_iequals(line.substr(0, name.size()), name);
}

/// The request's head as it goes on the wire (RFC 9112 section 3), with the fields libcurl sends
/// in the order it sends them, so that the gateway, and whatever stands in front of it, sees the
/// same request from either client.
std::string request_head(const http::CurlExchange& exchange, std::size_t body_size) {
  // Reserved whole, so that no reallocation leaves a copy of the credentials unwiped.
  std::size_t size = 128 + exchange.method.size() + exchange.url.target.size() +
                     exchange.url.host.size() + exchange.user_agent.size();
  for (const auto& line : exchange.header_lines) size += line.value().size() + 2;
  std::string bytes;
  bytes.reserve(size);
  bytes.append(exchange.method).append(" ").append(exchange.url.target).append(" HTTP/1.1\r\n");
  bytes.append("Host: ").append(exchange.url.host_field()).append("\r\n");
  const auto& lines = exchange.header_lines;
  const auto has = [&lines](std::string_view name) {
    for (const auto& line : lines) {
      if (names_header(line.value(), name)) return true;
    }
    return false;
  };
  if (!exchange.user_agent.empty() && !has("User-Agent")) {
    bytes.append("User-Agent: ").append(exchange.user_agent).append("\r\n");
  }
  if (!has("Accept")) bytes.append("Accept: */*\r\n");
  for (const auto& line : lines) {
    if (!removes_header(line.value())) bytes.append(line.value()).append("\r\n");
  }
  bytes.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n\r\n");
  return bytes;
}

bool is_end_of_stream(const std::error_code& ec) {
  // A TLS peer that closes without close_notify ends the stream as a plain close does: what the
  // response was is up to its framing, as for libcurl.
  return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

/// The connection and the request under way. Asio's handlers hold it, so that one completing
/// after the UpstreamConnection is gone finds it; `attempt_` tells whether they are still wanted.
class UpstreamConnection::State final : public std::enable_shared_from_this<State>,
                                        private http::ResponseReader::Sink {
 public:
  State(asio::io_context& io, Tcp::endpoint server, std::shared_ptr<tls::ClientTlsContext> tls)
      : io_(io),
        server_(std::move(server)),
        tls_(std::move(tls)),
        tcp_(io),
        connect_timer_(io),
        stall_timer_(io) {}

  void start(http::CurlExchange exchange, std::string_view body,
             http::CurlMulti::Callbacks callbacks) {
    exchange_ = std::move(exchange);
    callbacks_ = std::move(callbacks);
    // A Secret, wiped when replaced: the head holds the credentials and the cookies.
    head_ = auth::Secret(request_head(exchange_, body.size()));
    body_ = body;
    exchange_.header_lines = {};
    sent_again_ = false;
    const std::uint64_t attempt = ++attempt_;
    busy_ = true;
    asio::post(io_, [self = shared_from_this(), attempt] {
      if (self->wanted(attempt)) self->send();
    });
  }

  void cancel() {
    ++attempt_;
    busy_ = false;
    close();  // before the bytes a write may still point at go
    callbacks_ = {};
    head_ = {};
    body_ = {};
  }

 private:
  bool wanted(std::uint64_t attempt) const { return busy_ && attempt == attempt_; }

  /// Sends the request, on a new connection unless one is open: a new attempt, whose handlers
  /// those of the earlier ones are told apart from.
  void send() {
    ++attempt_;
    reused_ = open_;
    moved_bytes();
    reader_.reset();
    outcome_ = {};
    if (open_) {
      write();
    } else {
      connect();
    }
  }

  // ---- connecting ----

  void connect() {
    close();
    if (tls_) {
      std::unique_ptr<tls::TlsStream> stream;
      if (auto error = tls::ClientTlsContext::new_stream(tls_, io_, exchange_.url.host, stream)) {
        return report(error);
      }
      tls_stream_ = std::move(stream);
    }
    const std::uint64_t attempt = attempt_;
    if (exchange_.connect_timeout.count() > 0) {
      connect_timer_.expires_after(exchange_.connect_timeout);
      connect_timer_.async_wait([self = shared_from_this(), attempt](std::error_code ec) {
        if (ec || !self->wanted(attempt) || self->open_) return;
        self->close();
        self->report({ErrorCode::ConnectTimeout,
                      "no connection to " + self->exchange_.url.authority() + " for " +
                          self->exchange_.url.for_messages() + " within " +
                          std::to_string(self->exchange_.connect_timeout.count()) +
                          " ms (connect_timeout)"});
      });
    }
    socket().async_connect(
        server_, [self = shared_from_this(), attempt, stream = tls_stream_](std::error_code ec) {
          if (!self->wanted(attempt)) return;
          if (ec) {
            self->connect_timer_.cancel();
            self->close();
            return self->report({ErrorCode::ConnectFailed,
                                 "cannot connect to " + self->exchange_.url.authority() + " for " +
                                     self->exchange_.url.for_messages() + ": " + ec.message() +
                                     "; is the server running on that port?"});
          }
          std::error_code ignored;
          self->socket().set_option(Tcp::no_delay(true), ignored);
          if (self->tls_stream_) return self->handshake();
          self->connected();
        });
  }

  void handshake() {
    const std::uint64_t attempt = attempt_;
    tls_stream_->async_handshake(
        [self = shared_from_this(), attempt, stream = tls_stream_](std::error_code ec) {
          if (!self->wanted(attempt)) return;
          if (ec) {
            self->connect_timer_.cancel();
            Error error = self->tls_->describe_failure(stream->native_handle(),
                                                       self->exchange_.url.host, ec.message());
            self->close();
            return self->report(error);
          }
          self->connected();
        });
  }

  void connected() {
    connect_timer_.cancel();
    open_ = true;
    write();
  }

  // ---- the exchange ----

  void write() {
    moved_bytes();
    const std::uint64_t attempt = attempt_;
    auto written = [self = shared_from_this(), attempt, stream = tls_stream_](std::error_code ec,
                                                                              std::size_t) {
      if (!self->wanted(attempt)) return;
      if (ec) return self->lost(ec.message());
      self->moved_bytes();
      self->read();
    };
    const std::array<asio::const_buffer, 2> bytes{asio::buffer(head_.value()), asio::buffer(body_)};
    if (tls_stream_) {
      asio::async_write(*tls_stream_, bytes, std::move(written));
    } else {
      asio::async_write(tcp_, bytes, std::move(written));
    }
  }

  void read() {
    // Kept from one request to the next while the size asked for stays the same: a large one,
    // allocated and released at every request, would cost its zeroing or its page faults each
    // time. Uninitialised, since reads fill it.
    const std::size_t wanted =
        exchange_.receive_buffer != 0 ? exchange_.receive_buffer : default_receive_buffer;
    if (buffer_size_ != wanted) {
      buffer_.reset(new char[wanted]);
      buffer_size_ = wanted;
    }
    const std::uint64_t attempt = attempt_;
    auto arrived = [self = shared_from_this(), attempt, stream = tls_stream_](std::error_code ec,
                                                                              std::size_t size) {
      if (!self->wanted(attempt)) return;
      if (is_end_of_stream(ec)) return self->ended();
      if (ec) return self->lost(ec.message());
      self->moved_bytes();
      const Error error = self->reader_.read({self->buffer_.get(), size}, *self);
      if (!self->wanted(attempt)) return;  // a callback cancelled it
      if (error) return self->refuse(error);
      if (self->reader_.complete()) return self->complete();
      self->read();
    };
    if (tls_stream_) {
      tls_stream_->async_read_some(asio::buffer(buffer_.get(), buffer_size_), std::move(arrived));
    } else {
      tcp_.async_read_some(asio::buffer(buffer_.get(), buffer_size_), std::move(arrived));
    }
  }

  /// The gateway closed the connection: the end of a body delimited by the close, or a loss.
  void ended() {
    const Error error = reader_.read_end();
    close();
    if (error) return lost(error.message);
    complete();
  }

  // http::ResponseReader::Sink
  void on_head(const http::Response& head) override {
    if (!busy_) return;
    outcome_.response.status = head.status;
    outcome_.response.headers = head.headers;
    if (callbacks_.stream.head) callbacks_.stream.head(head);
  }

  void on_body(std::string_view bytes) override {
    if (!busy_) return;
    if (callbacks_.stream.body) {
      callbacks_.stream.body(bytes);
    } else {
      outcome_.response.body.append(bytes);
    }
  }

  // ---- ends ----

  void complete() {
    if (!reader_.keeps_connection()) close();
    report({});
  }

  /// The response broke HTTP: the connection cannot carry another request.
  void refuse(const Error& error) {
    close();
    report({error.code, "the response from " + exchange_.url.authority() + " to " +
                            exchange_.url.for_messages() + ": " + error.message});
  }

  /// The connection failed. A request sent on a connection kept from an earlier one that got no
  /// byte back went to a connection the gateway had closed, as one does after some idle time:
  /// it is sent again on a new one (the gateway takes an upstream request's frames once, section
  /// 7), once.
  void lost(const std::string& detail) {
    close();
    if (reused_ && !reader_.started() && !sent_again_) {
      sent_again_ = true;
      return send();
    }
    report({ErrorCode::ConnectionLost, "the connection to " + exchange_.url.authority() + " for " +
                                           exchange_.url.for_messages() + " was lost: " + detail});
  }

  void report(const Error& error) {
    busy_ = false;
    ++attempt_;
    head_ = {};
    body_ = {};
    auto done = std::move(callbacks_.done);
    callbacks_ = {};
    const http::CurlOutcome outcome = std::move(outcome_);
    outcome_ = {};
    if (done) done(error, outcome);
  }

  // ---- the connection ----

  Tcp::socket& socket() { return tls_stream_ ? tls_stream_->next_layer() : tcp_; }

  void close() {
    open_ = false;
    std::error_code ignored;
    socket().close(ignored);
    // A handler still to come keeps its stream (Asio's TLS operations need it until they end).
    tls_stream_.reset();
    connect_timer_.cancel();
  }

  /// Bytes went one way or the other: the stall limit counts from now. One timer, armed while a
  /// request is under way and checked when it fires, rather than re-armed at each read.
  void moved_bytes() {
    if (exchange_.stall_timeout.count() == 0) return;
    last_progress_ = Clock::now();
    if (stall_timer_armed_) return;
    arm_stall_timer(exchange_.stall_timeout);
  }

  void arm_stall_timer(Clock::duration after) {
    stall_timer_armed_ = true;
    stall_timer_.expires_after(after);
    stall_timer_.async_wait([weak = weak_from_this()](std::error_code) {
      auto self = weak.lock();
      if (!self) return;
      self->stall_timer_armed_ = false;
      if (!self->busy_) return;
      const auto still = Clock::now() - self->last_progress_;
      if (still < self->exchange_.stall_timeout) {
        return self->arm_stall_timer(self->exchange_.stall_timeout - still);
      }
      self->close();
      self->report({ErrorCode::ConnectionLost,
                    "no byte moved for " + std::to_string(self->exchange_.stall_timeout.count()) +
                        " ms on the request to " + self->exchange_.url.for_messages()});
    });
  }

  asio::io_context& io_;
  const Tcp::endpoint server_;
  const std::shared_ptr<tls::ClientTlsContext> tls_;
  Tcp::socket tcp_;                             // over http://
  std::shared_ptr<tls::TlsStream> tls_stream_;  // over https://, which owns its socket
  bool open_ = false;                           // connected (and past the TLS handshake)
  asio::steady_timer connect_timer_;
  asio::steady_timer stall_timer_;
  bool stall_timer_armed_ = false;
  Clock::time_point last_progress_;

  http::CurlExchange exchange_;  // the request under way, without its body and header lines
  http::CurlMulti::Callbacks callbacks_;
  auth::Secret head_;          // the request's head as sent
  std::string_view body_;      // the caller's
  std::uint64_t attempt_ = 0;  // which attempt the handlers belong to; bumped at each end too
  bool busy_ = false;
  bool reused_ = false;      // the request went on a connection an earlier request opened
  bool sent_again_ = false;  // ... and was sent again on a new one
  http::ResponseReader reader_;
  std::unique_ptr<char[]> buffer_;  // where reads go
  std::size_t buffer_size_ = 0;
  http::CurlOutcome outcome_;
};

UpstreamConnection::UpstreamConnection(asio::io_context& io, asio::ip::tcp::endpoint server,
                                       std::shared_ptr<tls::ClientTlsContext> tls)
    : state_(std::make_shared<State>(io, std::move(server), std::move(tls))) {}

UpstreamConnection::~UpstreamConnection() { state_->cancel(); }

void UpstreamConnection::start(http::CurlExchange exchange, std::string_view body,
                               http::CurlMulti::Callbacks callbacks) {
  state_->start(std::move(exchange), body, std::move(callbacks));
}

}  // namespace tether::transport::emulated
