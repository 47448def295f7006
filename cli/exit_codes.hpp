#pragma once
// What tether-cat's exit status means. Scripts switch on these numbers, so a value once given
// never changes meaning; docs/tether-cat.md and --help list them.

#include "tether/error.hpp"
#include "tether/message.hpp"

namespace tether::cat {

enum class ExitCode : int {
  Ok = 0,                ///< The session ended as asked (--count, idle, a signal, a clean close).
  LocalFailure = 1,      ///< tether-cat itself failed (stdin, signals, the cookie file).
  UsageError = 2,        ///< Bad options or URL.
  ConnectionFailed = 3,  ///< Could not connect, the handshake was refused, or the link broke.
  AuthenticationFailed = 4,  ///< Credentials were refused (AuthFailed, HTTP 401 or 407).
  TlsFailed = 5,             ///< Any TLS failure: trust, host name, expiry, pin, configuration.
  ClosedWithError = 6,       ///< The peer closed with a code other than 1000 or 1001.
};

/// The exit status for a failure the SDK reported. ErrorCode::None and ErrorCode::Cancelled map
/// to Ok: tether-cat cancels a connection only when the user asked it to stop.
ExitCode exit_code_for(const tether::Error& error) noexcept;

/// The exit status for how a connection ended: its error when there was one, otherwise
/// ClosedWithError when the peer closed with an error code, otherwise Ok.
ExitCode exit_code_for(const tether::CloseInfo& close) noexcept;

/// True when the peer ended the connection with a close code that signals a problem, that is
/// anything other than 1000 (normal) and 1001 (going away).
bool closed_by_peer_with_error(const tether::CloseInfo& close) noexcept;

/// The exit status table, for the end of --help.
const char* exit_codes_help() noexcept;

}  // namespace tether::cat
