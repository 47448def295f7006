#include "digest_test_answer.hpp"

#include <cstdio>
#include <stdexcept>

#include "auth/credentials.hpp"
#include "auth/digest_hash.hpp"

namespace tether::gateway::test {

std::string answer_digest_challenge(std::string_view challenge,
                                    const DigestTestCredentials& credentials) {
  const auto parsed = parse_credentials(challenge);
  if (!parsed || parsed->scheme != "digest") {
    throw std::invalid_argument("not a Digest challenge: " + std::string(challenge));
  }
  const auto algorithm = digest_algorithm_named(parsed->param("algorithm"));
  if (!algorithm) throw std::invalid_argument("no known algorithm in " + std::string(challenge));
  const std::string realm(parsed->param("realm"));
  const std::string nonce(parsed->param("nonce"));
  char nonce_count[9];
  std::snprintf(nonce_count, sizeof nonce_count, "%08x", credentials.nonce_count);
  const std::string client_nonce = "0a4f113b";
  const auto ha1 = digest_ha1(*algorithm, credentials.user, realm, credentials.password);
  const auto response = digest_response(
      *algorithm, ha1, {credentials.method, credentials.uri, nonce, nonce_count, client_nonce});
  const auto user = credentials.userhash ? digest_userhash(*algorithm, credentials.user, realm)
                                         : credentials.user;
  return "Digest username=" + quoted_string(user) + ", realm=" + quoted_string(realm) +
         ", nonce=" + quoted_string(nonce) + ", uri=" + quoted_string(credentials.uri) +
         ", algorithm=" + std::string(digest_algorithm_name(*algorithm)) +
         ", qop=auth, nc=" + nonce_count + ", cnonce=" + quoted_string(client_nonce) +
         ", response=" + quoted_string(response) +
         ", opaque=" + quoted_string(std::string(parsed->param("opaque"))) +
         (credentials.userhash ? ", userhash=true" : "");
}

}  // namespace tether::gateway::test
