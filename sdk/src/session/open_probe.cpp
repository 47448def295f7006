#include "session/open_probe.hpp"

#include <utility>

namespace tether::session {

bool OpenProbe::wanted(TransportKind kind, const ConnectOptions& options) noexcept {
  return kind == TransportKind::Native && options.transport == TransportPolicy::Auto &&
         options.fallback.probe_timeout.count() > 0;
}

void OpenProbe::start(std::weak_ptr<void> owner, transport::Transport& transport,
                      transport::OpenInfo info, const ConnectOptions& options,
                      const std::string& url_text, Silent silent) {
  const auto timeout = options.fallback.probe_timeout;
  const Error unanswered{ErrorCode::PeerUnresponsive,
                         "the WebSocket to " + url_text +
                             " opened but its probe ping got no pong within " +
                             std::to_string(timeout.count()) +
                             " ms (FallbackOptions::probe_timeout): something between client and "
                             "gateway holds its frames"};
  info_ = std::move(info);
  held_.clear();
  running_ = true;
  if (auto refused = transport.ping({})) {
    running_ = false;
    silent({ErrorCode::PeerUnresponsive,
            "the WebSocket to " + url_text +
                " opened but its probe ping could not be sent: " + refused.message});
    return;
  }
  deadline_.arm(std::move(owner), timeout, [this, unanswered, silent = std::move(silent)] {
    running_ = false;
    held_.clear();
    silent(unanswered);
  });
}

void OpenProbe::hold(const Message& message) {
  held_.emplace_back(HeldMessage{message.kind, std::string(message.data)});
}

void OpenProbe::hold(const control::ControlMessage& message) { held_.emplace_back(message); }

OpenProbe::Passed OpenProbe::pass() {
  deadline_.cancel();
  running_ = false;
  Passed passed{std::move(info_), std::move(held_)};
  held_.clear();
  return passed;
}

void OpenProbe::cancel() {
  deadline_.cancel();
  running_ = false;
  held_.clear();
}

}  // namespace tether::session
