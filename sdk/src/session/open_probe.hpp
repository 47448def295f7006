#pragma once
// The round trip a native WebSocket must make before the application sees Open under
// TransportPolicy::Auto: an intermediary that answered 101 and then holds every frame (a
// buffering proxy, an antivirus) is found out here, while falling back is still invisible
// (docs/emulation.md section 11).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "control/control_message.hpp"
#include "session/timeout.hpp"
#include "tether/error.hpp"
#include "tether/message.hpp"
#include "tether/options.hpp"
#include "transport/transport.hpp"

namespace tether::session {

/// One probe: a ping sent over a transport that has just opened, and its deadline. What the
/// transport reports meanwhile is held, so that the application gets it after Open, in order.
///
/// Thread-safety: I/O thread only.
class OpenProbe {
 public:
  /// An application message that came during the probe, owning its payload.
  struct HeldMessage {
    MessageKind kind = MessageKind::Text;
    std::string data;
  };
  using Held = std::variant<HeldMessage, control::ControlMessage>;
  /// What the probe held back, once the pong came.
  struct Passed {
    transport::OpenInfo info;
    std::vector<Held> held;
  };
  /// No pong in time, or no ping could be sent: the error names the WebSocket URL and the wait.
  using Silent = std::function<void(const Error& error)>;

  explicit OpenProbe(asio::io_context& io) : deadline_(io) {}

  /// Whether an open over `kind` with `options` is probed: a native one under
  /// TransportPolicy::Auto, unless FallbackOptions::probe_timeout is zero.
  static bool wanted(TransportKind kind, const ConnectOptions& options) noexcept;

  /// Pings over `transport`, which has just opened with `info`, and holds `info` until the pong;
  /// `silent` runs, while `owner` lives, when the pong has not come within
  /// `options.fallback.probe_timeout` or the ping could not be sent. `url_text` names the
  /// WebSocket in the error.
  void start(std::weak_ptr<void> owner, transport::Transport& transport, transport::OpenInfo info,
             const ConnectOptions& options, const std::string& url_text, Silent silent);
  bool running() const noexcept { return running_; }
  /// Keeps what came before the pong.
  void hold(const Message& message);
  void hold(const control::ControlMessage& message);
  /// The pong came: the probe ends and hands back what it held.
  Passed pass();
  /// Ends the probe, dropping what it held (the transport is let go).
  void cancel();

 private:
  Timeout deadline_;
  bool running_ = false;
  transport::OpenInfo info_;
  std::vector<Held> held_;
};

}  // namespace tether::session
