#include "session/native_probe.hpp"

#include "core/log.hpp"
#include "transport/fallback_policy.hpp"

namespace tether::session {

NativeProbe::NativeProbe(asio::io_context& io, std::shared_ptr<FallbackMemory> memory,
                         std::string key, std::chrono::milliseconds remember_for,
                         std::function<void()> works)
    : memory_(std::move(memory)),
      key_(std::move(key)),
      remember_for_(remember_for),
      works_(std::move(works)),
      deadline_(io) {}

NativeProbe::~NativeProbe() { stop(); }

void NativeProbe::start(std::shared_ptr<transport::Transport> native,
                        transport::TransportRequest request) {
  transport_ = std::move(native);
  handshake_timeout_ = request.options.handshake_timeout;
  probe_timeout_ = request.options.fallback.probe_timeout;
  secure_ = request.url.is_secure();
  url_text_ = request.url.for_messages();
  // A TCP connection that does not come up says nothing about intermediaries: nothing learnt.
  deadline_.arm(weak_from_this(), request.options.connect_timeout, [this] { stop(); });
  transport_->start(std::move(request), weak_from_this());
}

void NativeProbe::stop() {
  deadline_.cancel();
  pinged_ = false;
  if (auto transport = std::move(transport_)) transport->abort();
}

void NativeProbe::on_transport_connected() {
  deadline_.arm(weak_from_this(), handshake_timeout_, [this] {
    still_fails({ErrorCode::HandshakeTimeout, "the WebSocket handshake took more than " +
                                                  std::to_string(handshake_timeout_.count()) +
                                                  " ms"});
  });
}

void NativeProbe::on_transport_open(const transport::OpenInfo&) {
  if (probe_timeout_.count() <= 0) {
    passed();
    return;
  }
  // As OpenProbe asks of a native open: an intermediary that answered 101 and then holds frames
  // has not let the WebSocket through.
  if (Error refused = transport_->ping({})) {
    still_fails(
        {ErrorCode::PeerUnresponsive, "its probe ping could not be sent: " + refused.message});
    return;
  }
  pinged_ = true;
  deadline_.arm(weak_from_this(), probe_timeout_, [this] {
    still_fails({ErrorCode::PeerUnresponsive, "its probe ping got no pong within " +
                                                  std::to_string(probe_timeout_.count()) +
                                                  " ms (FallbackOptions::probe_timeout)"});
  });
}

void NativeProbe::on_transport_pong(std::string_view) {
  if (pinged_) passed();
}

void NativeProbe::on_transport_closed(const CloseInfo& close) {
  if (!pinged_) {
    stop();
    return;
  }
  still_fails({ErrorCode::ConnectionLost,
               "it closed before its probe ping came back" +
                   (close.error ? " (" + close.error.message + ")" : std::string())});
}

void NativeProbe::on_transport_failed(const Error& error,
                                      const transport::HandshakeResponse& response) {
  if (transport::should_fall_back(error, response, secure_)) {
    still_fails(error);
    return;
  }
  detail::log(LogLevel::Debug, "the background WebSocket handshake with " + url_text_ +
                                   " failed (" + error.message + "); the memory is unchanged");
  stop();
}

void NativeProbe::passed() {
  deadline_.cancel();
  pinged_ = false;
  if (memory_) memory_->forget(key_);
  detail::log(LogLevel::Info, "the WebSocket connection to " + url_text_ +
                                  " works again: the next connect() tries it first");
  // The transport keeps itself alive for the closing handshake it starts.
  if (auto transport = std::move(transport_)) transport->close(1000, {});
  if (works_) works_();
}

void NativeProbe::still_fails(const Error& error) {
  if (memory_) memory_->remember(key_, FallbackMemory::Clock::now() + remember_for_);
  detail::log(LogLevel::Debug, "the WebSocket connection to " + url_text_ + " still fails (" +
                                   error.message + ")" + (memory_ ? "; remembered again" : ""));
  stop();
}

}  // namespace tether::session
