#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::gateway::test {

// Who answers a Digest challenge, for what, and with which nonce count.
struct DigestTestCredentials {
  std::string user;
  std::string password;
  std::string uri;  // the request target, e.g. "/echo"
  std::uint32_t nonce_count = 1;
  bool userhash = false;       // send H(user:realm) instead of the user name
  std::string method = "GET";  // of the request answered: an emulated create is a POST
};

// The Authorization value that answers challenge (one WWW-Authenticate value, "Digest realm=...",
// qop="auth") for credentials.method, as RFC 7616 section 3.4 computes it. The tests' own Digest
// client: curl is the independent one.
std::string answer_digest_challenge(std::string_view challenge,
                                    const DigestTestCredentials& credentials);

}  // namespace tether::gateway::test
