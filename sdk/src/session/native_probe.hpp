#pragma once
// The background check of a connection that went straight to the emulated transport because
// FallbackMemory remembered its gateway (docs/emulation.md section 11, "Remembered"): does the
// native WebSocket get through again?

#include <asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "session/timeout.hpp"
#include "tether/fallback_memory.hpp"
#include "transport/transport.hpp"

namespace tether::session {

/// One native handshake on the connection's route, closed with 1000 as soon as it opens. An
/// open forgets the gateway in the memory; a failure that an intermediary explains (as
/// transport::should_fall_back() decides) remembers it for another `remember_for`; any other
/// outcome (the gateway down, a challenge, a TLS failure) leaves the memory as it is. The
/// application never hears of it: no state, no event, no cookie stored. It holds nothing of the
/// session, so it keeps no Client alive; its owner stops it (stop(), or by letting it go).
///
/// Thread-safety: I/O thread only.
class NativeProbe final : public transport::TransportListener,
                          public std::enable_shared_from_this<NativeProbe> {
 public:
  NativeProbe(asio::io_context& io, std::shared_ptr<FallbackMemory> memory, std::string key,
              std::chrono::milliseconds remember_for);
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
  void on_transport_pong(std::string_view) override {}
  void on_transport_control(const control::ControlMessage&) override {}
  void on_transport_failed(const Error& error,
                           const transport::HandshakeResponse& response) override;
  void on_transport_closed(const CloseInfo&) override { stop(); }
  void on_transport_cookies(const std::vector<std::string>&) override {}
  void on_transport_writable() override {}

 private:
  const std::shared_ptr<FallbackMemory> memory_;
  const std::string key_;
  const std::chrono::milliseconds remember_for_;
  Timeout deadline_;
  std::shared_ptr<transport::Transport> transport_;  // while the handshake runs
  std::chrono::milliseconds handshake_timeout_{0};
  bool secure_ = false;
  std::string url_text_;
};

}  // namespace tether::session
