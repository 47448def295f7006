#pragma once
// HTTP exchanges over libcurl, with everything already decided by the caller: libcurl's own
// cookie engine, authentication, redirects and proxy environment stay off, so that the rules of
// the SDK (cookies/, auth/, http/proxy_environment) are the only ones that apply, and https is
// verified by the tls::ClientTlsContext that verifies wss. One configured easy handle serves the
// blocking HTTP helper (perform) and, through curl/curl_multi, the emulated transport's
// concurrent, streamed requests. curl_http_client.cpp and curl_multi.cpp are the only parts of
// the SDK that see libcurl's headers.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/url.hpp"
#include "tether/auth.hpp"
#include "tether/error.hpp"
#include "tether/http.hpp"
#include "tether/tls_info.hpp"

namespace tether::tls {
class ClientTlsContext;
}

namespace tether::http {

/// libcurl's global initialisation, once per process, before its first handle.
/// Thread-safety: safe from any thread.
void initialise_libcurl();

/// `proxy` as CurlExchange::proxy takes it: "http://host:port", preceded by the URL's
/// "user:password@" when `with_credentials` (libcurl then answers the proxy with Basic).
/// Thread-safety: safe from any thread.
std::string curl_proxy(const Url& proxy, bool with_credentials);

/// "name: value", as CurlExchange::header_lines and proxy_header_lines take a header.
/// Thread-safety: safe from any thread.
auth::Secret header_line(std::string_view name, std::string_view value);

/// The request exactly as it goes on the wire.
struct CurlExchange {
  Url url;
  std::string method = "GET";
  std::string body;
  /// "Name: value" lines for the server ("Name:" removes a header libcurl would add). Secrets
  /// because Authorization and Cookie lines are credentials: they are wiped once sent.
  std::vector<auth::Secret> header_lines;
  /// The User-Agent header; a "User-Agent: ..." line in header_lines wins over it.
  std::string user_agent;
  /// "http://[user:password@]host:port" of the HTTP proxy, empty for a direct connection.
  std::string proxy;
  /// Whether an http:// request goes through the proxy in a CONNECT tunnel, as https:// always
  /// does; false sends it to the proxy as an ordinary forward-proxied request (absolute-URI
  /// request line, RFC 9112 section 3.2.2), which proxies that allow CONNECT to port 443 alone
  /// (Squid's default policy) still let through.
  bool tunnel_plain_http = true;
  /// "Name: value" lines for the proxy only (Proxy-Authorization): on the CONNECT request, or
  /// on a forward-proxied request beside header_lines.
  std::vector<auth::Secret> proxy_header_lines;
  /// How an https server is verified (null for http). Kept alive as long as libcurl may use a
  /// connection it verified.
  std::shared_ptr<const tls::ClientTlsContext> tls;
  std::chrono::milliseconds connect_timeout{10000};
  /// Limit of the whole exchange; zero for none (a streamed response that lasts).
  std::chrono::milliseconds timeout{30000};
  /// Fails the exchange when no byte moved either way for this long, rounded up to whole
  /// seconds; zero for no limit.
  std::chrono::milliseconds stall_timeout{0};
  /// libcurl's receive buffer (CURLOPT_BUFFERSIZE, 1 KiB to 512 KiB), allocated while the
  /// exchange runs: its bytes are what an open response costs, and the most one read takes.
  /// Zero for libcurl's default of 16 KiB.
  std::size_t receive_buffer = 0;
  /// Fill CurlOutcome::tls from the connection the response came over (the emulated create).
  bool record_tls = false;
  /// Fill CurlOutcome::server_address (the emulated create, whose session then sends its
  /// upstream requests there over a connection of its own).
  bool record_server_address = false;
};

/// Where a streamed exchange (CurlMulti) delivers its response as it arrives, instead of into
/// CurlOutcome::response. Each is optional.
struct CurlStream {
  /// The final response's status and headers (every repeated one), before any of its body.
  std::function<void(const Response& head)> head;
  /// The final response's body, piece by piece as it arrives.
  std::function<void(std::string_view bytes)> body;
};

/// What an exchange brought back.
struct CurlOutcome {
  /// The proxy's refusal of the tunnel (407 asks for credentials); then there is no response.
  std::optional<Response> proxy_refusal;
  /// The server's final response (after any 1xx); its body is empty when it was streamed.
  Response response;
  /// The TLS session of the connection, when CurlExchange::record_tls asked for it over https.
  std::optional<TlsInfo> tls;
  /// The address the response came from, when CurlExchange::record_server_address asked for it
  /// and no proxy stood between.
  struct ServerAddress {
    std::string ip;  ///< Numeric, IPv4 or IPv6 (without brackets).
    std::uint16_t port = 0;
  };
  std::optional<ServerAddress> server_address;
};

/// One libcurl easy handle, reused for the replays of one request so that the connection and
/// the TLS session can be too, and by CurlMulti for the requests that follow each other.
///
/// Thread-safety: distinct objects: safe. Shared objects: unsafe.
class CurlHttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient();
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// Performs `exchange`, blocking. A refused tunnel gives ProxyFailed with its status and fills
  /// outcome.proxy_refusal; any other failure is typed as the native transport types it, with a
  /// message naming the URL (never the credentials).
  Error perform(const CurlExchange& exchange, CurlOutcome& outcome);

  /// For CurlMulti, which drives the transfer: sets the handle up for `exchange`, its response
  /// going to `stream`.
  Error prepare(CurlExchange exchange, CurlStream stream);
  /// For CurlMulti: the outcome of the prepared transfer, which ended with `curl_code` (a
  /// CURLcode), typed as perform() types it.
  Error complete(int curl_code, CurlOutcome& outcome);
  /// From now on the transfer's callbacks stop it instead of delivering anything.
  void silence() noexcept;
  /// For CurlMulti, once the transfer is complete and out of the multi handle: frees what it
  /// held (the request, whose header lines are wiped, and its body) and clears the handle's
  /// options, which pointed into it. The handle, with its connection and TLS session caches,
  /// waits for the next prepare(). Does nothing when no transfer is prepared.
  void finish() noexcept;
  /// The CURL* handle, for CurlMulti.
  void* native_handle() const noexcept { return handle_; }

 private:
  struct Transfer;

  /// Points url_handle_ at `url`. Between requests that differ only in their query, as an
  /// emulated session's upstream requests do, only the query is set: libcurl then parses no URL
  /// for the request (about 5,000 instructions).
  Error set_url(const Url& url);

  void* handle_;      // CURL*, kept out of this header
  void* url_handle_;  // CURLU*, which libcurl reads the request's URL from (CURLOPT_CURLU)
  /// What url_handle_ holds; its query is stale when only the query was set.
  Url url_in_handle_;
  /// The prepared transfer; while it is set, the handle's options point into it.
  std::unique_ptr<Transfer> transfer_;
  /// Every TLS context a connection of this handle was verified with: libcurl's connection cache
  /// keeps those connections (and their verify callbacks) after the transfer.
  std::vector<std::shared_ptr<const tls::ClientTlsContext>> tls_contexts_;
};

}  // namespace tether::http
