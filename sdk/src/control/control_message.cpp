#include "control/control_message.hpp"

#include <string_view>

#include "core/utf8.hpp"
#include "http/ascii.hpp"
#include "http/token.hpp"

namespace tether::control {
namespace {

template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

bool is_known(Operation operation) noexcept {
  return operation == Operation::Send || operation == Operation::Receive;
}

bool is_known(RevalidationOutcome outcome) noexcept {
  return static_cast<std::uint8_t>(outcome) <=
         static_cast<std::uint8_t>(RevalidationOutcome::Failed);
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) noexcept {
  return http::ascii_iequals(text.substr(0, prefix.size()), prefix);
}

// Section 5.1: printable ASCII without spaces, path-absolute or http(s). A scheme-relative
// "//host/..." is refused: it would name another origin while looking like a path.
std::optional<std::string> find_url_rule_broken(std::string_view url) {
  if (url.empty()) return "the URL is empty";
  if (url.size() > max_url_size) {
    return "the URL is " + std::to_string(url.size()) + " bytes, over the limit of " +
           std::to_string(max_url_size);
  }
  for (const char c : url) {
    if (c < 0x21 || c > 0x7E) return "the URL holds a byte outside printable ASCII";
  }
  const bool path_absolute = url[0] == '/' && (url.size() == 1 || url[1] != '/');
  if (!path_absolute && !starts_with_ignoring_case(url, "https://") &&
      !starts_with_ignoring_case(url, "http://")) {
    return "the URL \"" + std::string(url) +
           "\" is neither a path starting with one '/' nor an http or https URL";
  }
  return std::nullopt;
}

std::optional<std::string> find_topic_rule_broken(std::string_view topic) {
  if (topic.size() > max_topic_size) {
    return "the topic is " + std::to_string(topic.size()) + " bytes, over the limit of " +
           std::to_string(max_topic_size);
  }
  if (!core::is_valid_utf8(topic)) return "the topic is not UTF-8";
  return std::nullopt;
}

std::optional<std::string> find_operation_rule_broken(Operation operation) {
  if (is_known(operation)) return std::nullopt;
  return "operation " + std::to_string(static_cast<unsigned>(operation)) +
         " is not defined by version 1 (1 send, 2 receive)";
}

std::optional<std::string> check(const Revalidate& message) {
  if (message.deadline_ms == 0) return "the deadline is 0 ms";
  return find_url_rule_broken(message.url);
}

std::optional<std::string> check(const RevalidationResult& message) {
  if (!is_known(message.outcome)) {
    return "outcome " + std::to_string(static_cast<unsigned>(message.outcome)) +
           " is not defined by version 1 (0 to 4)";
  }
  const std::uint16_t status = message.http_status;
  if (status != 0 && (status < 100 || status > 599)) {
    return "HTTP status " + std::to_string(status) + " is neither 0 nor 100-599";
  }
  if (message.outcome == RevalidationOutcome::Succeeded && (status < 200 || status > 299)) {
    return "a successful revalidation has status " + std::to_string(status) + ", not 2xx";
  }
  if (message.outcome == RevalidationOutcome::UrlRefused && status != 0) {
    return "a refused URL was never requested, yet has status " + std::to_string(status);
  }
  return std::nullopt;
}

std::optional<std::string> check(const Denied& message) {
  if (auto broken = find_operation_rule_broken(message.operation)) return broken;
  if (auto broken = find_topic_rule_broken(message.topic)) return broken;
  if (message.reason.empty()) return "the reason is empty";
  if (message.reason.size() > max_reason_size) {
    return "the reason is " + std::to_string(message.reason.size()) + " bytes, over the limit of " +
           std::to_string(max_reason_size);
  }
  if (!core::is_valid_utf8(message.reason)) return "the reason is not UTF-8";
  return std::nullopt;
}

std::optional<std::string> check(const AuthorizationChanged& message) {
  if (message.changes.empty()) return "the list of changes is empty";
  for (const RightChange& change : message.changes) {
    if (auto broken = find_operation_rule_broken(change.operation)) return broken;
    if (auto broken = find_topic_rule_broken(change.topic)) return broken;
  }
  return std::nullopt;
}

std::optional<std::string> check(const ResumeToken& message) {
  if (message.window_ms == 0) return "the resume window is 0 ms";
  if (message.token.size() < min_token_size || message.token.size() > max_token_size) {
    return "the token is " + std::to_string(message.token.size()) + " bytes, not " +
           std::to_string(min_token_size) + " to " + std::to_string(max_token_size);
  }
  // A token, so that it can travel as an extension parameter's value (section 5.5).
  if (!http::is_token(message.token)) return "the token holds a character outside RFC 9110's tchar";
  return std::nullopt;
}

std::optional<std::string> check(const Ack&) { return std::nullopt; }

}  // namespace

MessageType type_of(const ControlMessage& message) noexcept {
  return std::visit(
      Overloaded{
          [](const Revalidate&) { return MessageType::Revalidate; },
          [](const RevalidationResult&) { return MessageType::RevalidationResult; },
          [](const Denied&) { return MessageType::Denied; },
          [](const AuthorizationChanged&) { return MessageType::AuthorizationChanged; },
          [](const ResumeToken&) { return MessageType::ResumeToken; },
          [](const Ack&) { return MessageType::Ack; },
      },
      message);
}

const char* to_string(MessageType type) noexcept {
  switch (type) {
    case MessageType::Revalidate:
      return "REVALIDATE";
    case MessageType::RevalidationResult:
      return "REVALIDATION_RESULT";
    case MessageType::Denied:
      return "DENIED";
    case MessageType::AuthorizationChanged:
      return "AUTHORIZATION_CHANGED";
    case MessageType::ResumeToken:
      return "RESUME_TOKEN";
    case MessageType::Ack:
      return "ACK";
  }
  return "UNKNOWN";
}

std::optional<std::string> find_rule_broken(const ControlMessage& message) {
  return std::visit([](const auto& typed) { return check(typed); }, message);
}

bool operator==(const Revalidate& a, const Revalidate& b) noexcept {
  return a.request_id == b.request_id && a.deadline_ms == b.deadline_ms && a.url == b.url;
}

bool operator==(const RevalidationResult& a, const RevalidationResult& b) noexcept {
  return a.request_id == b.request_id && a.outcome == b.outcome && a.http_status == b.http_status;
}

bool operator==(const Denied& a, const Denied& b) noexcept {
  return a.operation == b.operation && a.message_id == b.message_id && a.topic == b.topic &&
         a.reason == b.reason;
}

bool operator==(const RightChange& a, const RightChange& b) noexcept {
  return a.operation == b.operation && a.granted == b.granted && a.topic == b.topic;
}

bool operator==(const AuthorizationChanged& a, const AuthorizationChanged& b) noexcept {
  return a.changes == b.changes;
}

bool operator==(const ResumeToken& a, const ResumeToken& b) noexcept {
  return a.window_ms == b.window_ms && a.token == b.token;
}

bool operator==(const Ack& a, const Ack& b) noexcept { return a.received == b.received; }

}  // namespace tether::control
