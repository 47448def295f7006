#pragma once
// A transport's listener for the tests that drive a transport below the session, as the session
// does, and check what it hears.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/control_message.hpp"
#include "control/control_negotiation.hpp"
#include "transport/transport.hpp"

namespace tether::test {

/// What a transport reported, in order, as one line each: "open control=1", "text:<data>",
/// "binary:<data>", "control:<TYPE>", "failed:<message>", "closed:<code>", "writable"; and the
/// control messages, the open's control channel answer and the failure's error as they were.
///
/// Thread-safety: the listener side runs on the I/O thread, the waiting side on the test's.
class TransportProbe final : public transport::TransportListener {
 public:
  void on_transport_connected() override {}
  void on_transport_open(const transport::OpenInfo& info) override {
    {
      std::lock_guard lock(mutex_);
      answer_ = info.control_channel;
    }
    record(std::string("open control=") + (info.control_channel ? "1" : "0"));
  }
  void on_transport_message(const Message& message) override {
    record((message.kind == MessageKind::Text ? "text:" : "binary:") + std::string(message.data));
  }
  void on_transport_pong(std::string_view) override {}
  void on_transport_control(const control::ControlMessage& message) override {
    {
      std::lock_guard lock(mutex_);
      controls_.push_back(message);
    }
    record(std::string("control:") + control::to_string(control::type_of(message)));
  }
  void on_transport_failed(const Error& error, const transport::HandshakeResponse&) override {
    {
      std::lock_guard lock(mutex_);
      failure_ = error;
    }
    record("failed:" + error.message);
  }
  void on_transport_closed(const CloseInfo& close) override {
    record("closed:" + std::to_string(close.code));
  }
  void on_transport_cookies(const std::vector<std::string>&) override {}
  void on_transport_writable() override { record("writable"); }

  /// Waits up to 10 s for `count` events and returns those there are.
  std::vector<std::string> wait_for_events(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return events_.size() >= count; });
    return events_;
  }

  /// The events so far, without waiting.
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  /// The control messages received, in order.
  std::vector<control::ControlMessage> controls() const {
    std::lock_guard lock(mutex_);
    return controls_;
  }

  std::optional<control::ChannelAnswer> answer() const {
    std::lock_guard lock(mutex_);
    return answer_;
  }

  Error failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  void record(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::vector<control::ControlMessage> controls_;
  std::optional<control::ChannelAnswer> answer_;
  Error failure_;
};

}  // namespace tether::test
