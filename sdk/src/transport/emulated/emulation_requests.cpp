#include "transport/emulated/emulation_requests.hpp"

#include <charconv>
#include <optional>

#include "control/control_negotiation.hpp"

namespace tether::transport::emulated {
namespace {

constexpr std::size_t min_token_length = 16;
constexpr std::size_t max_token_length = 128;
constexpr std::int64_t max_heartbeat_ms = std::int64_t{60} * 60 * 1000;

bool is_token_character(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

Error malformed(const std::string& url, const std::string& what) {
  return {ErrorCode::ProtocolError, "the gateway at " + url +
                                        " answered the emulated connection's create with " + what +
                                        " (docs/emulation.md section 4); is it a Tether gateway?"};
}

}  // namespace

http::Url emulation_url(const http::Url& websocket, EmulationRequest request, std::uint64_t count) {
  http::Url url = websocket;
  url.scheme = websocket.is_secure() ? "https" : "http";
  const auto question = websocket.target.find('?');
  std::string path = websocket.target.substr(0, question);
  if (!path.empty() && path.back() == '/') path.pop_back();
  switch (request) {
    case EmulationRequest::Create:
      url.target = path + "/;e/create" +
                   (question == std::string::npos ? "" : websocket.target.substr(question));
      break;
    case EmulationRequest::Downstream:
      url.target = path + "/;e/down?n=" + std::to_string(count);
      break;
    case EmulationRequest::Upstream:
      url.target = path + "/;e/up?n=" + std::to_string(count);
      break;
  }
  return url;
}

bool is_valid_session_token(std::string_view token) {
  if (token.size() < min_token_length || token.size() > max_token_length) return false;
  for (const char c : token) {
    if (!is_token_character(c)) return false;
  }
  return true;
}

Error read_created_session(const http::Response& response, const std::string& url,
                           const std::optional<control::ResumeOffer>& offered_resume,
                           CreatedSession& created) {
  const auto version = response.header_values(emulation_header);
  if (version.size() != 1 || version[0] != emulation_version) {
    return malformed(url, "no 'Tether-Emulation: 1'");
  }
  const auto token = response.header_values(session_header);
  if (token.size() != 1 || !is_valid_session_token(token[0])) {
    return malformed(url, "a missing or malformed Tether-Session token");
  }
  const auto heartbeat = response.header_values(heartbeat_header);
  std::int64_t heartbeat_ms = 0;
  if (heartbeat.size() == 1) {
    const std::string& text = heartbeat[0];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), heartbeat_ms);
    if (error != std::errc() || end != text.data() + text.size()) heartbeat_ms = 0;
  }
  if (heartbeat_ms < 1 || heartbeat_ms > max_heartbeat_ms) {
    return malformed(url, "a missing or out-of-range Tether-Heartbeat");
  }
  const auto protocol = response.header_values(protocol_header);
  if (protocol.size() > 1) return malformed(url, "more than one Tether-Protocol");
  const auto upstream_reply = response.header_values(upstream_reply_header);
  if (upstream_reply.size() > 1 ||
      (upstream_reply.size() == 1 && upstream_reply[0] != upstream_reply_frames)) {
    return malformed(url, "a Tether-Upstream-Reply other than one 'frames'");
  }
  // Repeated fields of a list are one list (RFC 9110 section 5.3).
  std::string extensions;
  for (const auto& field : response.header_values(extensions_header)) {
    extensions += (extensions.empty() ? "" : ", ") + field;
  }
  std::optional<control::ChannelAnswer> control_answer;
  if (auto refused = control::parse_extension_answer(extensions_header, extensions, offered_resume,
                                                     control_answer)) {
    return {ErrorCode::ProtocolError, "the gateway at " + url +
                                          " answered the emulated connection's create with " +
                                          refused.message};
  }
  created.token = token[0];
  created.subprotocol = protocol.empty() ? std::string() : protocol[0];
  created.heartbeat = std::chrono::milliseconds(heartbeat_ms);
  created.control_channel = control_answer;
  created.frames_in_upstream_replies = !upstream_reply.empty();
  return {};
}

}  // namespace tether::transport::emulated
