#pragma once
// The emulated transport's upstream requests over a keep-alive HTTP/1.1 connection of the SDK's
// own, for a session that talks to the gateway directly (no proxy). An upstream request is the
// one request of the emulation that a message's round trip waits for, and libcurl 7.88 spends
// about 90,000 instructions preparing and reading each: more than the rest of the round trip
// together (docs/benchmarks.md, "The SDK's own upstream connection"). Here a request is its
// bytes, formatted once, and the response is read by http::ResponseReader. Everything else of
// the emulation (create, the downstreams, every request through a proxy) stays with libcurl.
//
// The connection goes to the address libcurl connected create to, and over https it is verified
// by the session's tls::ClientTlsContext exactly as wss is: the same trust store, pins, client
// certificate and host name check.

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "curl/curl_multi.hpp"

namespace tether::tls {
class ClientTlsContext;
}

namespace tether::transport::emulated {

/// One keep-alive connection to the gateway, opened at the first request and again after the
/// gateway closed it, carrying one request at a time.
///
/// Thread-safety: every member, and the destructor, on the I/O thread of `io` only; callbacks
/// run there too. Distinct objects: safe.
class UpstreamConnection {
 public:
  /// `server` is the address to connect to; each request's URL host names it for TLS (SNI and
  /// the certificate's name) and the Host header; `tls` verifies it, null over http://.
  UpstreamConnection(asio::io_context& io, asio::ip::tcp::endpoint server,
                     std::shared_ptr<tls::ClientTlsContext> tls);
  /// Stops the request under way, if any, and closes the connection; no callback follows.
  /// Allowed from inside a callback.
  ~UpstreamConnection();
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  /// Sends `exchange` (its URL, method, header lines and User-Agent; no proxy) with `body` and
  /// reports as CurlMulti does: `stream.head` and `stream.body` as the response arrives (without
  /// `stream.body`, the body is in `done`'s outcome), then `done` once; `connected` is not used.
  /// `body` is the caller's, who keeps it unchanged until `done` is called or the request is
  /// cancelled: the emulated transport keeps an upstream batch for the request's retries anyway,
  /// and it goes on the wire without a copy (`exchange.body` is not read).
  /// A request sent on a connection the gateway closed before answering is sent again, once, on
  /// a new connection, as libcurl does. Callbacks run from the event loop, never from inside this
  /// call. One request at a time: the previous one has called `done`.
  void start(http::CurlExchange exchange, std::string_view body,
             http::CurlMulti::Callbacks callbacks);

 private:
  class State;
  std::shared_ptr<State> state_;
};

}  // namespace tether::transport::emulated
