#pragma once

#include <string>

#include "echo_http_server.hpp"

namespace tether::test {

/// One libcurl easy handle with its cookie engine on, whose requests all go to an
/// EchoHttpServer (plain or TLS by the URL's scheme) whatever host the URL names, so that
/// libcurl applies its cookie rules to the URL's real host name. The certificate is not verified.
/// Thread-safety: none. Distinct objects: safe. Shared objects: unsafe.
class CurlClient {
 public:
  /// `cookie_file` is read at the first request (CURLOPT_COOKIEFILE); empty: start empty.
  explicit CurlClient(const EchoHttpServer& server, const std::string& cookie_file = "");
  ~CurlClient();
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  /// GETs `url`; returns libcurl's error text, or empty on success.
  std::string get(const std::string& url);
  /// Writes the cookie engine's cookies to `path` in the Netscape format, as `curl -c` does.
  void save_cookies(const std::string& path);

 private:
  const EchoHttpServer& server_;
  void* handle_;
};

}  // namespace tether::test
