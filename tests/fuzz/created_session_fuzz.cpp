// libFuzzer target for the reading of a 201 answer to an emulated create
// (transport/emulated/emulation_requests, docs/emulation.md section 4): every header value comes
// from the network. The input is header lines, "Name: value" separated by newlines; byte 0 says
// whether the create offered resume (odd) or not.
// Invariants: an accepted answer holds a valid token, a heartbeat of 1 ms to 1 hour, the
// subprotocol of the one Tether-Protocol field or none, and frames in upstream replies exactly
// when one Tether-Upstream-Reply field says "frames"; a refused one is a ProtocolError naming the
// URL.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "transport/emulated/emulation_requests.hpp"

namespace {

using namespace tether::transport::emulated;

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::optional<tether::control::ResumeOffer> resume;
  if ((data[0] & 1) != 0) resume = tether::control::ResumeOffer{"0123456789abcdefghij", 3};
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  tether::http::Response response;
  response.status = 201;
  while (!input.empty()) {
    const auto newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }

  const std::string url = "ws://gateway.example/echo";
  CreatedSession created;
  const tether::Error error = read_created_session(response, url, resume, created);
  if (error) {
    require(error.code == tether::ErrorCode::ProtocolError);
    require(error.message.find(url) != std::string::npos);
    return 0;
  }
  require(is_valid_session_token(created.token));
  require(created.heartbeat.count() >= 1 && created.heartbeat.count() <= 3'600'000);
  const auto protocols = response.header_values(protocol_header);
  require(protocols.size() <= 1);
  require(created.subprotocol == (protocols.empty() ? std::string() : protocols[0]));
  const auto replies = response.header_values(upstream_reply_header);
  require(created.frames_in_upstream_replies ==
          (replies.size() == 1 && replies[0] == upstream_reply_frames));
  require(replies.size() <= 1);
  return 0;
}
