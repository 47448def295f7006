#pragma once
// The background check of a connection that TransportPolicy::Auto left on the emulated transport
// (docs/emulation.md section 11, "Remembered" and "the upgrade in place"): does the native
// WebSocket get through again?

#include <asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "session/timeout.hpp"
#include "tether/fallback_memory.hpp"
#include "transport/transport.hpp"

namespace tether::session {

/// One native handshake on the connection's route and, unless FallbackOptions::probe_timeout is
/// zero, a ping that must come back within it (as OpenProbe asks of a native open), then a close
/// with 1000. A pong (or an open, without a probe) forgets the gateway in the memory and runs
/// `works`; a failure that an intermediary explains (as transport::should_fall_back() decides, or
/// no pong) remembers it for another `remember_for`; any other outcome (the gateway down, a
/// challenge, a TLS failure) leaves the memory as it is. Without a memory (remember_for zero) it
/// only tells `works`. The application never hears of it: no state, no event, no cookie stored.
/// It holds nothing of the session, so it keeps no Client alive; its owner stops it (stop(), or by
/// letting it go).
///
/// Thread-safety: I/O thread only.
class NativeProbe final : public transport::TransportListener,
                          public std::enable_shared_from_this<NativeProbe> {
 public:
  /// `memory` may be null. `works` runs on the I/O thread, at most once.
  NativeProbe(asio::io_context& io, std::shared_ptr<FallbackMemory> memory, std::string key,
              std::chrono::milliseconds remember_for, std::function<void()> works);
  ~NativeProbe();
  NativeProbe(const NativeProbe&) = delete;
  NativeProbe& operator=(const NativeProbe&) = delete;

  /// Starts the handshake of `request` over `native`, within the request's connect_timeout then
  /// handshake_timeout.
  void start(std::shared_ptr<transport::Transport> native, transport::TransportRequest request);
  /// Drops the handshake, if any, without touching the memory.
  void stop();

  // TransportListener.
  void on_transport_connected() override;
  void on_transport_open(const transport::OpenInfo& info) override;
  void on_transport_message(const Message&) override {}
  void on_transport_pong(std::string_view) override;
  void on_transport_control(const control::ControlMessage&) override {}
  void on_transport_failed(const Error& error,
                           const transport::HandshakeResponse& response) override;
  void on_transport_closed(const CloseInfo& close) override;
  void on_transport_cookies(const std::vector<std::string>&) override {}
  void on_transport_writable() override {}

 private:
  void passed();
  void still_fails(const Error& error);

  const std::shared_ptr<FallbackMemory> memory_;
  const std::string key_;
  const std::chrono::milliseconds remember_for_;
  const std::function<void()> works_;
  Timeout deadline_;
  std::shared_ptr<transport::Transport> transport_;  // while the handshake runs
  std::chrono::milliseconds handshake_timeout_{0};
  std::chrono::milliseconds probe_timeout_{0};
  bool pinged_ = false;  // open, and waiting for the pong
  bool secure_ = false;
  std::string url_text_;
};

}  // namespace tether::session
