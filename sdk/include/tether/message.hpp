#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tether/error.hpp"
#include "tether/state.hpp"

namespace tether {

enum class MessageKind { Text, Binary };

/// A received message. `data` points into the SDK's receive buffer and is valid only until the
/// callback returns: copy it (std::string{message.data}) to keep it.
/// Thread-safety: a value type (a view). Distinct objects: safe. Shared objects: safe to read,
/// on the I/O thread during the callback only: the buffer is reused once it returns.
struct Message {
  MessageKind kind = MessageKind::Text;
  std::string_view data;
};

/// A pong: the peer's answer to a ping, reported through Client::on_pong.
/// Thread-safety: a value type (a view), like Message: `payload` is valid only until the callback
/// returns.
struct Pong {
  /// The pong's payload: the ping's, from a peer that answers as RFC 6455 section 5.5.3 says.
  std::string_view payload;
  /// The time since this client's latest ping (Client::ping() or the heartbeat's), as QWebSocket
  /// measures it: a round trip when the pong answers that ping.
  std::chrono::microseconds elapsed{0};
};

/// A revalidation the gateway asked for (docs/authentication.md, "Revalidation"), reported
/// through Client::on_revalidation when it starts and when it ends. The connection stays open
/// throughout; after a failure the gateway closes it when its grace period ends (AuthExpired).
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Revalidation {
  enum class Phase {
    Started,    ///< The gateway asked; the revalidation request is being made.
    Succeeded,  ///< The revalidation URL answered 2xx: the connection goes on.
    Failed,     ///< Refused, no credentials given, a URL on another origin, or a network failure.
  };
  Phase phase = Phase::Started;
  /// The revalidation URL, as messages and logs show it (no query).
  std::string url;
  /// The final HTTP status, 0 until one came (and for a URL refused before any request).
  int http_status = 0;
  /// Why it failed (AuthFailed, AuthExpired, InvalidArgument for another origin, a network code,
  /// Cancelled when the gateway's next request superseded it or close() ended it); code None
  /// otherwise.
  Error error;
};

/// A reconnect attempt scheduled (docs/reconnect.md), reported through Client::on_reconnecting
/// when the state becomes Reconnecting and after each attempt that failed.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct ReconnectAttempt {
  unsigned attempt = 1;  ///< 1 for the first attempt after the drop, then 2, 3...
  /// How long until it starts, as the backoff drew it.
  std::chrono::milliseconds delay{0};
  /// Why: the drop for the first attempt, the previous attempt's failure for the others.
  Error reason;
};

/// The connection is back (docs/reconnect.md), reported through Client::on_reconnected with the
/// state Open again.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Reconnected {
  /// The gateway resumed the session: every message sent before the drop, either way, arrives
  /// exactly once and in order, and numbers go on. False: a new session; the messages numbered
  /// first_unconfirmed to last_unconfirmed may not have been delivered.
  bool resumed = false;
  unsigned attempts = 1;  ///< The attempts it took.
  TransportKind transport = TransportKind::None;
  /// The messages sent before the drop that the gateway did not acknowledge (their numbers,
  /// as send_text() and send_binary() gave them), when the session did not resume; 0 and 0
  /// when there are none. They are not sent again.
  std::uint64_t first_unconfirmed = 0;
  std::uint64_t last_unconfirmed = 0;
};

/// How a connection ended, reported once per connect() through Client::on_closed.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct CloseInfo {
  /// The close code the peer sent (RFC 6455 section 7.4), or 1006 when there was no closing
  /// handshake (failure, lost connection).
  std::uint16_t code = 1006;
  std::string reason;
  /// Why the connection ended when it was not a clean close requested by either side;
  /// code None after a normal closing handshake.
  Error error;
  /// True when the peer initiated the close.
  bool closed_by_peer = false;
};

}  // namespace tether
