#pragma once
// The client's connection state machine. Every transition is reported through
// Client::on_state_changed; docs/architecture.md draws the diagram.

namespace tether {

/// Where a client is in its life. New states are only ever appended.
enum class State {
  Idle,            ///< Created, never connected.
  Connecting,      ///< Resolving, connecting, TLS and WebSocket handshake in progress.
  Authenticating,  ///< The server asked for credentials; answering the challenge.
  Open,            ///< Messages flow.
  Closing,         ///< A close was started and the closing handshake is in progress.
  Closed,          ///< Closed or failed; connect() may be called again.
  /// Open, and proving its identity again because the gateway asked (docs/authentication.md,
  /// "Revalidation"): messages keep flowing both ways, send() works as in Open, and the state
  /// goes back to Open when the revalidation ends, whatever its outcome (Client::on_revalidation
  /// reports it). A sub-state of Open: code that checks for Open checks for both.
  Revalidating,
  /// The connection dropped and the client is bringing it back by itself
  /// (ConnectOptions::reconnect): waiting for the next attempt, or making it.
  /// Client::on_reconnecting reports each attempt and its delay. send() queues, within
  /// ConnectOptions::max_queued_messages and max_queued_bytes; the state becomes Open again
  /// (Client::on_reconnected says whether the session resumed) or Closed when the policy gives up
  /// or the failure is one a reconnect cannot mend.
  Reconnecting,
};

/// The transport a connection runs over.
enum class TransportKind {
  None,      ///< Not connected.
  Native,    ///< RFC 6455 WebSocket over TCP or TLS.
  Emulated,  ///< Tether's HTTP emulation of WebSocket (docs/emulation.md).
};

/// Stable names, e.g. "Open". Thread-safety: safe from any thread.
const char* to_string(State state) noexcept;
const char* to_string(TransportKind kind) noexcept;

/// Whether the state machine allows going from `from` to `to`.
/// Thread-safety: safe from any thread.
bool is_allowed_transition(State from, State to) noexcept;

}  // namespace tether
