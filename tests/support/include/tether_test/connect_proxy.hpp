#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tether::test {

// A small HTTP CONNECT proxy on 127.0.0.1 (a port the OS chooses), serving from a thread of its
// own. Each CONNECT to a loopback target (127.0.0.0/8, ::1, localhost) is answered 200 and then
// tunnels bytes both ways; other targets get 403, unreachable ones 502, other methods 405. With
// credentials in Options, a CONNECT without a matching Proxy-Authorization gets 407 with
// Proxy-Authenticate: Basic realm="tether-test-proxy" or, with Scheme::digest,
// Digest realm="tether-test-proxy", qop="auth", algorithm=MD5, nonce=..., and the client may retry
// on the same connection. A Digest answer must use a nonce of this proxy and method CONNECT with
// the CONNECT target as its uri. The destructor closes every connection and joins the thread.
//
// Thread safety: the const members may be called from any thread.
class ConnectProxy {
 public:
  enum class Scheme { basic, digest };

  struct Options {
    std::string user;  // empty: no authentication asked for
    std::string password;
    Scheme scheme = Scheme::basic;
  };

  ConnectProxy();  // no authentication
  explicit ConnectProxy(Options options);
  ~ConnectProxy();

  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"

  std::size_t tunnels_opened() const;       // CONNECTs answered 200
  std::size_t challenges_sent() const;      // 407 answers
  std::size_t credentials_refused() const;  // 407 answers to a CONNECT with Proxy-Authorization
  std::vector<std::string> connect_targets() const;  // the target of every CONNECT received

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tether::test
