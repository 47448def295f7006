#pragma once
// Errors are values: every failure the SDK reports is a tether::Error with a typed code and a
// message that names what failed and what to do about it.

#include <cstdint>
#include <string>
#include <system_error>

namespace tether {

/// What went wrong, as a value a program can switch on. New codes are only ever appended.
enum class ErrorCode {
  None = 0,
  InvalidArgument,          ///< An option or URL is malformed; the message names it.
  InvalidState,             ///< The call is not allowed in the client's current state.
  ResolveFailed,            ///< The host name could not be resolved.
  ConnectFailed,            ///< The TCP connection was refused or could not be made.
  ConnectTimeout,           ///< No TCP connection within ConnectOptions::connect_timeout.
  HandshakeTimeout,         ///< No WebSocket handshake within ConnectOptions::handshake_timeout.
  TlsConfiguration,         ///< A CA file, client certificate or key could not be loaded.
  TlsFailed,                ///< The TLS handshake failed for another reason (protocol, cipher).
  TlsUntrustedCertificate,  ///< The server's chain does not lead to a trusted CA.
  TlsHostnameMismatch,      ///< The certificate is valid but not for the host connected to.
  TlsCertificateExpired,    ///< A certificate in the chain has expired or is not yet valid.
  TlsPinMismatch,           ///< No certificate in the chain matches a pinned SPKI hash.
  ProxyFailed,              ///< The HTTP CONNECT proxy refused or broke the tunnel.
  HandshakeRejected,        ///< The server answered the upgrade with an HTTP status, not 101.
  SubprotocolMismatch,      ///< The server chose a subprotocol not offered, or none when required.
  AuthFailed,               ///< Authentication was refused after the allowed attempts.
  MessageTooBig,            ///< A message exceeded the negotiated maximum size.
  /// Not reported since PeerUnresponsive replaced it; kept so that codes keep their values.
  PongTimeout,
  ProtocolError,      ///< The peer broke the WebSocket protocol.
  ConnectionLost,     ///< The connection dropped without a closing handshake.
  Cancelled,          ///< The operation was cancelled by the application.
  CookieRejected,     ///< A cookie was ignored as RFC 6265 section 5.3 requires; says why.
  CookieFileCorrupt,  ///< A cookie file is not in the Netscape format; names file and line.
  FileAccessFailed,   ///< A file could not be read or written; names it and the OS reason.
  AuthExpired,  ///< The credentials that opened the connection expired (or were revoked) since.
  /// The send queue is full (ConnectOptions::max_queued_messages or max_queued_bytes): nothing
  /// was queued and the connection goes on; send again once the queue has drained.
  WouldBlock,
  /// The gateway refused one operation on a live connection (docs/control-channel.md section
  /// 5.3): a message it would not accept (Error::message_id names it) or a topic the user may not
  /// receive. The connection stays open; the message was not delivered.
  NotAuthorized,
  /// The peer stopped answering without closing: a ping went unanswered for
  /// ConnectOptions::pong_timeout, on either transport. The reconnect policy may bring the
  /// connection back.
  PeerUnresponsive,
};

/// A stable, human-readable name for the code, e.g. "TlsHostnameMismatch".
/// Thread-safety: safe from any thread.
const char* to_string(ErrorCode code) noexcept;

/// The std::error_category of tether::ErrorCode, so codes mix with std::error_code.
/// Thread-safety: safe from any thread.
const std::error_category& error_category() noexcept;

/// Thread-safety: safe from any thread.
std::error_code make_error_code(ErrorCode code) noexcept;

/// A failure: a code to switch on, a message for a person, and the HTTP status when an HTTP
/// exchange (the handshake, a proxy) was refused. An Error whose code is None means success.
/// A function that returns an Error must have it looked at: the compiler warns (an error in this
/// project's builds) when a returned Error is dropped. Cast to void where ignoring it is right,
/// with a comment saying why.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct [[nodiscard]] Error {
  ErrorCode code = ErrorCode::None;
  std::string message;
  int http_status = 0;  ///< The refusing HTTP status (401, 403, 407...), or 0.
  /// For NotAuthorized: the number of the refused message on its connection, as
  /// Client::send_text() and send_binary() gave it (docs/control-channel.md section 4), or 0 when
  /// the refusal concerns no single message. 0 for every other code.
  std::uint64_t message_id = 0;

  Error() = default;
  Error(ErrorCode error_code, std::string text, int status = 0)
      : code(error_code), message(std::move(text)), http_status(status) {}

  /// True when this is a failure.
  explicit operator bool() const noexcept { return code != ErrorCode::None; }

  /// True for the TLS codes (TlsConfiguration ... TlsPinMismatch).
  bool is_tls() const noexcept;
};

}  // namespace tether

namespace std {
template <>
struct is_error_code_enum<tether::ErrorCode> : true_type {};
}  // namespace std
