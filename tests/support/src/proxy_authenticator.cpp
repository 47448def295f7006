#include "proxy_authenticator.hpp"

#include <utility>

#include "auth/credentials.hpp"
#include "auth/digest_hash.hpp"
#include "auth/random_text.hpp"
#include "base64.hpp"

namespace tether::test {
namespace {

using gateway::DigestAlgorithm;

constexpr std::string_view realm = "tether-test-proxy";

}  // namespace

ProxyAuthenticator::ProxyAuthenticator(ConnectProxy::Options options)
    : options_(std::move(options)) {}

bool ProxyAuthenticator::accepts(std::string_view target,
                                 std::string_view proxy_authorization) const {
  if (!required()) return true;
  if (options_.scheme == ConnectProxy::Scheme::digest) {
    return accepts_digest(target, proxy_authorization);
  }
  return proxy_authorization == "Basic " + base64_encode(options_.user + ":" + options_.password);
}

bool ProxyAuthenticator::accepts_digest(std::string_view target,
                                        std::string_view proxy_authorization) const {
  const auto credentials = gateway::parse_credentials(proxy_authorization);
  if (!credentials || credentials->scheme != "digest" ||
      credentials->param("username") != options_.user || credentials->param("realm") != realm ||
      credentials->param("uri") != target || credentials->param("qop") != "auth" ||
      nonces_.count(credentials->param("nonce")) == 0) {
    return false;
  }
  const auto ha1 =
      gateway::digest_ha1(DigestAlgorithm::md5, options_.user, realm, options_.password);
  const auto expected =
      gateway::digest_response(DigestAlgorithm::md5, ha1,
                               {"CONNECT", target, credentials->param("nonce"),
                                credentials->param("nc"), credentials->param("cnonce")});
  return gateway::hashes_equal(expected, credentials->param("response"));
}

std::string ProxyAuthenticator::challenge() {
  const std::string quoted_realm = gateway::quoted_string(realm);
  if (options_.scheme == ConnectProxy::Scheme::basic) return "Basic realm=" + quoted_realm;
  const auto nonce = gateway::random_hex(16);
  nonces_.insert(nonce);
  return "Digest realm=" + quoted_realm + ", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce + "\"";
}

}  // namespace tether::test
