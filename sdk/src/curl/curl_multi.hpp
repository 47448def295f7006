#pragma once
// libcurl's multi interface driven by an IoContext's event loop: concurrent transfers, each
// delivering its response as it arrives, on the I/O thread like every other transport event and
// with no thread of their own. libcurl asks for the sockets it wants watched
// (CURLMOPT_SOCKETFUNCTION) and for a timeout (CURLMOPT_TIMERFUNCTION); Asio watches them and
// calls curl_multi_socket_action. The sockets are Asio's (CURLOPT_OPENSOCKETFUNCTION and
// CLOSESOCKETFUNCTION), so no file descriptor is ever watched after libcurl closed it.

#include <cstdint>
#include <functional>
#include <memory>

#include "curl/curl_http_client.hpp"
#include "tether/io_context.hpp"

namespace tether::http {

/// A set of concurrent transfers sharing one connection cache.
///
/// The emulated transport makes one per connection rather than one per IoContext: its
/// connections then carry only that connection's TLS settings (client certificate, pins) and
/// credentials, which libcurl's connection reuse could not tell apart (it does not compare
/// CURLOPT_SSL_CTX_FUNCTION's work), and destroying it ends every transfer and closes every
/// socket of the connection at once. A connection needs two connections anyway, one of them a
/// long downstream response. The handle of a finished transfer serves the next start() if one
/// comes within 10 to 20 ms; after that it is freed.
///
/// Thread-safety: every member, and the destructor, on the IoContext's thread only; callbacks
/// run there too. Distinct objects: safe.
class CurlMulti {
 public:
  using TransferId = std::uint64_t;

  /// What a transfer reports. `done` is called exactly once unless the transfer is cancelled;
  /// the others may be empty.
  struct Callbacks {
    /// The TCP connection (to the server or the proxy) is up; called at most once, before
    /// `stream.head`.
    std::function<void()> connected;
    CurlStream stream;
    /// The transfer ended: `error` is set when no complete response arrived (typed as
    /// CurlHttpClient::perform types it), else `outcome.response` has the status and headers.
    std::function<void(const Error& error, const CurlOutcome& outcome)> done;
  };

  explicit CurlMulti(IoContext& io);
  /// Stops every transfer and closes every connection; no callback follows. Allowed from inside
  /// one of this object's callbacks.
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  /// Starts `exchange`. Any callback, including an early `done` with an error, runs later from
  /// the event loop, never from inside this call.
  TransferId start(CurlExchange exchange, Callbacks callbacks);

  /// Stops the transfer `id`; none of its callbacks runs afterwards, even if it is being
  /// delivered when cancel() is called from inside another callback. Unknown ids are ignored.
  void cancel(TransferId id);

 private:
  class State;
  std::shared_ptr<State> state_;
};

}  // namespace tether::http
