// The session's part in the upgrade in place (docs/emulation.md section 11): when it starts the
// native handshake that resumes an emulated connection's session, and how the connection moves
// to it, or stays. The handshake's mechanics are in transport_upgrade.* and transport_leg.*.
#include <utility>

#include "core/log.hpp"
#include "session/connect_request.hpp"
#include "session/session.hpp"

namespace tether::session {

/// The NativeProbe found that the native WebSocket gets through again. A connection that can
/// resume its session moves to it by a planned resume (FallbackOptions::upgrade); any other
/// stays emulated, and the next connect() goes native.
void Session::start_upgrade() {
  const bool resumable = resume_on_ && !resume_token_.empty();
  if (machine_.state() != State::Open || !attempt_->options().fallback.upgrade || !resumable ||
      upgrade_.running() || attempt_->transport_kind() != TransportKind::Emulated) {
    return;
  }
  upgrade_.start(*transports_, *attempt_, control::ResumeOffer{resume_token_, acks_.received()},
                 weak_from_this());
}

/// The upgrade's handshake opened. When the gateway resumed the session over it, the gateway has
/// dropped the emulated connection and replays from the offer's count: the native transport
/// carries the connection, the stream sends again what the gateway had not received, and the
/// replay's messages the emulated transport delivered meanwhile are skipped.
void Session::on_upgrade_open(const transport::OpenInfo& info) {
  attempt_->store_cookies(info.set_cookies);
  // close() was called meanwhile: its task, queued behind this event, closes the handshake's
  // connection and with it the session it may have resumed; the transport stays as it was.
  if (machine_.state() == State::Closing) return;
  const bool resumed = info.control_channel && info.control_channel->resume &&
                       info.control_channel->resumed_received;
  Error refused =
      check_selected_subprotocol(attempt_->options(), attempt_->url_text(), info.subprotocol);
  if (!refused && info.subprotocol != subprotocol()) {
    refused = {ErrorCode::SubprotocolMismatch,
               "the WebSocket selected the subprotocol '" + info.subprotocol +
                   "', the emulated connection '" + subprotocol() + "'"};
  }
  if (!resumed && !refused) {
    refused = {ErrorCode::HandshakeRejected,
               "the gateway did not resume the session over the WebSocket (a new session, or no "
               "resume)"};
  }
  if (refused) {
    if (resumed) {
      // The session moved to it on the gateway: dropped, it waits there for the reconnect that
      // the emulated connection's end (dropped by the gateway) brings.
      upgrade_.abort();
    } else {
      upgrade_.cancel();  // its new session, if any, is closed on the gateway
    }
    detail::log(LogLevel::Info, "the connection to " + attempt_->url_text() +
                                    " stays emulated: " + refused.message);
    after_upgrade();
    return;
  }
  const std::uint64_t delivered_meanwhile = acks_.received() - upgrade_.offered_received();
  const std::shared_ptr<transport::Transport> native = upgrade_.carry_on();
  std::shared_ptr<transport::Transport> emulated;
  {
    std::lock_guard lock(mutex_);
    emulated = std::exchange(transport_, native);
    kind_ = TransportKind::Native;
    tls_ = info.tls;
  }
  // Outside the lock, like every call into a transport. The gateway has dropped its end.
  if (emulated) emulated->abort();
  race_.reset();  // a race leg that carried the emulated connection has nothing more to forward
  held_close_.reset();
  attempt_->upgraded();
  replayed_to_skip_ = delivered_meanwhile;
  StreamResumption resumption;
  if (Error error =
          stream_.attach(native, true, info.control_channel->resumed_received, resumption)) {
    finish_attempt(error);
    return;
  }
  heartbeat_.stop();  // a ping in flight went over the emulated transport
  start_heartbeat();
  report_transport(
      {ErrorCode::None, "the WebSocket to " + attempt_->url_text() +
                            " gets through again: the connection moved to it without a reconnect "
                            "(FallbackOptions::upgrade)"});
  send_ack();  // what the emulated transport delivered after the offer
  report_writable();
}

void Session::on_upgrade_failed(const Error& error, const transport::HandshakeResponse& response) {
  upgrade_.cancel();
  attempt_->store_cookies(response.set_cookies);
  attempt_->native_still_fails(error, response);
  detail::log(LogLevel::Info, "the connection to " + attempt_->url_text() +
                                  " stays emulated: moving it to the WebSocket failed (" +
                                  error.message + ")");
  after_upgrade();
}

void Session::after_upgrade() {
  // close() was called meanwhile: its task, queued behind this event, ends the connection with
  // the application's close, whatever ended the emulated one.
  if (machine_.state() == State::Closing) return;
  if (auto held = std::exchange(held_close_, std::nullopt)) {
    on_transport_closed(*held);  // the emulated connection had ended meanwhile
    return;
  }
  send_ack();
}

}  // namespace tether::session
