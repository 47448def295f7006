#include "http/curl_http_client.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/x509_vfy.h>

#include <cstring>
#include <mutex>
#include <string_view>

#include "core/log.hpp"
#include "tls/public_key_pin.hpp"

namespace tether::http {
namespace {

CURL* easy(void* handle) { return static_cast<CURL*>(handle); }

void initialise_libcurl_once() {
  // curl_global_init is not thread-safe in every libcurl Debian ships; once per process is.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// A curl_slist whose strings are wiped before they are freed: they hold Authorization and
/// Cookie values.
class HeaderList {
 public:
  explicit HeaderList(const std::vector<auth::Secret>& lines) {
    for (const auto& line : lines) list_ = curl_slist_append(list_, line.value().c_str());
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

/// Every response libcurl reads, in order: the proxy's answers to CONNECT, 1xx interim
/// responses, the final response. libcurl hands their header lines over one at a time.
struct ResponseRecorder {
  std::vector<Response> responses;
  std::string body;

  void add_header_line(std::string_view line) {
    if (line.rfind("HTTP/", 0) == 0) {
      Response response;
      const auto space = line.find(' ');
      if (space != std::string_view::npos) response.status = std::atoi(line.data() + space + 1);
      responses.push_back(std::move(response));
      return;
    }
    if (responses.empty() || trim(line).empty()) return;
    auto& headers = responses.back().headers;
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

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    static_cast<ResponseRecorder*>(self)->add_header_line({data, size * count});
    return size * count;
  }
  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    static_cast<ResponseRecorder*>(self)->body.append(data, size * count);
    return size * count;
  }
};

bool is_success(int status) { return status >= 200 && status < 300; }

std::string proxy_for_messages(const std::string& proxy) {
  Url url;
  if (parse_url(proxy, UrlKind::HttpProxy, url)) return "(invalid)";
  return "http://" + url.authority();  // never the credentials
}

/// Splits what libcurl recorded into the proxy's answers and the server's, and says whether
/// the tunnel was refused. Through a tunnel, every response up to the first 2xx is the proxy's.
void sort_responses(ResponseRecorder& recorder, bool through_proxy, CurlOutcome& outcome) {
  auto next = recorder.responses.begin();
  if (through_proxy) {
    while (next != recorder.responses.end() && !is_success(next->status)) ++next;
    if (next == recorder.responses.end()) {
      if (!recorder.responses.empty()) outcome.proxy_refusal = recorder.responses.back();
      return;
    }
    ++next;  // the proxy's 200 to CONNECT
  }
  for (; next != recorder.responses.end(); ++next) {
    if (next->status >= 200 || next->status < 100) outcome.response = std::move(*next);
  }
  outcome.response.body = std::move(recorder.body);
}

/// The typed error for a certificate that libcurl (OpenSSL) refused, as the native transport
/// types it (tls/client_tls_context).
Error certificate_error(long verify_result, const std::string& host, const std::string& detail) {
  switch (verify_result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return {ErrorCode::TlsHostnameMismatch, "TLS: the certificate does not match host '" + host +
                                                  "' (" + detail +
                                                  "); connect with a name the certificate lists"};
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return {ErrorCode::TlsCertificateExpired,
              "TLS: the certificate of '" + host + "' is not valid now (" + detail +
                  "); renew it on the server or check this machine's clock"};
    default:
      break;
  }
  // OpenSSL verified the chain but libcurl's own host check refused the name.
  if (detail.find("subject name") != std::string::npos ||
      detail.find("does not match") != std::string::npos) {
    return {ErrorCode::TlsHostnameMismatch, "TLS: the certificate does not match host '" + host +
                                                "' (" + detail +
                                                "); connect with a name the certificate lists"};
  }
  return {ErrorCode::TlsUntrustedCertificate, "TLS: the certificate of '" + host +
                                                  "' is not issued by a trusted CA (" + detail +
                                                  "); pass the server's CA with ca_file"};
}

Error describe_failure(CURL* handle, CURLcode code, const CurlExchange& exchange,
                       const std::string& detail) {
  const std::string url = exchange.url.to_string();
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
      return {ErrorCode::HandshakeTimeout, "no complete response from " + url + " within " +
                                               std::to_string(exchange.timeout.count()) +
                                               " ms (timeout)"};
    }
    case CURLE_PEER_FAILED_VERIFICATION: {
      long verify_result = X509_V_OK;
      curl_easy_getinfo(handle, CURLINFO_SSL_VERIFYRESULT, &verify_result);
      return certificate_error(verify_result, host, detail);
    }
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return {ErrorCode::TlsPinMismatch,
              "TLS: the certificate presented by '" + host +
                  "' does not match the pinned public keys; the server's key changed or the "
                  "connection is intercepted"};
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
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return {ErrorCode::ConnectionLost,
              "the connection to " + exchange.url.authority() + " dropped: " + detail};
    default:
      return {ErrorCode::ConnectFailed, "cannot request " + url + ": " + detail};
  }
}

Error check_tls_options(const TlsOptions& tls, std::string& pins) {
  if (tls.certificate_file.empty() != tls.private_key_file.empty()) {
    return {ErrorCode::InvalidArgument,
            "TLS: a client certificate needs both certificate_file and private_key_file"};
  }
  std::vector<std::string> normalized;
  if (auto error = tls::normalize_pins(tls.pinned_public_keys, normalized)) return error;
  for (const auto& pin : normalized) pins += (pins.empty() ? "sha256//" : ";sha256//") + pin;
  return {};
}

void set_tls_options(CURL* handle, const TlsOptions& tls, const std::string& pins) {
  curl_easy_setopt(handle, CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2});
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, tls.verify_peer ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, tls.verify_peer ? 2L : 0L);
  // A CA file or directory replaces the system store, as for wss://.
  if (!tls.ca_file.empty() || !tls.ca_path.empty()) {
    curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.empty() ? nullptr : tls.ca_file.c_str());
    curl_easy_setopt(handle, CURLOPT_CAPATH, tls.ca_path.empty() ? nullptr : tls.ca_path.c_str());
  }
  if (!tls.certificate_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.certificate_file.c_str());
    curl_easy_setopt(handle, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.private_key_file.c_str());
    curl_easy_setopt(handle, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (!pins.empty()) curl_easy_setopt(handle, CURLOPT_PINNEDPUBLICKEY, pins.c_str());
  if (!tls.verify_peer) {
    detail::log(LogLevel::Warning,
                "TLS certificate verification is disabled (TlsOptions::verify_peer = false): "
                "the connection can be intercepted; never ship this setting");
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

void set_proxy(CURL* handle, const CurlExchange& exchange, const HeaderList& proxy_headers) {
  // Always explicit, so that libcurl's reading of the environment never differs from ours.
  curl_easy_setopt(handle, CURLOPT_PROXY, exchange.proxy.c_str());
  if (exchange.proxy.empty()) {
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    return;
  }
  curl_easy_setopt(handle, CURLOPT_PROXYTYPE, long{CURLPROXY_HTTP});
  curl_easy_setopt(handle, CURLOPT_HTTPPROXYTUNNEL, 1L);
  // The server's headers never reach the proxy, nor the proxy's the server.
  curl_easy_setopt(handle, CURLOPT_HEADEROPT, long{CURLHEADER_SEPARATE});
  curl_easy_setopt(handle, CURLOPT_PROXYHEADER, proxy_headers.get());
}

}  // namespace

CurlHttpClient::CurlHttpClient() {
  initialise_libcurl_once();
  handle_ = curl_easy_init();
}

CurlHttpClient::~CurlHttpClient() { curl_easy_cleanup(easy(handle_)); }

Error CurlHttpClient::perform(const CurlExchange& exchange, CurlOutcome& outcome) {
  outcome = {};
  CURL* handle = easy(handle_);
  if (handle == nullptr) {
    return {ErrorCode::InvalidState, "libcurl could not create a handle (out of memory?)"};
  }
  std::string pins;
  if (auto error = check_tls_options(exchange.tls, pins)) return error;

  // A reset keeps the connection and TLS session caches, so a replay may reuse them.
  curl_easy_reset(handle);
  const std::string url = exchange.url.to_string();
  char error_buffer[CURL_ERROR_SIZE] = {};
  ResponseRecorder recorder;
  HeaderList headers(exchange.header_lines);
  HeaderList proxy_headers(exchange.proxy_header_lines);

  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_1_1});
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(exchange.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(exchange.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &ResponseRecorder::on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &recorder);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &ResponseRecorder::on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &recorder);
  set_method_and_body(handle, exchange);
  set_proxy(handle, exchange, proxy_headers);
  set_tls_options(handle, exchange.tls, pins);

  const CURLcode code = curl_easy_perform(handle);
  const bool through_proxy = !exchange.proxy.empty();
  sort_responses(recorder, through_proxy, outcome);
  if (outcome.proxy_refusal) {
    const int status = outcome.proxy_refusal->status;
    return {ErrorCode::ProxyFailed,
            "the proxy " + proxy_for_messages(exchange.proxy) + " refused the tunnel to " +
                exchange.url.authority() + " with HTTP " + std::to_string(status) +
                (status == 407 ? "; the proxy wants credentials" : ""),
            status};
  }
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return describe_failure(handle, code, exchange, detail);
  }
  return {};
}

}  // namespace tether::http
