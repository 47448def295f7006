#include "curl/curl_http_client.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "tls/client_tls_context.hpp"
#include "tls/openssl_lifetime.hpp"
#include "tls/session_info.hpp"

namespace tether::http {
namespace {

CURL* easy(void* handle) { return static_cast<CURL*>(handle); }

/// The largest response header taken, all lines together; libcurl itself refuses a single line
/// of CURL_MAX_HTTP_HEADER (100 KiB) or more, with CURLE_OUT_OF_MEMORY.
constexpr std::size_t max_response_header_bytes = std::size_t{64} * 1024;

/// A curl_slist whose strings are wiped before they are freed: they hold Authorization and
/// Cookie values.
class HeaderList {
 public:
  /// `lines`, then `last` when given.
  explicit HeaderList(const std::vector<auth::Secret>& lines, const char* last = nullptr) {
    for (const auto& line : lines) list_ = curl_slist_append(list_, line.value().c_str());
    if (last != nullptr) list_ = curl_slist_append(list_, last);
  }
  ~HeaderList() {
    for (curl_slist* node = list_; node != nullptr; node = node->next) {
      OPENSSL_cleanse(node->data, std::strlen(node->data));
    }
    curl_slist_free_all(list_);
  }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  curl_slist* get() const noexcept { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// The TLS session of the connection `handle` is using; libcurl lets go of the connection once
/// the transfer is done, so this is read while a response arrives.
std::optional<TlsInfo> tls_session_of(CURL* handle) {
  curl_tlssessioninfo* session = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, &session) != CURLE_OK || session == nullptr ||
      session->backend != CURLSSLBACKEND_OPENSSL) {
    return std::nullopt;
  }
  return tls::session_info(static_cast<const SSL*>(session->internals));
}

bool is_success(long status) { return status >= 200 && status < 300; }

bool is_final(int status) { return status >= 200 || status < 100; }

/// Every response libcurl reads, in order: the proxy's answers to CONNECT, then the server's
/// 1xx interim responses and its final response. libcurl hands their header lines over one at a
/// time.
struct ResponseRecorder {
  explicit ResponseRecorder(bool through_proxy) : tunnel_open(!through_proxy) {}

  bool tunnel_open;
  bool reading_proxy_answer = false;
  std::vector<Response> proxy_answers;
  std::vector<Response> responses;
  std::string body;

  void add_header_line(std::string_view line, CURL* handle, const CurlStream& stream) {
    if (line.rfind("HTTP/", 0) == 0) {
      Response response;
      const auto space = line.find(' ');
      if (space != std::string_view::npos) response.status = std::atoi(line.data() + space + 1);
      // Only a new connection has a CONNECT exchange; a reused one is already a tunnel.
      long new_connections = 0;
      curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &new_connections);
      if (!tunnel_open && new_connections == 0) tunnel_open = true;
      reading_proxy_answer = !tunnel_open;
      (reading_proxy_answer ? proxy_answers : responses).push_back(std::move(response));
      return;
    }
    auto& answers = reading_proxy_answer ? proxy_answers : responses;
    if (answers.empty()) return;
    if (trim(line).empty()) {  // the end of a header block
      if (reading_proxy_answer) {
        tunnel_open = is_success(answers.back().status);
      } else if (stream.head && is_final(answers.back().status)) {
        stream.head(answers.back());
      }
      return;
    }
    auto& headers = answers.back().headers;
    if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
      // An obsolete folded line continues the previous header (RFC 7230 section 3.2.4).
      headers.back().second += " " + std::string(trim(line));
      return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    headers.emplace_back(std::string(trim(line.substr(0, colon))),
                         std::string(trim(line.substr(colon + 1))));
  }

  /// The proxy's last answer when it never opened the tunnel.
  std::optional<Response> proxy_refusal() const {
    if (tunnel_open || proxy_answers.empty()) return std::nullopt;
    return proxy_answers.back();
  }

  /// The final response, with the body when it was not streamed.
  Response final_response() {
    Response final;
    for (auto& response : responses) {
      if (is_final(response.status)) final = std::move(response);
    }
    final.body = std::move(body);
    return final;
  }
};

std::string proxy_for_messages(const std::string& proxy) {
  Url url;
  if (parse_url(proxy, UrlKind::HttpProxy, url)) return "(invalid)";
  return "http://" + url.authority();  // never the credentials
}

Error describe_failure(CURL* handle, CURLcode code, const CurlExchange& exchange,
                       const std::string& detail) {
  const std::string url = exchange.url.for_messages();
  const std::string& host = exchange.url.host;
  const std::string target = exchange.proxy.empty() ? exchange.url.authority() : "the proxy";
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {ErrorCode::InvalidArgument, "cannot request " + url + ": " + detail};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {ErrorCode::ResolveFailed, "cannot resolve '" + host + "': " + detail};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {ErrorCode::ProxyFailed,
              "cannot resolve the proxy " + proxy_for_messages(exchange.proxy) + ": " + detail};
    case CURLE_COULDNT_CONNECT:
      return {ErrorCode::ConnectFailed, "cannot connect to " + target + " for " + url + ": " +
                                            detail + "; is the server running on that port?"};
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected_after = 0;
      curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connected_after);
      if (connected_after == 0) {
        return {ErrorCode::ConnectTimeout,
                "no connection to " + target + " for " + url + " within " +
                    std::to_string(exchange.connect_timeout.count()) + " ms (connect_timeout)"};
      }
      if (exchange.timeout.count() == 0) {
        return {ErrorCode::HandshakeTimeout, "no progress on " + url + ": " + detail};
      }
      return {ErrorCode::HandshakeTimeout, "no complete response from " + url + " within " +
                                               std::to_string(exchange.timeout.count()) +
                                               " ms (timeout)"};
    }
    case CURLE_PEER_FAILED_VERIFICATION: {
      long verify_result = X509_V_OK;
      curl_easy_getinfo(handle, CURLINFO_SSL_VERIFYRESULT, &verify_result);
      if (verify_result == X509_V_OK) {
        // OpenSSL accepted the chain; libcurl's own host name check refused it.
        verify_result = X509_V_ERR_HOSTNAME_MISMATCH;
      }
      return tls::ClientTlsContext::describe_verify_result(verify_result, nullptr, host, detail);
    }
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
      return {ErrorCode::TlsConfiguration, "TLS configuration error: " + detail};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
      return {ErrorCode::TlsFailed, "TLS: handshake with '" + host + "' failed: " + detail};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      // TLS 1.3 servers refuse a client certificate (or its absence) with an alert that comes
      // after the client has finished its handshake, on the first read.
      if (exchange.tls && detail.find(" alert ") != std::string::npos) {
        return {ErrorCode::TlsFailed, "TLS: '" + host + "' ended the session with an alert (" +
                                          detail +
                                          "); a server that requires a client certificate does "
                                          "this when it gets none, or one it does not trust"};
      }
      [[fallthrough]];
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return {ErrorCode::ConnectionLost,
              "the connection to " + exchange.url.authority() + " dropped: " + detail};
    default:
      return {ErrorCode::ConnectFailed, "cannot request " + url + ": " + detail};
  }
}

void set_method_and_body(CURL* handle, const CurlExchange& exchange) {
  if (exchange.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    return;
  }
  if (exchange.method == "GET" && exchange.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    return;
  }
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(exchange.body.size()));
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, exchange.body.data());
  if (exchange.method != "POST") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, exchange.method.c_str());
  }
}

/// Whether the exchange goes through a CONNECT tunnel (else directly, or forward-proxied).
bool uses_tunnel(const CurlExchange& exchange) {
  return !exchange.proxy.empty() && (exchange.url.is_secure() || exchange.tunnel_plain_http);
}

void set_proxy(CURL* handle, const CurlExchange& exchange, const HeaderList& proxy_headers) {
  // Always explicit, so that libcurl's reading of the environment never differs from ours.
  curl_easy_setopt(handle, CURLOPT_PROXY, exchange.proxy.c_str());
  if (exchange.proxy.empty()) {
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    return;
  }
  curl_easy_setopt(handle, CURLOPT_PROXYTYPE, long{CURLPROXY_HTTP});
  curl_easy_setopt(handle, CURLOPT_HTTPPROXYTUNNEL, uses_tunnel(exchange) ? 1L : 0L);
  // Through a tunnel the server's headers never reach the proxy, nor the proxy's the server; a
  // forward-proxied request carries both, the proxy removing its own.
  curl_easy_setopt(handle, CURLOPT_HEADEROPT, long{CURLHEADER_SEPARATE});
  curl_easy_setopt(handle, CURLOPT_PROXYHEADER, proxy_headers.get());
}

/// The header line that stops libcurl from sending "Expect: 100-continue" with a large body and
/// waiting for an interim answer.
constexpr const char* no_expect_line = "Expect:";

}  // namespace

std::string curl_proxy(const Url& proxy, bool with_credentials) {
  const bool credentials = with_credentials && !proxy.user_info.empty();
  return "http://" + (credentials ? proxy.user_info + "@" : "") + proxy.authority();
}

auth::Secret header_line(std::string_view name, std::string_view value) {
  return auth::Secret(std::string(name) + ": " + std::string(value));
}

void initialise_libcurl() {
  // curl_global_init is not thread-safe in every libcurl Debian ships; once per process is.
  static std::once_flag once;
  std::call_once(once, [] {
    // libcurl initialises OpenSSL, which its transfers use on the shared I/O thread.
    tls::prepare_openssl_for_exit();
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
}

/// Everything one transfer needs for as long as libcurl runs it.
struct CurlHttpClient::Transfer {
  Transfer(CURL* curl, CurlExchange request, CurlStream response_stream)
      : handle(curl),
        exchange(std::move(request)),
        headers(exchange.header_lines, no_expect_line),
        proxy_headers(exchange.proxy_header_lines),
        stream(std::move(response_stream)),
        recorder(uses_tunnel(exchange)) {}

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto& transfer = *static_cast<Transfer*>(self);
    if (transfer.silenced) return 0;  // stops the transfer
    const std::string_view line(data, size * count);
    const bool status_line = line.rfind("HTTP/", 0) == 0;
    transfer.header_bytes = (status_line ? 0 : transfer.header_bytes) + line.size();
    transfer.reading_header = status_line || (transfer.reading_header && !trim(line).empty());
    if (transfer.header_bytes > max_response_header_bytes) {
      transfer.header_too_large = true;
      return 0;  // stops the transfer
    }
    transfer.recorder.add_header_line({data, size * count}, transfer.handle, transfer.stream);
    if (status_line && !transfer.recorder.reading_proxy_answer &&
        transfer.recorder.responses.back().status == 101) {
      // Switching Protocols, which no request of this client asks for: libcurl would read what
      // follows as a body until the connection ends, so the request would only time out.
      transfer.switched_protocols = true;
      return 0;  // stops the transfer
    }
    if (transfer.exchange.record_tls && !transfer.tls_info &&
        !transfer.recorder.responses.empty()) {
      transfer.tls_info = tls_session_of(transfer.handle);
    }
    return size * count;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto& transfer = *static_cast<Transfer*>(self);
    if (transfer.silenced) return 0;
    if (transfer.stream.body) {
      transfer.stream.body({data, size * count});
    } else {
      transfer.recorder.body.append(data, size * count);
    }
    return size * count;
  }

  /// libcurl made an SSL_CTX for a new connection: make it verify as wss does.
  static CURLcode on_ssl_context(CURL*, void* ssl_context, void* self) {
    auto& transfer = *static_cast<Transfer*>(self);
    transfer.tls_error = transfer.exchange.tls->configure_foreign(
        static_cast<SSL_CTX*>(ssl_context), transfer.exchange.url.host);
    return transfer.tls_error ? CURLE_SSL_CERTPROBLEM : CURLE_OK;
  }

  CURL* handle;
  CurlExchange exchange;
  HeaderList headers;
  HeaderList proxy_headers;
  CurlStream stream;
  ResponseRecorder recorder;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Error tls_error;
  std::optional<TlsInfo> tls_info;
  bool silenced = false;
  std::size_t header_bytes = 0;  // of the response being read
  bool reading_header = false;   // between a status line and the blank line that ends its header
  bool header_too_large = false;
  bool switched_protocols = false;  // the server answered 101
};

CurlHttpClient::CurlHttpClient() {
  initialise_libcurl();
  handle_ = curl_easy_init();
  url_handle_ = curl_url();
}

CurlHttpClient::~CurlHttpClient() {
  curl_easy_cleanup(easy(handle_));
  curl_url_cleanup(static_cast<CURLU*>(url_handle_));
}

Error CurlHttpClient::perform(const CurlExchange& exchange, CurlOutcome& outcome) {
  outcome = {};
  if (auto error = prepare(exchange, {})) return error;
  return complete(curl_easy_perform(easy(handle_)), outcome);
}

Error CurlHttpClient::prepare(CurlExchange exchange, CurlStream stream) {
  CURL* handle = easy(handle_);
  if (handle == nullptr || url_handle_ == nullptr) {
    return {ErrorCode::InvalidState, "libcurl could not create a handle (out of memory?)"};
  }
  if (exchange.url.is_secure() && !exchange.tls) {
    return {ErrorCode::InvalidArgument, "https needs a TLS context"};
  }
  // A replay's handle still has the previous transfer's options; a new or finished one has none.
  finish();
  if (auto error = set_url(exchange.url)) return error;
  transfer_ = std::make_unique<Transfer>(handle, std::move(exchange), std::move(stream));
  Transfer& transfer = *transfer_;
  const CurlExchange& request = transfer.exchange;

  curl_easy_setopt(handle, CURLOPT_CURLU, url_handle_);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_1_1});
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  if (request.stall_timeout.count() > 0) {
    const auto seconds = (request.stall_timeout.count() + 999) / 1000;
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(seconds));
  }
  if (request.receive_buffer > 0) {
    curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, static_cast<long>(request.receive_buffer));
  }
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, transfer.headers.get());
  if (!request.user_agent.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERAGENT, request.user_agent.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  set_method_and_body(handle, request);
  set_proxy(handle, request, transfer.proxy_headers);

  if (request.tls) {
    curl_easy_setopt(handle, CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2});
    // ClientTlsContext verifies the chain, the pins and the host (configure_foreign), with its
    // own trust store: libcurl loads none and checks the name once more after the handshake.
    curl_easy_setopt(handle, CURLOPT_CAINFO, nullptr);
    curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
    const long verify = request.tls->verifies_peer() ? 1L : 0L;
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, verify);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, verify * 2);
    curl_easy_setopt(handle, CURLOPT_SSL_CTX_DATA, &transfer);
    if (curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, &Transfer::on_ssl_context) != CURLE_OK) {
      return {ErrorCode::TlsConfiguration,
              "TLS: this libcurl cannot verify https as wss is verified (it is not built with "
              "OpenSSL)"};
    }
    if (std::find(tls_contexts_.begin(), tls_contexts_.end(), request.tls) == tls_contexts_.end()) {
      tls_contexts_.push_back(request.tls);
    }
  }
  return {};
}

Error CurlHttpClient::complete(int curl_code, CurlOutcome& outcome) {
  outcome = {};
  CURL* handle = easy(handle_);
  Transfer& transfer = *transfer_;
  const auto code = static_cast<CURLcode>(curl_code);
  const CurlExchange& exchange = transfer.exchange;
  outcome.proxy_refusal = transfer.recorder.proxy_refusal();
  if (outcome.proxy_refusal) {
    const int status = outcome.proxy_refusal->status;
    return {ErrorCode::ProxyFailed,
            "the proxy " + proxy_for_messages(exchange.proxy) + " refused the tunnel to " +
                exchange.url.authority() + " with HTTP " + std::to_string(status) +
                (status == 407 ? "; the proxy wants credentials" : ""),
            status};
  }
  outcome.response = transfer.recorder.final_response();
  if (!exchange.proxy.empty() && !uses_tunnel(exchange) && outcome.response.status == 407) {
    // A forward-proxied request's 407 can only be the proxy's (RFC 9110 section 15.5.8).
    outcome.proxy_refusal = std::move(outcome.response);
    outcome.response = {};
    return {ErrorCode::ProxyFailed,
            "the proxy " + proxy_for_messages(exchange.proxy) + " refused the request to " +
                exchange.url.authority() + " with HTTP 407; the proxy wants credentials",
            407};
  }
  outcome.tls = transfer.tls_info;
  if (exchange.record_server_address && exchange.proxy.empty() && code == CURLE_OK) {
    const char* ip = nullptr;
    long port = 0;
    if (curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr &&
        *ip != '\0' && curl_easy_getinfo(handle, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK &&
        port > 0 && port <= 65535) {
      outcome.server_address = CurlOutcome::ServerAddress{ip, static_cast<std::uint16_t>(port)};
    }
  }
  if (transfer.tls_error) return transfer.tls_error;
  if (transfer.switched_protocols) {
    return {ErrorCode::ProtocolError,
            exchange.url.authority() + " answered the request to " + exchange.url.for_messages() +
                " with 101 Switching Protocols, which a plain HTTP request does not ask for: "
                "something on the way takes every request for a WebSocket upgrade"};
  }
  // libcurl's out of memory, while a header is read, is its refusal of a header line too long.
  if (transfer.header_too_large || (code == CURLE_OUT_OF_MEMORY && transfer.reading_header)) {
    return {ErrorCode::ProtocolError, "the response from " + exchange.url.authority() + " to " +
                                          exchange.url.for_messages() +
                                          " has a header larger than this client reads (" +
                                          std::to_string(max_response_header_bytes) +
                                          " bytes in all, or 100 KiB in one line)"};
  }
  if (code != CURLE_OK) {
    const std::string detail =
        transfer.error_buffer[0] != '\0' ? transfer.error_buffer : curl_easy_strerror(code);
    return describe_failure(handle, code, exchange, detail);
  }
  return {};
}

Error CurlHttpClient::set_url(const Url& url) {
  auto* url_handle = static_cast<CURLU*>(url_handle_);
  const auto query = url.target.find('?');
  const auto held_query = url_in_handle_.target.find('?');
  const bool only_query_differs =
      query != std::string::npos && query + 1 < url.target.size() &&
      held_query != std::string::npos && url.scheme == url_in_handle_.scheme &&
      url.host == url_in_handle_.host && url.port == url_in_handle_.port &&
      url.target.compare(0, query, url_in_handle_.target, 0, held_query) == 0;
  const CURLUcode code =
      only_query_differs
          ? curl_url_set(url_handle, CURLUPART_QUERY, url.target.c_str() + query + 1, 0)
          : curl_url_set(url_handle, CURLUPART_URL, url.to_string().c_str(), 0);
  if (code != CURLUE_OK) {
    url_in_handle_ = {};  // the handle may hold anything now
    return {ErrorCode::InvalidArgument,
            "cannot request " + url.for_messages() + ": " + curl_url_strerror(code)};
  }
  if (only_query_differs) {
    url_in_handle_.target.replace(held_query + 1, std::string::npos, url.target, query + 1);
  } else {
    url_in_handle_ = url;
  }
  return {};
}

void CurlHttpClient::silence() noexcept {
  if (transfer_) transfer_->silenced = true;
}

void CurlHttpClient::finish() noexcept {
  if (!transfer_) return;
  // A reset keeps the connection and TLS session caches, so a replay may reuse them.
  curl_easy_reset(easy(handle_));
  transfer_.reset();
}

}  // namespace tether::http
