#pragma once
// One HTTP exchange over libcurl, with everything already decided by the caller: libcurl's own
// cookie engine, authentication, redirects and proxy environment stay off, so that the rules of
// the SDK (cookies/, auth/, http/proxy_environment) are the only ones that apply. This is the only
// part of the SDK that sees libcurl's headers.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/url.hpp"
#include "tether/auth.hpp"
#include "tether/error.hpp"
#include "tether/http.hpp"
#include "tether/options.hpp"

namespace tether::http {

/// The request exactly as it goes on the wire.
struct CurlExchange {
  Url url;
  std::string method = "GET";
  std::string body;
  /// "Name: value" lines for the server. Secrets because Authorization and Cookie lines are
  /// credentials: they are wiped once sent.
  std::vector<auth::Secret> header_lines;
  /// "http://[user:password@]host:port" of the CONNECT proxy, empty for a direct connection.
  std::string proxy;
  /// "Name: value" lines for the CONNECT request only (Proxy-Authorization).
  std::vector<auth::Secret> proxy_header_lines;
  TlsOptions tls;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{30000};
};

/// What an exchange brought back.
struct CurlOutcome {
  /// The proxy's refusal of the tunnel (407 asks for credentials); then there is no response.
  std::optional<Response> proxy_refusal;
  /// The server's final response (after any 1xx).
  Response response;
};

/// One libcurl easy handle, reused for the replays of one request so that the connection and
/// the TLS session can be too.
///
/// Thread-safety: distinct objects: safe. Shared objects: unsafe.
class CurlHttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient();
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// Performs `exchange`. A refused tunnel gives ProxyFailed with its status and fills
  /// outcome.proxy_refusal; any other failure is typed as the native transport types it, with a
  /// message naming the URL (never the credentials). Logs the verify_peer = false warning.
  Error perform(const CurlExchange& exchange, CurlOutcome& outcome);

 private:
  void* handle_;  // CURL*, kept out of this header
};

}  // namespace tether::http
