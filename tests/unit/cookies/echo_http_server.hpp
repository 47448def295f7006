#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tether::test {

/// A one-thread HTTP/1.1 server on 127.0.0.1 for the curl tests: every response carries the
/// Set-Cookie values given with set_next_cookies() (then forgotten), and the server remembers
/// the Cookie header each request brought. It listens twice on ephemeral ports, plain HTTP and
/// HTTPS with a self-signed certificate made at start-up, so that libcurl sees a secure origin
/// for https URLs (point libcurl at it with CURLOPT_CONNECT_TO, which keeps the URL's host).
/// One connection per request.
/// Thread-safety: every member is safe from any thread.
class EchoHttpServer {
 public:
  EchoHttpServer();
  ~EchoHttpServer();
  EchoHttpServer(const EchoHttpServer&) = delete;
  EchoHttpServer& operator=(const EchoHttpServer&) = delete;

  std::uint16_t http_port() const;
  std::uint16_t https_port() const;

  /// The Set-Cookie header values of the next response, in order.
  void set_next_cookies(std::vector<std::string> set_cookie_values);
  /// The Cookie header of the last request, empty when it had none.
  std::string last_cookie_header() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether::test
