// libFuzzer target for the challenge parser: WWW-Authenticate and Proxy-Authenticate values
// come straight from the network. Newlines split the input into several header values, so
// both the joined and the repeated forms are explored. Whatever the input, parsing must end in
// challenges or a typed error, and what it accepts must hold together. Each accepted challenge
// then goes through the ranking and, when Digest, into an Authorization value, which echoes the
// server's realm, nonce and opaque: it must never carry a control character (header injection).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "auth/challenge_ranking.hpp"
#include "auth/digest_response.hpp"
#include "http/challenge_parser.hpp"

namespace {

void check_digest_answer(const tether::auth::Challenge& challenge) {
  tether::auth::DigestChallenge digest;
  if (tether::auth::read_digest_challenge(challenge, digest)) return;
  const std::string header = tether::auth::digest_authorization(
      digest, "user", "0123456789abcdef0123456789abcdef", {"GET", "/path", "cnonce", 1});
  for (const char c : header) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> header_values;
  std::size_t start = 0;
  for (std::size_t newline = input.find('\n'); newline != std::string_view::npos;
       newline = input.find('\n', start)) {
    header_values.emplace_back(input.substr(start, newline - start));
    start = newline + 1;
  }
  header_values.emplace_back(input.substr(start));

  std::vector<tether::auth::Challenge> challenges;
  const tether::Error error = tether::http::parse_challenges(header_values, challenges);
  if (error) {
    if (error.code != tether::ErrorCode::InvalidArgument || !challenges.empty()) std::abort();
    return 0;
  }
  for (const auto& challenge : challenges) {
    if (challenge.scheme.empty()) std::abort();
    if (!challenge.token68.empty() && !challenge.params.empty()) std::abort();
    for (const auto& [name, value] : challenge.params) {
      if (name.empty() || !challenge.param(name)) std::abort();
    }
    check_digest_answer(challenge);
  }
  if (tether::auth::rank_challenges(challenges, {}).size() > challenges.size()) std::abort();
  return 0;
}
