#include "session/heartbeat.hpp"

namespace tether::session {

void Heartbeat::start(std::weak_ptr<void> owner, std::chrono::milliseconds interval,
                      std::chrono::milliseconds pong_timeout, std::string peer, SendPing send_ping,
                      PongLate pong_late) {
  owner_ = std::move(owner);
  interval_ = interval;
  pong_timeout_ = pong_timeout;
  peer_ = std::move(peer);
  send_ping_ = std::move(send_ping);
  pong_late_ = std::move(pong_late);
  awaiting_pong_ = false;
  schedule_ping();
}

void Heartbeat::on_pong() {
  awaiting_pong_ = false;
  pong_timer_.cancel();
}

void Heartbeat::stop() {
  awaiting_pong_ = false;
  ping_timer_.cancel();
  pong_timer_.cancel();
}

void Heartbeat::schedule_ping() {
  if (interval_.count() == 0) return;
  ping_timer_.arm(owner_, interval_, [this] { ping(); });
}

void Heartbeat::ping() {
  if (!send_ping_()) return;
  if (!awaiting_pong_) {
    awaiting_pong_ = true;
    pong_timer_.arm(
        owner_, pong_timeout_,
        [this, error = Error{
                   ErrorCode::PeerUnresponsive,
                   "no pong from " + peer_ + " within " + std::to_string(pong_timeout_.count()) +
                       " ms: the peer stopped answering without closing"}] { pong_late_(error); });
  }
  schedule_ping();
}

}  // namespace tether::session
