#include "session/transport_upgrade.hpp"

#include <utility>

#include "core/log.hpp"

namespace tether::session {

void TransportUpgrade::start(transport::TransportFactory& transports,
                             const HandshakeAttempt& attempt, control::ResumeOffer offer,
                             std::weak_ptr<LegReferee> referee) {
  cancel();
  auto native = transports.create(TransportKind::Native, attempt.url());
  transport::TransportRequest request = attempt.preemptive_request(*native);
  offered_received_ = offer.received;
  request.resume = std::move(offer);
  auto leg = std::make_shared<TransportLeg>(
      io_, std::move(native), std::move(referee), attempt.options().handshake_timeout,
      "the WebSocket handshake that moves the emulated connection to " + attempt.url_text() +
          " to the native transport");
  resuming_ = leg;
  detail::log(LogLevel::Info, "the WebSocket to " + attempt.url_text() +
                                  " gets through again: the emulated connection moves to it "
                                  "(FallbackOptions::upgrade)");
  leg->start(std::move(request));
}

std::shared_ptr<transport::Transport> TransportUpgrade::carry_on() {
  if (!resuming_) return nullptr;
  carrier_ = std::move(resuming_);
  carrier_->carry_on();
  return carrier_->transport();
}

void TransportUpgrade::cancel() {
  if (!resuming_) return;
  resuming_->discard_after_handshake();
  resuming_.reset();
}

void TransportUpgrade::abort() {
  if (resuming_) resuming_->abort();
  resuming_.reset();
  carrier_.reset();
}

}  // namespace tether::session
