#include "session/transport_race.hpp"

#include <asio/post.hpp>
#include <utility>

#include "core/log.hpp"

namespace tether::session {

void TransportRace::arm(const HandshakeAttempt& attempt, std::weak_ptr<void> owner,
                        std::function<void()> start) {
  const auto delay = attempt.options().fallback.race_delay;
  if (attempt.transport_kind() != TransportKind::Native ||
      attempt.options().transport != TransportPolicy::Auto || delay.count() <= 0) {
    return;
  }
  delay_.arm(std::move(owner), delay, std::move(start));
}

void TransportRace::start(transport::TransportFactory& transports, const HandshakeAttempt& attempt,
                          std::weak_ptr<LegReferee> referee) {
  cancel();
  auto transport = transports.create(TransportKind::Emulated, attempt.url());
  transport::TransportRequest request = attempt.preemptive_request(*transport);
  auto leg = std::make_shared<TransportLeg>(
      io_, std::move(transport), std::move(referee), attempt.options().handshake_timeout,
      "the emulated connection's create request for " + attempt.url_text() +
          " (started beside the unanswered WebSocket upgrade)");
  racing_ = leg;
  detail::log(LogLevel::Info, "the WebSocket upgrade to " + attempt.url_text() +
                                  " is unanswered after " +
                                  std::to_string(attempt.options().fallback.race_delay.count()) +
                                  " ms (FallbackOptions::race_delay); the HTTP emulation of "
                                  "WebSocket starts beside it");
  leg->start(std::move(request));
}

std::shared_ptr<transport::Transport> TransportRace::carry_on() {
  if (!racing_) return nullptr;
  carrier_ = std::move(racing_);
  carrier_->carry_on();
  return carrier_->transport();
}

void TransportRace::cancel() {
  delay_.cancel();
  if (!racing_) return;
  racing_->discard();
  racing_.reset();
}

void TransportRace::reset() {
  cancel();
  carrier_.reset();
}

void TransportRace::abort() {
  delay_.cancel();
  if (racing_) racing_->abort();
  racing_.reset();
  carrier_.reset();
}

}  // namespace tether::session
