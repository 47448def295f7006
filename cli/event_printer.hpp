#pragma once
// What tether-cat says on stderr about the connection: --events JSON lines for scripts and
// "tether-cat: ..." lines for people.

#include <ostream>
#include <string>
#include <string_view>

#include "tether/error.hpp"
#include "tether/message.hpp"
#include "tether/state.hpp"

namespace tether::cat {

/// The --events objects, one per line; docs/tether-cat.md describes their fields.
std::string state_event_json(tether::State from, tether::State to, tether::TransportKind transport);
std::string open_event_json(std::string_view subprotocol, tether::TransportKind transport);
std::string error_event_json(const tether::Error& error);
std::string closed_event_json(const tether::CloseInfo& close);
std::string revalidation_event_json(const tether::Revalidation& revalidation);
std::string reconnecting_event_json(const tether::ReconnectAttempt& attempt);
std::string reconnected_event_json(const tether::Reconnected& reconnected);
std::string transport_event_json(tether::TransportKind transport, const tether::Error& reason);

/// Writes each event as a JSON line when `print_events` and as a human line unless `quiet`. Each
/// line goes out in one write so that it does not interleave with the SDK's log lines.
///
/// Thread-safety: Distinct objects: safe. Shared objects: unsafe.
class EventPrinter {
 public:
  EventPrinter(std::ostream& out, bool print_events, bool quiet);

  /// A state change; a change to Open is followed by the open event with the subprotocol and
  /// the transport, unless it is the end of a revalidation or of a reconnect (the connection
  /// was open already; reconnected() reports the latter).
  void state_changed(tether::State from, tether::State to, tether::TransportKind transport,
                     std::string_view subprotocol);
  /// An error; a refused message (NotAuthorized) is named by its number in the human line too.
  void error(const tether::Error& error);
  /// A revalidation's start or end. A failure also gets a human line, since the gateway closes
  /// the connection when its grace period ends.
  void revalidation(const tether::Revalidation& revalidation);
  /// A reconnect attempt scheduled: a human line too, since the connection is down meanwhile.
  void reconnecting(const tether::ReconnectAttempt& attempt);
  /// The connection is back; a new session that may have lost messages says which in a human
  /// line too.
  void reconnected(const tether::Reconnected& reconnected);
  /// The transport the connection's attempts use from now on (Client::on_transport_changed).
  /// `moved_while_open`: the upgrade in place moved the open connection to it, which a person
  /// told of the fallback hears of in a human line too.
  void transport_changed(tether::TransportKind transport, const tether::Error& reason,
                         bool moved_while_open);
  /// TransportPolicy::Auto opened the connection over the HTTP emulation, so the WebSocket
  /// handshake had failed, in this run or (`remembered`) in an earlier one that the fallback
  /// memory recalls: a human line, since a person may want to know that something between them
  /// and the gateway breaks WebSocket. Scripts read the open event's transport instead.
  void fell_back_to_emulation(bool remembered);
  /// The end of the connection. Its error, if any, was already reported through error(), so the
  /// human line only speaks of a peer that closed with an error code.
  void closed(const tether::CloseInfo& close);
  /// A failure of tether-cat itself rather than of the connection (stdin, signals): a human line
  /// only, since --events describes the connection.
  void local_error(std::string_view text);

 private:
  void write_event(const std::string& json);
  void write_human(const std::string& text);

  std::ostream& out_;
  bool print_events_;
  bool quiet_;
};

}  // namespace tether::cat
