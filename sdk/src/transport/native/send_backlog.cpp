#include "transport/native/send_backlog.hpp"

namespace tether::transport {

Error SendBacklog::admit(std::size_t size, const std::function<Error()>& hand_over) {
  std::lock_guard lock(mutex_);
  if (auto full = check_send_room(limit_, sizes_.size(), bytes_, size)) {
    refused_ = true;
    return full;
  }
  if (auto error = hand_over()) return error;
  sizes_.push_back(size);
  bytes_ += size;
  return {};
}

void SendBacklog::reconcile(const std::function<std::size_t()>& buffered_amount) {
  std::lock_guard lock(mutex_);
  // A write takes every queued message at once, so what websocketpp still holds is the newest
  // messages: the oldest go while the others account for the amount held.
  const std::size_t held = buffered_amount();
  while (!sizes_.empty() && bytes_ - sizes_.front() >= held) {
    bytes_ -= sizes_.front();
    sizes_.pop_front();
  }
}

SendBacklog::Refusal SendBacklog::lift_refusal() {
  std::lock_guard lock(mutex_);
  if (!refused_) return Refusal::None;
  if (sizes_.size() >= limit_.max_messages || bytes_ >= limit_.max_bytes) return Refusal::Standing;
  refused_ = false;
  return Refusal::Lifted;
}

}  // namespace tether::transport
