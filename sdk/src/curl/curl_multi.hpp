#pragma once
// libcurl's multi interface driven by an IoContext's event loop: concurrent transfers, each
// delivering its response as it arrives, on the I/O thread like every other transport event and
// with no thread of their own. libcurl asks for the sockets it wants watched
// (CURLMOPT_SOCKETFUNCTION) and for a timeout (CURLMOPT_TIMERFUNCTION); they go into an epoll
// set of the multi's own, which Asio watches as one descriptor, and curl_multi_socket_action is
// called for each socket the set reports. The set, not Asio, watches libcurl's sockets because
// libcurl 7.88 closes some of them without its close-socket callback: the kernel drops a closed
// socket from the set by itself, and nothing here ever closes or stops watching a descriptor
// that libcurl may have let go of and the process given to another socket.

#include <cstdint>
#include <functional>
#include <memory>

#include "curl/curl_http_client.hpp"
#include "tether/io_context.hpp"

namespace tether::http {

/// A set of concurrent transfers sharing one connection cache.
///
/// Each costs about 35 KiB once it watches a socket (the multi handle 6 KiB, and libcurl 7.88's
/// socket hash of 911 slots 29 KiB), half of what an idle emulated connection held, so the
/// emulated transport shares one among up to 16 of an IoContext's connections over http://
/// (shared_for_plain_http): over plain HTTP every request carries its own credentials, cookies
/// and proxy credentials, and nothing a connection was set up with belongs to one session. Not
/// among more: libcurl looks for a connection to reuse through every cached connection to the
/// same host, at each request. Over https:// the emulated transport makes one per connection:
/// libcurl's connection reuse could not tell apart the TLS settings (client certificate, pins,
/// trust store) of two sessions, since it does not compare CURLOPT_SSL_CTX_FUNCTION's work, nor
/// the proxy credentials a CONNECT tunnel was opened with.
/// The handles of the last two finished transfers serve the next start()s if they come within
/// 10 to 20 ms; after that they are freed.
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
  /// One that fewer than 16 of `io`'s connections over plain http:// share, or a new one.
  /// Thread-safety: on `io`'s thread only.
  static std::shared_ptr<CurlMulti> shared_for_plain_http(IoContext& io);
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
