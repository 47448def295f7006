#include "resume/resumable_session.hpp"

#include <boost/asio/post.hpp>
#include <chrono>
#include <utility>
#include <variant>

#include "droppable_connections.hpp"
#include "resume/resumable_sessions.hpp"

namespace tether::gateway {
namespace {

// docs/control-channel.md section 5.5: when a receiver acknowledges.
constexpr std::uint64_t ack_after_messages = 64;
constexpr std::uint64_t ack_after_bytes = 1024 * 1024;
constexpr auto ack_at_the_latest = std::chrono::milliseconds(250);

constexpr std::uint16_t close_protocol_error = 1002;
// The session kept more than its bound for a client that does not acknowledge: the client broke
// the gateway's policy (as emulated sessions over their buffer, docs/gateway.md "Emulation").
constexpr std::uint16_t close_policy_violation = 1008;
// A connection that came for a session which ended before it opened (its window passed, its
// service closed it).
constexpr std::uint16_t close_going_away = 1001;

std::size_t size_of(const WebSocketMessage& message) { return message.payload->size(); }

}  // namespace

ResumableSession::ResumableSession(ResumeBinding binding, Service& service,
                                   ResumableSessions& sessions, const ResumeConfig& config,
                                   GatewayStats& stats, boost::asio::io_context& io)
    : binding_(std::move(binding)),
      service_(service),
      sessions_(sessions),
      config_(config),
      stats_(stats),
      window_timer_(io),
      ack_timer_(io) {}

void ResumableSession::start() { wait_for_resume(); }

std::optional<std::uint64_t> ResumableSession::resume(std::uint64_t client_received) {
  if (ended_ || closing_ || client_received < acknowledged_ || client_received > sent_) {
    return std::nullopt;
  }
  acknowledge(client_received);
  // A resume is how the client says that the connection it left is gone: it must not carry
  // anything more of the session, nor end it.
  if (auto old = transport()) {
    transport_.reset();
    transport_address_ = nullptr;
    // Both transports' connections are Droppable: a drop ends it without a close, which its
    // client would take for the end of the session.
    if (auto droppable = std::dynamic_pointer_cast<Droppable>(old)) droppable->drop();
  }
  wait_for_resume();  // the new connection gets a whole window to open
  return received_;
}

void ResumableSession::on_open(const std::shared_ptr<Connection>& transport) {
  // The session ended, or is ending, while the connection's handshake ran.
  if (ended_ || closing_) {
    transport->close(close_going_away);
    return;
  }
  window_timer_.cancel();
  transport_ = transport;
  transport_address_ = transport.get();
  received_since_ack_ = 0;
  bytes_since_ack_ = 0;
  transport->send_control(control::ResumeToken{static_cast<std::uint32_t>(config_.window.count()),
                                               sessions_.issue_token(shared_from_this())});
  // Everything kept is what the client has not received: a new session keeps nothing yet, a
  // resumed one what followed the client's count.
  for (const auto& message : unacknowledged_) transport->send(message);
  stats_.messages_replayed += unacknowledged_.size();
  if (opened_) return;
  opened_ = true;
  identity_ = transport->identity();
  service_.on_open(shared_from_this());
}

void ResumableSession::on_message(Connection& transport, WebSocketMessage message) {
  if (&transport != transport_address_ || ended_) return;
  ++received_;
  note_received(size_of(message));
  service_.on_message(*this, std::move(message));
}

void ResumableSession::on_control(Connection& transport, const control::ControlMessage& message) {
  if (&transport != transport_address_ || ended_) return;
  if (const auto* ack = std::get_if<control::Ack>(&message)) {
    ++stats_.acks_received;
    acknowledge(ack->received);
    return;
  }
  // RESUME_TOKEN goes from the gateway only: the client's means nothing.
  if (std::holds_alternative<control::ResumeToken>(message)) return;
  service_.on_control(*this, message);
}

void ResumableSession::on_close(Connection& transport) {
  if (&transport != transport_address_) return;  // one a resume left, or a stranger
  transport_.reset();
  transport_address_ = nullptr;
  ack_timer_.cancel();
  ack_timer_armed_ = false;
  if (closing_ || transport.closed_cleanly()) {
    closing_ = true;
    end();
  } else {
    wait_for_resume();
  }
}

void ResumableSession::send(WebSocketMessage message) {
  if (ended_ || closing_) return;
  const auto bytes = size_of(message);
  if (unacknowledged_.size() + 1 > config_.max_unacknowledged_messages ||
      unacknowledged_bytes_ + bytes > config_.max_unacknowledged_bytes) {
    ++stats_.resume_sessions_over_buffer;
    close(close_policy_violation);
    return;
  }
  ++sent_;
  unacknowledged_.push_back(message);
  unacknowledged_bytes_ += bytes;
  ++stats_.resume_unacknowledged_messages;
  stats_.resume_unacknowledged_bytes += bytes;
  if (auto current = transport()) current->send(std::move(message));
}

void ResumableSession::close(std::uint16_t close_code) {
  if (ended_ || closing_) return;
  closing_ = true;
  sessions_.void_token(*this);
  if (auto current = transport()) {
    current->close(close_code);  // the session ends with it
    return;
  }
  // Ended once the service's call returns: a publisher may be going through its connections.
  boost::asio::post(window_timer_.get_executor(), [self = shared_from_this()] { self->end(); });
}

void ResumableSession::send_control(const control::ControlMessage& message) {
  if (ended_ || closing_) return;
  if (auto current = transport()) current->send_control(message);
}

// Section 5.5: an ACK below an earlier one, or above what was sent, is a protocol error.
void ResumableSession::acknowledge(std::uint64_t client_received) {
  if (client_received < acknowledged_ || client_received > sent_) {
    close(close_protocol_error);
    return;
  }
  for (; acknowledged_ < client_received; ++acknowledged_) {
    const auto bytes = size_of(unacknowledged_.front());
    unacknowledged_bytes_ -= bytes;
    --stats_.resume_unacknowledged_messages;
    stats_.resume_unacknowledged_bytes -= bytes;
    unacknowledged_.pop_front();
  }
}

void ResumableSession::note_received(std::size_t bytes) {
  ++received_since_ack_;
  bytes_since_ack_ += bytes;
  if (received_since_ack_ >= ack_after_messages || bytes_since_ack_ >= ack_after_bytes) {
    send_ack();
    return;
  }
  if (ack_timer_armed_) return;
  ack_timer_armed_ = true;
  ack_timer_.expires_after(ack_at_the_latest);
  ack_timer_.async_wait([weak = weak_from_this()](boost::system::error_code error) {
    if (error) return;  // sent earlier, or the transport went
    if (auto self = weak.lock()) self->send_ack();
  });
}

void ResumableSession::send_ack() {
  if (ack_timer_armed_) ack_timer_.cancel();
  ack_timer_armed_ = false;
  received_since_ack_ = 0;
  bytes_since_ack_ = 0;
  auto current = transport();
  if (!current) return;
  current->send_control(control::Ack{received_});
  ++stats_.acks_sent;
}

void ResumableSession::wait_for_resume() {
  window_timer_.expires_after(config_.window);
  window_timer_.async_wait([weak = weak_from_this()](boost::system::error_code error) {
    if (error) return;  // a transport connection opened, or the session ended
    if (auto self = weak.lock()) self->end();
  });
}

void ResumableSession::end() {
  if (ended_) return;
  ended_ = true;
  const auto self = shared_from_this();  // forget() releases the registry's reference
  window_timer_.cancel();
  ack_timer_.cancel();
  stats_.resume_unacknowledged_messages -= unacknowledged_.size();
  stats_.resume_unacknowledged_bytes -= unacknowledged_bytes_;
  unacknowledged_.clear();
  unacknowledged_bytes_ = 0;
  --stats_.resumable_sessions_open;
  if (opened_) service_.on_close(*this);
  sessions_.forget(*this);
}

}  // namespace tether::gateway
