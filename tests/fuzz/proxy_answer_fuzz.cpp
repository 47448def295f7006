// libFuzzer target for the reader of a proxy's answer to CONNECT (transport/native/proxy_answer):
// the bytes come from the network, from a proxy the application was told to use. Whatever they
// are, the reader returns an answer or ProtocolError; an answer has a status of three digits, and
// carries no challenge that the head does not contain.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "transport/native/proxy_answer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  tether::transport::ProxyAnswer answer;
  if (auto error = tether::transport::read_proxy_answer(head, answer)) {
    if (error.code != tether::ErrorCode::ProtocolError || error.message.empty()) std::abort();
    return 0;
  }
  if (answer.status < 100 || answer.status > 999) std::abort();
  for (const auto& challenge : answer.challenges) {
    if (head.find(challenge) == std::string_view::npos) std::abort();
  }
  return 0;
}
