#pragma once
// The messages of the control channel (docs/control-channel.md section 5), as values, with the
// rules every one must keep. The codec (control_codec.hpp) reads and writes them; the same rules
// refuse a malformed message received and a malformed message about to be sent.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tether::control {

/// The type byte of each message of version 1 (section 5). Values 0x05-0x0F are reserved for
/// this channel's growth, 0x12-0x1F for resume's; a receiver ignores a type it does not know
/// (section 6).
enum class MessageType : std::uint8_t {
  Revalidate = 0x01,
  RevalidationResult = 0x02,
  Denied = 0x03,
  AuthorizationChanged = 0x04,
  ResumeToken = 0x10,
  Ack = 0x11,
};

/// An operation the gateway grants or refuses per user and service.
enum class Operation : std::uint8_t {
  Send = 0x01,     ///< Sending an application message.
  Receive = 0x02,  ///< Receiving a topic's messages (a subscription).
};

/// How the client's revalidation ended, as it reports it to the gateway.
enum class RevalidationOutcome : std::uint8_t {
  Succeeded = 0x00,      ///< The revalidation request was answered 2xx.
  Refused = 0x01,        ///< Answered 401/403/407 after every challenge handler had its turn.
  NoCredentials = 0x02,  ///< The application (a token provider, a prompt) gave no credentials.
  UrlRefused = 0x03,     ///< The URL is on another origin: no request was sent.
  Failed = 0x04,         ///< A network, TLS or timeout failure, or an unexpected status.
};

/// The largest control message (its type byte and fields), in bytes.
inline constexpr std::size_t max_control_message_size = 4096;
/// The largest revalidation URL, in bytes.
inline constexpr std::size_t max_url_size = 2048;
/// The largest topic, in bytes.
inline constexpr std::size_t max_topic_size = 256;
/// The largest reason, in bytes.
inline constexpr std::size_t max_reason_size = 1024;
/// The shortest and the longest resume token, in bytes (section 5.5).
inline constexpr std::size_t min_token_size = 16;
inline constexpr std::size_t max_token_size = 256;

/// Gateway to client: revalidate now, with an HTTP GET of `url`, within `deadline_ms`.
/// `url` is path-absolute ("/echo/;r/abc") or an absolute http(s) URL; the client refuses one
/// on another origin (section 5.1).
struct Revalidate {
  std::uint32_t request_id = 0;
  std::uint32_t deadline_ms = 0;
  std::string url;
};

/// Client to gateway: how the revalidation `request_id` asked for ended. Advisory: the gateway
/// decides from the revalidation request it served, never from this message.
struct RevalidationResult {
  std::uint32_t request_id = 0;
  RevalidationOutcome outcome = RevalidationOutcome::Succeeded;
  std::uint16_t http_status = 0;  ///< The final answer's status, 0 when none came.
};

/// Gateway to client: the operation was refused; the connection stays open.
struct Denied {
  Operation operation = Operation::Send;
  std::uint64_t message_id = 0;  ///< The refused application message (section 4), 0 for none.
  std::string topic;             ///< The topic concerned; empty for the whole service.
  std::string reason;            ///< For a person: why, in UTF-8.
};

/// One right granted or revoked.
struct RightChange {
  Operation operation = Operation::Send;
  bool granted = false;
  std::string topic;  ///< Empty for the whole service.
};

/// Gateway to client: the user's rights changed (after a revalidation's re-check, say).
struct AuthorizationChanged {
  std::vector<RightChange> changes;
};

/// Gateway to client, on a connection that negotiated resume (section 5.5): the token that
/// resumes the session after a drop, valid for `window_ms` after the drop. Replaces any earlier
/// token of the session.
struct ResumeToken {
  std::uint32_t window_ms = 0;
  std::string token;  ///< 16 to 256 characters of an RFC 9110 token.
};

/// Either way, on a connection that negotiated resume (section 5.5): the sender has received
/// `received` of the peer's application messages on the session, in order, and the peer may
/// forget them.
struct Ack {
  std::uint64_t received = 0;
};

/// Every message of version 1.
using ControlMessage =
    std::variant<Revalidate, RevalidationResult, Denied, AuthorizationChanged, ResumeToken, Ack>;

/// The type byte of `message`.
/// Thread-safety: safe from any thread.
MessageType type_of(const ControlMessage& message) noexcept;

/// A stable name for the type ("REVALIDATE", "DENIED"...), for error messages and logs.
/// Thread-safety: safe from any thread.
const char* to_string(MessageType type) noexcept;

/// What is wrong with `message` under section 5's rules (a URL that is neither path-absolute nor
/// http(s), a deadline of 0, a reason that is empty or not UTF-8, a field over its limit, an
/// enumeration value that version 1 does not define...), or nullopt when it keeps them all.
/// Thread-safety: safe from any thread.
std::optional<std::string> find_rule_broken(const ControlMessage& message);

/// Field-by-field equality, for tests and the fuzz target's round trips.
/// Thread-safety: safe from any thread.
bool operator==(const Revalidate& a, const Revalidate& b) noexcept;
bool operator==(const RevalidationResult& a, const RevalidationResult& b) noexcept;
bool operator==(const Denied& a, const Denied& b) noexcept;
bool operator==(const RightChange& a, const RightChange& b) noexcept;
bool operator==(const AuthorizationChanged& a, const AuthorizationChanged& b) noexcept;
bool operator==(const ResumeToken& a, const ResumeToken& b) noexcept;
bool operator==(const Ack& a, const Ack& b) noexcept;

}  // namespace tether::control
