#include "transport/emulated/upstream_queue.hpp"

namespace tether::transport::emulated {
namespace {

bool carries_message(const std::string& frame) {
  const auto type = static_cast<FrameType>(frame[0]);
  return type == FrameType::Text || type == FrameType::Binary;
}

}  // namespace

void UpstreamQueue::set_limit(SendQueueLimit limit) {
  std::lock_guard lock(mutex_);
  limit_ = limit;
}

Error UpstreamQueue::push_message(MessageKind kind, std::string_view payload, bool& drain,
                                  std::uint64_t* number) {
  {
    // Checked before the frame is built: a full queue costs the caller no copy.
    std::lock_guard lock(mutex_);
    if (close_queued_) return {ErrorCode::InvalidState, "the connection is closing"};
    if (auto full = check_send_room(limit_, queued_messages_, queued_bytes_, payload.size())) {
      refused_ = true;
      return full;
    }
  }
  std::string frame;
  append_frame(frame, kind == MessageKind::Text ? FrameType::Text : FrameType::Binary, 0, payload);
  std::lock_guard lock(mutex_);
  if (close_queued_) return {ErrorCode::InvalidState, "the connection is closing"};
  // Checked again: another thread may have queued meanwhile.
  if (auto full = check_send_room(limit_, queued_messages_, queued_bytes_, payload.size())) {
    refused_ = true;
    return full;
  }
  ++queued_messages_;
  queued_bytes_ += payload.size();
  ++last_message_number_;
  if (number != nullptr) *number = last_message_number_;
  push_sequenced_locked(std::move(frame), drain);
  return {};
}

Error UpstreamQueue::push_control_message(std::string_view body, bool& drain) {
  std::string frame;
  append_frame(frame, FrameType::Control, 0, body);
  std::lock_guard lock(mutex_);
  if (close_queued_) return {ErrorCode::InvalidState, "the connection is closing"};
  push_sequenced_locked(std::move(frame), drain);
  return {};
}

bool UpstreamQueue::push_close(std::uint16_t code, std::string_view reason, bool& drain) {
  std::string frame;
  append_frame(frame, FrameType::Close, 0, encode_close_payload(code, reason));
  std::lock_guard lock(mutex_);
  if (close_queued_) return false;
  close_queued_ = true;
  push_sequenced_locked(std::move(frame), drain);
  return true;
}

void UpstreamQueue::push_unsequenced(FrameType type, std::string_view payload, bool& drain) {
  std::string frame;
  append_frame(frame, type, 0, payload);
  std::lock_guard lock(mutex_);
  if (close_queued_) return;
  push_locked(std::move(frame), drain);
}

std::string UpstreamQueue::take_batch(std::size_t limit) {
  std::lock_guard lock(mutex_);
  drain_owed_ = false;
  if (frames_.empty()) return {};
  std::string batch = take_front_locked();
  while (!frames_.empty() && batch.size() + frames_.front().size() <= limit) {
    batch += take_front_locked();
  }
  return batch;
}

bool UpstreamQueue::close_queued() const {
  std::lock_guard lock(mutex_);
  return close_queued_;
}

bool UpstreamQueue::lift_refusal() {
  std::lock_guard lock(mutex_);
  if (!refused_ || queued_messages_ >= limit_.max_messages || queued_bytes_ >= limit_.max_bytes) {
    return false;
  }
  refused_ = false;
  return true;
}

std::string UpstreamQueue::take_front_locked() {
  std::string frame = std::move(frames_.front());
  frames_.pop_front();
  if (carries_message(frame)) {
    --queued_messages_;
    queued_bytes_ -= frame.size() - frame_header_size;
  }
  return frame;
}

void UpstreamQueue::push_sequenced_locked(std::string frame, bool& drain) {
  const std::uint64_t sequence = ++last_sequence_;
  for (std::size_t i = 0; i < 8; ++i) {
    frame[1 + i] = static_cast<char>((sequence >> (8 * (7 - i))) & 0xFF);
  }
  push_locked(std::move(frame), drain);
}

void UpstreamQueue::push_locked(std::string frame, bool& drain) {
  frames_.push_back(std::move(frame));
  drain = !drain_owed_;
  drain_owed_ = true;
}

}  // namespace tether::transport::emulated
