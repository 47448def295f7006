// The session's part in TransportPolicy::Auto's race and probe (docs/emulation.md section 11):
// what it decides when the emulated leg racing the upgrade opens or fails, and when a native
// WebSocket answers its probe. The race's mechanics are in transport_race.*, the probe's in
// open_probe.*; a leg's outcome that is the upgrade in place's goes to session_upgrade.cpp.
#include <variant>

#include "core/log.hpp"
#include "session/session.hpp"

namespace tether::session {

/// The native upgrade has been unanswered for race_delay: the emulated create starts beside it.
void Session::start_race() {
  if (attempting()) race_.start(*transports_, *attempt_, weak_from_this());
}

bool Session::carry_on_with_race_leg() {
  auto emulated = race_.carry_on();
  if (!emulated) return false;
  attempt_->carried_on_by(*emulated);
  {
    std::lock_guard lock(mutex_);
    transport_ = emulated;
    kind_ = emulated->kind();
  }
  // Fresh timers, as for any fallback.
  if (race_.carrier_connected()) {
    arm_handshake_timeout();
  } else {
    arm_connect_timeout(attempt_->url());
  }
  return true;
}

void Session::on_leg_open(const TransportLeg& leg, const transport::OpenInfo& info) {
  if (upgrade_.runs(leg)) {
    on_upgrade_open(info);
  } else {
    on_race_leg_open(info);
  }
}

void Session::on_leg_failed(const TransportLeg& leg, const Error& error,
                            const transport::HandshakeResponse& response) {
  if (upgrade_.runs(leg)) {
    on_upgrade_failed(error, response);
  } else {
    on_race_leg_failed(error, response);
  }
}

void Session::on_race_leg_open(const transport::OpenInfo& info) {
  const std::string native_state =
      probe_.running() ? "had not answered its probe ping" : "had not answered the upgrade";
  fall_back({ErrorCode::HandshakeTimeout,
             "the WebSocket to " + attempt_->url_text() + " " + native_state +
                 " when the emulated connection started beside it opened"});
  on_transport_open(info);
}

void Session::on_race_leg_failed(const Error& error, const transport::HandshakeResponse& response) {
  if (HandshakeAttempt::is_challenge(response)) {
    // The gateway answers over HTTP while the upgrade still hangs: the emulation carries on,
    // and the answer it gets serves every later request.
    fall_back({ErrorCode::HandshakeTimeout,
               "the WebSocket upgrade to " + attempt_->url_text() +
                   " was unanswered when the gateway challenged the emulated create beside it"});
    on_transport_failed(error, response);
    return;
  }
  race_.cancel();
  detail::log(LogLevel::Info, "the emulated create beside the WebSocket upgrade to " +
                                  attempt_->url_text() + " failed (" + error.message +
                                  "); the upgrade goes on alone");
}

/// The native WebSocket answered its probe: it carries the connection, and what came meanwhile
/// is delivered after Open, in order.
void Session::probe_passed() {
  OpenProbe::Passed passed = probe_.pass();
  race_.cancel();
  enter_open(passed.info);
  for (const OpenProbe::Held& held : passed.held) {
    if (const auto* message = std::get_if<OpenProbe::HeldMessage>(&held)) {
      on_transport_message({message->kind, message->data});
    } else {
      on_transport_control(std::get<control::ControlMessage>(held));
    }
  }
}

}  // namespace tether::session
