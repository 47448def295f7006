#include "transport/emulated/frame_codec.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "control/control_message.hpp"
#include "core/utf8.hpp"

namespace tether::transport::emulated {
namespace {

constexpr std::uint16_t close_protocol_error = 1002;
constexpr std::uint16_t close_invalid_payload = 1007;
constexpr std::uint16_t close_message_too_big = 1009;
constexpr std::uint16_t close_no_status = 1005;

// A header may announce up to max_payload bytes that never come; reserving only this much up
// front keeps such a header cheap, and std::string's geometric growth keeps larger payloads
// linear.
constexpr std::size_t initial_payload_reserve = std::size_t{64} * 1024;

bool is_known(std::uint8_t type, ControlFrames control_frames) noexcept {
  switch (static_cast<FrameType>(type)) {
    case FrameType::Nop:
    case FrameType::Text:
    case FrameType::Binary:
    case FrameType::Close:
    case FrameType::Ping:
    case FrameType::Pong:
      return true;
    case FrameType::Control:
      return control_frames == ControlFrames::Accepted;
  }
  return false;
}

// WebSocket's control frames (RFC 6455 section 5.5), at most 125 bytes; not the control
// channel's CONTROL frame.
bool is_websocket_control(FrameType type) noexcept {
  return type == FrameType::Close || type == FrameType::Ping || type == FrameType::Pong;
}

std::uint64_t read_big_endian(const char* bytes, std::size_t count) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

void append_big_endian(std::string& out, std::uint64_t value, std::size_t count) {
  for (std::size_t i = count; i-- > 0;) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

std::string hex_byte(std::uint8_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[value >> 4], digits[value & 0x0F]};
}

// "emulation frame: TEXT" followed by what is wrong with the frame.
std::string about(FrameType type, const std::string& problem) {
  return std::string("emulation frame: ") + to_string(type) + problem;
}

// decode_close_payload, also telling which close code a failure maps to (1007 for a reason that
// is not UTF-8, as the native transport reports it).
Error decode_close(std::string_view payload, ClosePayload& out, std::uint16_t& failure_close_code) {
  failure_close_code = close_protocol_error;
  out = ClosePayload{};
  if (payload.empty()) return {};
  if (payload.size() == 1) {
    return {ErrorCode::ProtocolError,
            "emulation frame: a CLOSE payload of 1 byte; it must be empty or start with a 2-byte "
            "close code"};
  }
  if (payload.size() > max_control_payload) {
    return {ErrorCode::ProtocolError, "emulation frame: a CLOSE payload of " +
                                          std::to_string(payload.size()) +
                                          " bytes, over the 125 a control frame may carry"};
  }
  const auto code = static_cast<std::uint16_t>(read_big_endian(payload.data(), 2));
  if (!is_valid_wire_close_code(code)) {
    return {ErrorCode::ProtocolError, "emulation frame: CLOSE with code " + std::to_string(code) +
                                          ", which RFC 6455 section 7.4 forbids on the wire"};
  }
  const std::string_view reason = payload.substr(2);
  if (!core::is_valid_utf8(reason)) {
    failure_close_code = close_invalid_payload;
    return {ErrorCode::ProtocolError, "emulation frame: CLOSE reason is not valid UTF-8"};
  }
  out.code = code;
  out.reason = std::string(reason);
  return {};
}

}  // namespace

bool is_sequenced(FrameType type) noexcept {
  return type == FrameType::Text || type == FrameType::Binary || type == FrameType::Close ||
         type == FrameType::Control;
}

const char* to_string(FrameType type) noexcept {
  switch (type) {
    case FrameType::Nop:
      return "NOP";
    case FrameType::Text:
      return "TEXT";
    case FrameType::Binary:
      return "BINARY";
    case FrameType::Close:
      return "CLOSE";
    case FrameType::Ping:
      return "PING";
    case FrameType::Pong:
      return "PONG";
    case FrameType::Control:
      return "CONTROL";
  }
  return "unknown";
}

void append_frame(std::string& out, FrameType type, std::uint64_t sequence,
                  std::string_view payload) {
  out.reserve(out.size() + frame_header_size + payload.size());
  out.push_back(static_cast<char>(type));
  append_big_endian(out, sequence, 8);
  append_big_endian(out, payload.size(), 4);
  out.append(payload);
}

bool is_valid_wire_close_code(std::uint16_t code) noexcept {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

std::string encode_close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  if (code == close_no_status) return payload;
  payload.reserve(2 + reason.size());
  append_big_endian(payload, code, 2);
  payload.append(reason);
  return payload;
}

Error decode_close_payload(std::string_view payload, ClosePayload& out) {
  std::uint16_t ignored_close_code = 0;
  return decode_close(payload, out, ignored_close_code);
}

FrameDecoder::FrameDecoder(std::size_t max_payload, ControlFrames control_frames)
    : max_payload_(max_payload), control_frames_(control_frames) {}

Error FrameDecoder::feed(std::string_view bytes) {
  if (error_) return error_;
  while (!bytes.empty()) {
    if (!in_payload_) {
      const std::size_t take = std::min(frame_header_size - header_filled_, bytes.size());
      std::memcpy(header_ + header_filled_, bytes.data(), take);
      header_filled_ += take;
      bytes.remove_prefix(take);
      if (header_filled_ < frame_header_size) break;
      if (Error error = start_frame()) return error;
    }
    const std::size_t take = std::min(payload_length_ - current_.payload.size(), bytes.size());
    current_.payload.append(bytes.data(), take);
    bytes.remove_prefix(take);
    if (current_.payload.size() == payload_length_) {
      if (Error error = finish_frame()) return error;
    }
  }
  return {};
}

std::optional<Frame> FrameDecoder::next() {
  if (ready_.empty()) return std::nullopt;
  Frame frame = std::move(ready_.front());
  ready_.pop_front();
  return frame;
}

bool FrameDecoder::has_partial_frame() const noexcept { return header_filled_ > 0 || in_payload_; }

std::uint16_t FrameDecoder::close_code() const noexcept { return close_code_; }

Error FrameDecoder::fail(ErrorCode code, std::uint16_t close_code, std::string message) {
  error_ = Error(code, std::move(message));
  close_code_ = close_code;
  return error_;
}

Error FrameDecoder::start_frame() {
  const auto type_byte = static_cast<std::uint8_t>(header_[0]);
  if (!is_known(type_byte, control_frames_)) {
    return fail(ErrorCode::ProtocolError, close_protocol_error,
                "emulation frame: unknown frame type " + hex_byte(type_byte));
  }
  const auto type = static_cast<FrameType>(type_byte);
  const std::uint64_t sequence = read_big_endian(header_ + 1, 8);
  const std::uint64_t length = read_big_endian(header_ + 9, 4);
  if (is_sequenced(type) && sequence == 0) {
    return fail(ErrorCode::ProtocolError, close_protocol_error,
                about(type, " with sequence 0; sequenced frames count from 1"));
  }
  if (!is_sequenced(type) && sequence != 0) {
    return fail(
        ErrorCode::ProtocolError, close_protocol_error,
        about(type, " with sequence " + std::to_string(sequence) + "; unsequenced frames carry 0"));
  }
  if (type == FrameType::Nop && length != 0) {
    return fail(ErrorCode::ProtocolError, close_protocol_error,
                "emulation frame: NOP with a payload of " + std::to_string(length) +
                    " bytes; a NOP is empty");
  }
  if (is_websocket_control(type) && length > max_control_payload) {
    return fail(ErrorCode::ProtocolError, close_protocol_error,
                about(type, " with a payload of " + std::to_string(length) +
                                " bytes, over the 125 a control frame may carry"));
  }
  if (type == FrameType::Control && length > control::max_control_message_size) {
    return fail(ErrorCode::ProtocolError, close_protocol_error,
                about(type, " with a payload of " + std::to_string(length) + " bytes, over the " +
                                std::to_string(control::max_control_message_size) +
                                " a control message may have (docs/control-channel.md section 6)"));
  }
  if ((type == FrameType::Text || type == FrameType::Binary) && length > max_payload_) {
    return fail(ErrorCode::MessageTooBig, close_message_too_big,
                about(type, " message of " + std::to_string(length) +
                                " bytes, over the receiver's limit of " +
                                std::to_string(max_payload_) + " bytes"));
  }
  header_filled_ = 0;
  in_payload_ = true;
  payload_length_ = static_cast<std::size_t>(length);
  current_.type = type;
  current_.sequence = sequence;
  current_.payload.clear();
  current_.payload.reserve(std::min(payload_length_, initial_payload_reserve));
  return {};
}

Error FrameDecoder::finish_frame() {
  if (current_.type == FrameType::Text && !core::is_valid_utf8(current_.payload)) {
    return fail(ErrorCode::ProtocolError, close_invalid_payload,
                "emulation frame: TEXT message with sequence " + std::to_string(current_.sequence) +
                    " is not valid UTF-8");
  }
  if (current_.type == FrameType::Close) {
    ClosePayload ignored;
    std::uint16_t failure_close_code = close_protocol_error;
    if (Error error = decode_close(current_.payload, ignored, failure_close_code)) {
      return fail(error.code, failure_close_code, std::move(error.message));
    }
  }
  in_payload_ = false;
  ready_.push_back(std::move(current_));
  current_ = Frame{};
  return {};
}

}  // namespace tether::transport::emulated
