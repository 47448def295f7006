#include "event_printer.hpp"

#include <nlohmann/json.hpp>

#include "exit_codes.hpp"

namespace tether::cat {
namespace {

std::string to_line(const nlohmann::ordered_json& event) {
  // Reasons and messages come from the network: replace invalid UTF-8 rather than throw. The
  // fields keep the order they are written in, "event" first, for people reading along.
  return event.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

const char* phase_name(tether::Revalidation::Phase phase) {
  switch (phase) {
    case tether::Revalidation::Phase::Started:
      return "Started";
    case tether::Revalidation::Phase::Succeeded:
      return "Succeeded";
    case tether::Revalidation::Phase::Failed:
      return "Failed";
  }
  return "Unknown";
}

}  // namespace

std::string state_event_json(tether::State from, tether::State to,
                             tether::TransportKind transport) {
  return to_line({{"event", "state"},
                  {"from", tether::to_string(from)},
                  {"to", tether::to_string(to)},
                  {"transport", tether::to_string(transport)}});
}

std::string open_event_json(std::string_view subprotocol, tether::TransportKind transport) {
  // "transport" comes last, after the fields that earlier versions printed.
  return to_line({{"event", "open"},
                  {"subprotocol", subprotocol},
                  {"transport", tether::to_string(transport)}});
}

std::string error_event_json(const tether::Error& error) {
  return to_line({{"event", "error"},
                  {"code", tether::to_string(error.code)},
                  {"message", error.message},
                  {"http_status", error.http_status},
                  {"message_id", error.message_id}});
}

std::string closed_event_json(const tether::CloseInfo& close) {
  return to_line({{"event", "closed"},
                  {"code", close.code},
                  {"reason", close.reason},
                  {"by_peer", close.closed_by_peer}});
}

std::string revalidation_event_json(const tether::Revalidation& revalidation) {
  return to_line({{"event", "revalidation"},
                  {"phase", phase_name(revalidation.phase)},
                  {"url", revalidation.url},
                  {"http_status", revalidation.http_status},
                  {"code", tether::to_string(revalidation.error.code)},
                  {"message", revalidation.error.message}});
}

std::string reconnecting_event_json(const tether::ReconnectAttempt& attempt) {
  return to_line({{"event", "reconnecting"},
                  {"attempt", attempt.attempt},
                  {"delay_ms", attempt.delay.count()},
                  {"code", tether::to_string(attempt.reason.code)},
                  {"message", attempt.reason.message}});
}

std::string reconnected_event_json(const tether::Reconnected& reconnected) {
  return to_line({{"event", "reconnected"},
                  {"resumed", reconnected.resumed},
                  {"attempts", reconnected.attempts},
                  {"transport", tether::to_string(reconnected.transport)},
                  {"first_unconfirmed", reconnected.first_unconfirmed},
                  {"last_unconfirmed", reconnected.last_unconfirmed}});
}

std::string transport_event_json(tether::TransportKind transport, const tether::Error& reason) {
  return to_line({{"event", "transport"},
                  {"transport", tether::to_string(transport)},
                  {"code", tether::to_string(reason.code)},
                  {"message", reason.message},
                  {"http_status", reason.http_status}});
}

EventPrinter::EventPrinter(std::ostream& out, bool print_events, bool quiet)
    : out_(out), print_events_(print_events), quiet_(quiet) {}

void EventPrinter::state_changed(tether::State from, tether::State to,
                                 tether::TransportKind transport, std::string_view subprotocol) {
  write_event(state_event_json(from, to, transport));
  if (to == tether::State::Open && from != tether::State::Revalidating &&
      from != tether::State::Reconnecting) {
    write_event(open_event_json(subprotocol, transport));
  }
}

void EventPrinter::transport_changed(tether::TransportKind transport, const tether::Error& reason,
                                     bool moved_while_open) {
  write_event(transport_event_json(transport, reason));
  if (!moved_while_open) return;
  write_human(
      "the WebSocket gets through again, so the connection moved to it from the HTTP emulation, "
      "without a reconnect");
}

void EventPrinter::fell_back_to_emulation(bool remembered) {
  write_human(remembered
                  ? "the WebSocket failed lately for this gateway (--fallback-memory remembers "
                    "it), so the connection runs over the HTTP emulation of WebSocket without "
                    "trying it first"
                  : "the WebSocket handshake failed, so the connection runs over the HTTP "
                    "emulation of WebSocket (a proxy or firewall on the way may block WebSocket)");
}

void EventPrinter::error(const tether::Error& error) {
  write_event(error_event_json(error));
  if (error.code == tether::ErrorCode::NotAuthorized && error.message_id != 0) {
    write_human("message " + std::to_string(error.message_id) + " was refused: " + error.message);
  } else {
    write_human(error.message);
  }
}

void EventPrinter::revalidation(const tether::Revalidation& revalidation) {
  write_event(revalidation_event_json(revalidation));
  if (revalidation.phase == tether::Revalidation::Phase::Failed) {
    write_human("revalidation at " + revalidation.url + " failed: " + revalidation.error.message);
  }
}

void EventPrinter::reconnecting(const tether::ReconnectAttempt& attempt) {
  write_event(reconnecting_event_json(attempt));
  write_human("reconnecting: attempt " + std::to_string(attempt.attempt) + " in " +
              std::to_string(attempt.delay.count()) + " ms (" + attempt.reason.message + ")");
}

void EventPrinter::reconnected(const tether::Reconnected& reconnected) {
  write_event(reconnected_event_json(reconnected));
  if (reconnected.resumed || reconnected.first_unconfirmed == 0) return;
  write_human("reconnected as a new session: messages " +
              std::to_string(reconnected.first_unconfirmed) + " to " +
              std::to_string(reconnected.last_unconfirmed) + " may not have been delivered");
}

void EventPrinter::closed(const tether::CloseInfo& close) {
  write_event(closed_event_json(close));
  if (close.error || !closed_by_peer_with_error(close)) return;
  std::string text = "the peer closed the connection with code " + std::to_string(close.code);
  if (!close.reason.empty()) text += ": " + close.reason;
  write_human(text);
}

void EventPrinter::local_error(std::string_view text) { write_human(std::string{text}); }

void EventPrinter::write_event(const std::string& json) {
  if (print_events_) out_.write(json.data(), static_cast<std::streamsize>(json.size())).flush();
}

void EventPrinter::write_human(const std::string& text) {
  if (quiet_) return;
  const std::string line = "tether-cat: " + text + '\n';
  out_.write(line.data(), static_cast<std::streamsize>(line.size())).flush();
}

}  // namespace tether::cat
