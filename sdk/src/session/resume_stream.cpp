#include "session/resume_stream.hpp"

#include <utility>

namespace tether::session {

void ResumeStream::reset(transport::SendQueueLimit limit) {
  std::lock_guard lock(mutex_);
  limit_ = limit;
  kept_.clear();
  kept_bytes_ = 0;
  handed_ = 0;
  last_number_ = last_handed_ = acked_ = session_base_ = 0;
  transport_.reset();
  resume_on_ = false;
  refused_ = false;
}

Error ResumeStream::send(MessageKind kind, std::string_view payload, std::uint64_t* number) {
  std::lock_guard lock(mutex_);
  if (Error full = transport::check_send_room(limit_, kept_.size(), kept_bytes_, payload.size())) {
    refused_ = true;
    return full;
  }
  const std::uint64_t assigned = last_number_ + 1;
  bool handed = false;
  if (transport_ && handed_ == kept_.size()) {
    Error error = transport_->send(kind, payload, nullptr);
    if (error.code == ErrorCode::WouldBlock) refused_ = true;
    // InvalidState: the connection is ending; the message waits for the next one.
    if (error && error.code != ErrorCode::InvalidState) return error;
    handed = !error;
  }
  if (handed) last_handed_ = assigned;
  // Kept while it waits, and until acknowledged when the gateway acknowledges.
  if (!handed || resume_on_) {
    kept_.push_back({assigned, kind, std::string(payload)});
    kept_bytes_ += payload.size();
    if (handed) ++handed_;
  }
  last_number_ = assigned;
  if (number) *number = assigned;
  return {};
}

Error ResumeStream::attach(std::shared_ptr<transport::Transport> transport, bool resume_on,
                           std::optional<std::uint64_t> peer_received,
                           StreamResumption& resumption) {
  std::lock_guard lock(mutex_);
  resumption = {};
  if (peer_received) {
    const std::uint64_t acknowledged = session_base_ + *peer_received;
    if (acknowledged > last_handed_ || acknowledged < acked_) {
      return {ErrorCode::ProtocolError,
              "the gateway resumed the session having received " + std::to_string(*peer_received) +
                  " messages, but " + std::to_string(last_handed_ - session_base_) +
                  " were sent and " + std::to_string(acked_ - session_base_) +
                  " acknowledged (docs/control-channel.md section 5.5)"};
    }
    acked_ = acknowledged;
    while (!kept_.empty() && kept_.front().number <= acked_) pop_front_locked();
    resumption.resumed = true;
  } else {
    // A new session: what went out on the old one and was never acknowledged may be lost; it
    // is not sent again, and the new session numbers from the first message that waits.
    if (last_handed_ > acked_) {
      resumption.first_unconfirmed = acked_ + 1;
      resumption.last_unconfirmed = last_handed_;
    }
    while (!kept_.empty() && kept_.front().number <= last_handed_) pop_front_locked();
    session_base_ = acked_ = last_handed_;
  }
  handed_ = 0;
  transport_ = std::move(transport);
  resume_on_ = resume_on;
  hand_over_locked();
  return {};
}

void ResumeStream::detach() {
  std::lock_guard lock(mutex_);
  transport_.reset();
  handed_ = 0;
}

void ResumeStream::flush() {
  std::lock_guard lock(mutex_);
  hand_over_locked();
}

Error ResumeStream::acknowledge(std::uint64_t received) {
  std::lock_guard lock(mutex_);
  const std::uint64_t acknowledged = session_base_ + received;
  if (acknowledged > last_handed_ || acknowledged < acked_) {
    return {ErrorCode::ProtocolError,
            "the gateway acknowledged " + std::to_string(received) + " messages, but " +
                std::to_string(last_handed_ - session_base_) + " were sent and " +
                std::to_string(acked_ - session_base_) +
                " acknowledged before (docs/control-channel.md section 5.5)"};
  }
  acked_ = acknowledged;
  while (!kept_.empty() && kept_.front().number <= acked_) pop_front_locked();
  return {};
}

bool ResumeStream::take_writable() {
  std::lock_guard lock(mutex_);
  if (!refused_ || !has_room_locked()) return false;
  refused_ = false;
  return true;
}

std::uint64_t ResumeStream::stream_number(std::uint64_t gateway_number) const {
  std::lock_guard lock(mutex_);
  return gateway_number == 0 ? 0 : session_base_ + gateway_number;
}

void ResumeStream::hand_over_locked() {
  while (transport_ && handed_ < kept_.size()) {
    const Kept& next = kept_[handed_];
    const Error error = transport_->send(next.kind, next.payload, nullptr);
    if (error) return;  // WouldBlock: flush() goes on; InvalidState: the connection is ending
    if (next.number > last_handed_) last_handed_ = next.number;
    if (resume_on_) {
      ++handed_;
    } else {
      pop_front_locked();  // nobody will acknowledge it: nothing to keep it for
    }
  }
}

void ResumeStream::pop_front_locked() {
  kept_bytes_ -= kept_.front().payload.size();
  kept_.pop_front();
  if (handed_ > 0) --handed_;
}

bool ResumeStream::has_room_locked() const {
  return !transport::check_send_room(limit_, kept_.size(), kept_bytes_, 0);
}

}  // namespace tether::session
