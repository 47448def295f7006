#include "control/control_codec.hpp"

#include <cstddef>
#include <cstdint>

namespace tether::control {
namespace {

void append_integer(std::string& out, std::uint64_t value, std::size_t size) {
  for (std::size_t i = size; i > 0; --i) {
    out += static_cast<char>((value >> (8 * (i - 1))) & 0xFF);
  }
}

// The caller has checked the size against its field's limit, all below 65536.
void append_string(std::string& out, std::string_view text) {
  append_integer(out, text.size(), 2);
  out += text;
}

void append_fields(std::string& out, const Revalidate& message) {
  append_integer(out, message.request_id, 4);
  append_integer(out, message.deadline_ms, 4);
  append_string(out, message.url);
}

void append_fields(std::string& out, const RevalidationResult& message) {
  append_integer(out, message.request_id, 4);
  append_integer(out, static_cast<std::uint8_t>(message.outcome), 1);
  append_integer(out, message.http_status, 2);
}

void append_fields(std::string& out, const Denied& message) {
  append_integer(out, static_cast<std::uint8_t>(message.operation), 1);
  append_integer(out, message.message_id, 8);
  append_string(out, message.topic);
  append_string(out, message.reason);
}

void append_fields(std::string& out, const AuthorizationChanged& message) {
  append_integer(out, message.changes.size(), 2);
  for (const RightChange& change : message.changes) {
    append_integer(out, static_cast<std::uint8_t>(change.operation), 1);
    append_integer(out, change.granted ? 1 : 0, 1);
    append_string(out, change.topic);
  }
}

void append_fields(std::string& out, const ResumeToken& message) {
  append_integer(out, message.window_ms, 4);
  append_string(out, message.token);
}

void append_fields(std::string& out, const Ack& message) {
  append_integer(out, message.received, 8);
}

// Reads the fields of one body in order; the first read past the end is remembered, so that a
// decoder reads every field and checks once.
class FieldReader {
 public:
  explicit FieldReader(std::string_view body) : body_(body) {}

  std::uint64_t integer(std::size_t size) {
    if (!take(size)) return 0;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
      value = (value << 8) | static_cast<unsigned char>(body_[position_ - size + i]);
    }
    return value;
  }

  std::string string() {
    const auto size = static_cast<std::size_t>(integer(2));
    if (!take(size)) return {};
    return std::string(body_.substr(position_ - size, size));
  }

  bool cut_short() const noexcept { return cut_short_; }

  // Why the body does not hold exactly the fields read, or an empty string.
  std::string problem() const {
    if (cut_short_) return "it is cut short (" + std::to_string(body_.size()) + " bytes)";
    if (position_ != body_.size()) {
      return std::to_string(body_.size() - position_) + " bytes follow its last field";
    }
    return {};
  }

 private:
  bool take(std::size_t size) {
    if (cut_short_ || body_.size() - position_ < size) {
      cut_short_ = true;
      return false;
    }
    position_ += size;
    return true;
  }

  std::string_view body_;
  std::size_t position_ = 0;
  bool cut_short_ = false;
};

Revalidate read_revalidate(FieldReader& reader) {
  Revalidate message;
  message.request_id = static_cast<std::uint32_t>(reader.integer(4));
  message.deadline_ms = static_cast<std::uint32_t>(reader.integer(4));
  message.url = reader.string();
  return message;
}

RevalidationResult read_revalidation_result(FieldReader& reader) {
  RevalidationResult message;
  message.request_id = static_cast<std::uint32_t>(reader.integer(4));
  message.outcome = static_cast<RevalidationOutcome>(reader.integer(1));
  message.http_status = static_cast<std::uint16_t>(reader.integer(2));
  return message;
}

Denied read_denied(FieldReader& reader) {
  Denied message;
  message.operation = static_cast<Operation>(reader.integer(1));
  message.message_id = reader.integer(8);
  message.topic = reader.string();
  message.reason = reader.string();
  return message;
}

// A granted byte other than 0 or 1 is reported through `bad_granted`.
AuthorizationChanged read_authorization_changed(FieldReader& reader, bool& bad_granted) {
  AuthorizationChanged message;
  const auto count = static_cast<std::size_t>(reader.integer(2));
  // Each change takes at least 4 bytes: a count the body cannot hold stops at the first
  // missing one instead of reserving memory for it.
  for (std::size_t i = 0; i < count && !reader.cut_short(); ++i) {
    RightChange change;
    change.operation = static_cast<Operation>(reader.integer(1));
    const std::uint64_t granted = reader.integer(1);
    bad_granted = bad_granted || granted > 1;
    change.granted = granted == 1;
    change.topic = reader.string();
    message.changes.push_back(std::move(change));
  }
  return message;
}

ResumeToken read_resume_token(FieldReader& reader) {
  ResumeToken message;
  message.window_ms = static_cast<std::uint32_t>(reader.integer(4));
  message.token = reader.string();
  return message;
}

Ack read_ack(FieldReader& reader) { return Ack{reader.integer(8)}; }

Error malformed(std::string_view what, const std::string& problem) {
  return Error(ErrorCode::ProtocolError, "control message " + std::string(what) +
                                             " is malformed: " + problem +
                                             "; the peer breaks docs/control-channel.md section 5");
}

}  // namespace

Error append_control_message(std::string& out, const ControlMessage& message) {
  const char* name = to_string(type_of(message));
  if (auto broken = find_rule_broken(message)) {
    return Error(ErrorCode::InvalidArgument,
                 std::string("cannot send control message ") + name + ": " + *broken);
  }
  const std::size_t start = out.size();
  append_integer(out, static_cast<std::uint8_t>(type_of(message)), 1);
  std::visit([&out](const auto& typed) { append_fields(out, typed); }, message);
  if (out.size() - start > max_control_message_size) {
    const std::size_t size = out.size() - start;
    out.resize(start);
    return Error(ErrorCode::InvalidArgument,
                 std::string("cannot send control message ") + name + ": it encodes to " +
                     std::to_string(size) + " bytes, over the limit of " +
                     std::to_string(max_control_message_size) + "; send it in smaller parts");
  }
  return {};
}

Error decode_control_message(std::string_view body, std::optional<ControlMessage>& message) {
  message.reset();
  if (body.empty()) return malformed("(no type byte)", "it is empty");
  if (body.size() > max_control_message_size) {
    return malformed(
        "of " + std::to_string(body.size()) + " bytes",
        "it is over the limit of " + std::to_string(max_control_message_size) + " bytes");
  }
  const auto type = static_cast<MessageType>(static_cast<unsigned char>(body[0]));
  FieldReader reader(body.substr(1));
  bool bad_granted = false;
  ControlMessage decoded;
  switch (type) {
    case MessageType::Revalidate:
      decoded = read_revalidate(reader);
      break;
    case MessageType::RevalidationResult:
      decoded = read_revalidation_result(reader);
      break;
    case MessageType::Denied:
      decoded = read_denied(reader);
      break;
    case MessageType::AuthorizationChanged:
      decoded = read_authorization_changed(reader, bad_granted);
      break;
    case MessageType::ResumeToken:
      decoded = read_resume_token(reader);
      break;
    case MessageType::Ack:
      decoded = read_ack(reader);
      break;
    default:
      return {};  // Section 6: a type this version does not know is ignored.
  }
  const char* name = to_string(type);
  if (std::string problem = reader.problem(); !problem.empty()) return malformed(name, problem);
  if (bad_granted) return malformed(name, "a granted byte is neither 0 nor 1");
  if (auto broken = find_rule_broken(decoded)) return malformed(name, *broken);
  message = std::move(decoded);
  return {};
}

}  // namespace tether::control
