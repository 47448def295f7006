#pragma once

#include <set>
#include <string>
#include <string_view>

#include "tether_test/connect_proxy.hpp"

namespace tether::test {

// The ConnectProxy's side of proxy authentication: whether a CONNECT's Proxy-Authorization is
// right for the configured user, and the Proxy-Authenticate value of a 407 otherwise. Digest uses
// the gateway's Digest arithmetic; the SDK's is the one under test.
//
// Thread safety: use from the proxy's io thread only.
class ProxyAuthenticator {
 public:
  explicit ProxyAuthenticator(ConnectProxy::Options options);

  bool required() const { return !options_.user.empty(); }
  bool accepts(std::string_view target, std::string_view proxy_authorization) const;
  // Every Digest challenge has a fresh nonce, which later answers may use.
  std::string challenge();

 private:
  bool accepts_digest(std::string_view target, std::string_view proxy_authorization) const;

  ConnectProxy::Options options_;
  std::set<std::string, std::less<>> nonces_;
};

}  // namespace tether::test
