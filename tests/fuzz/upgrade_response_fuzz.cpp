// libFuzzer target for the check of a refused 101 (transport/native/upgrade_response_check): the
// Upgrade, Connection and Sec-WebSocket-Accept values come from the network. The input is the
// request's key and the three values, separated by newlines. Whatever they are, the check ends
// with a clause or nothing; a response that carries the tokens and the right accept value breaks
// nothing, and a wrong accept value is always named.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "transport/native/upgrade_response_check.hpp"

namespace {

using tether::transport::describe_invalid_upgrade;
using tether::transport::expected_accept;

std::string_view next_field(std::string_view& input) {
  const auto newline = input.find('\n');
  const std::string_view field = input.substr(0, newline);
  input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view key = next_field(input);
  const std::string_view upgrade = next_field(input);
  const std::string_view connection = next_field(input);
  const std::string_view accept = next_field(input);

  const std::string verdict = describe_invalid_upgrade({key, upgrade, connection, accept});
  const std::string right_accept = expected_accept(key);
  if (!describe_invalid_upgrade({key, "websocket", "Upgrade", right_accept}).empty()) std::abort();
  const bool tokens_present =
      describe_invalid_upgrade({key, upgrade, connection, right_accept}).empty();
  if (tokens_present && accept != right_accept && verdict.empty()) std::abort();
  return 0;
}
