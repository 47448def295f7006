#include "session/timeout.hpp"

namespace tether::session {

void Timeout::arm(std::weak_ptr<void> owner, std::chrono::milliseconds after,
                  std::function<void()> expired) {
  timer_.expires_after(after);
  timer_.async_wait([owner = std::move(owner), expired = std::move(expired)](std::error_code ec) {
    if (ec) return;
    if (auto alive = owner.lock()) expired();
  });
}

}  // namespace tether::session
