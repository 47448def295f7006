// The emulated transport's control channel (docs/control-channel.md sections 2, 3.2 and 4)
// against the bundled gateway, whose /echo sends every control message back. The transport is
// driven below the session, which does not act on control messages yet: what is checked is what
// its listener hears, and in which order.
#include <gtest/gtest.h>

#include <asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "control/control_codec.hpp"
#include "core/io_context_impl.hpp"
#include "http/url.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "transport/emulated/emulated_transport.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const control::ControlMessage revalidated =
    control::RevalidationResult{7, control::RevalidationOutcome::Succeeded, 204};

/// Records a transport's events as lines ("message before", "control REVALIDATION_RESULT") and
/// the control messages themselves, for the test's thread to wait on.
///
/// Thread-safety: the transport calls it on the I/O thread, the test reads it on its own.
class RecordingListener final : public transport::TransportListener {
 public:
  void on_transport_connected() override {}
  void on_transport_open(const transport::OpenInfo& info) override {
    add(std::string("open, control channel ") + (info.control_channel ? "on" : "off"));
  }
  void on_transport_message(const Message& message) override {
    add("message " + std::string(message.data));
  }
  void on_transport_pong(std::string_view) override {}
  void on_transport_control(const control::ControlMessage& message) override {
    {
      std::lock_guard lock(mutex_);
      controls_.push_back(message);
    }
    add(std::string("control ") + control::to_string(control::type_of(message)));
  }
  void on_transport_failed(const Error& error, const transport::HandshakeResponse&) override {
    add("failed " + error.message);
  }
  void on_transport_closed(const CloseInfo& close) override {
    add("closed " + std::to_string(close.code) + " " + close.error.message);
  }
  void on_transport_cookies(const std::vector<std::string>&) override {}
  void on_transport_writable() override {}

  /// Waits up to 10 s for `count` events; returns them all.
  std::vector<std::string> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [&] { return events_.size() >= count; });
    return events_;
  }

  std::vector<control::ControlMessage> controls() const {
    std::lock_guard lock(mutex_);
    return controls_;
  }

 private:
  void add(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::vector<control::ControlMessage> controls_;
};

/// An emulated transport to `url`, started, with its I/O thread and listener; aborted when the
/// test ends.
class EmulatedConnection {
 public:
  explicit EmulatedConnection(const std::string& url) {
    transport::TransportRequest request;
    EXPECT_FALSE(http::parse_url(url, http::UrlKind::WebSocket, request.url));
    request.options = emulated_options(url);
    on_io_thread([&] { transport_->start(std::move(request), listener_); });
  }
  ~EmulatedConnection() {
    on_io_thread([&] { transport_->abort(); });
  }
  EmulatedConnection(const EmulatedConnection&) = delete;
  EmulatedConnection& operator=(const EmulatedConnection&) = delete;

  transport::Transport& transport() { return *transport_; }
  RecordingListener& listener() { return *listener_; }

  /// Runs `action` on the I/O thread, where the transport's members other than send() are
  /// called, and waits for it.
  template <class Action>
  void on_io_thread(Action action) {
    std::promise<void> done;
    asio::post(io_context_impl(*io_).io, [&] {
      action();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  std::shared_ptr<IoContext> io_ = std::make_shared<IoContext>();
  std::shared_ptr<RecordingListener> listener_ = std::make_shared<RecordingListener>();
  std::shared_ptr<transport::Transport> transport_ = transport::make_emulated_transport(*io_);
};

std::string echo_url(const Gateway& gateway) {
  return "ws://127.0.0.1:" + std::to_string(gateway.ws_port()) + "/echo";
}

TEST(EmulatedTransportControl, ControlMessagesGoBothWaysInTheirPlaceAmongTheMessages) {
  Gateway gateway;
  EmulatedConnection connection(echo_url(gateway));
  ASSERT_EQ(connection.listener().wait_for(1).at(0), "open, control channel on");
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  connection.on_io_thread([&] {
    ASSERT_FALSE(connection.transport().send(MessageKind::Text, "before", &first));
    ASSERT_FALSE(connection.transport().send_control(revalidated));
    ASSERT_FALSE(connection.transport().send(MessageKind::Binary, "after", &second));
  });
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(second, 2u) << "a control message takes no message number (section 4)";
  EXPECT_EQ(connection.listener().wait_for(4),
            (std::vector<std::string>{"open, control channel on", "message before",
                                      "control REVALIDATION_RESULT", "message after"}));
  ASSERT_EQ(connection.listener().controls().size(), 1u);
  EXPECT_TRUE(connection.listener().controls()[0] == revalidated);
  const json stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 1);
  EXPECT_EQ(stats.at("control_messages_sent"), 1);
  EXPECT_EQ(stats.at("messages_received"), 2);
}

TEST(EmulatedTransportControl, AGatewayThatDoesNotAcceptTheChannelLeavesItOff) {
  Gateway gateway(json{{"control_channel", false}});
  EmulatedConnection connection(echo_url(gateway));
  ASSERT_EQ(connection.listener().wait_for(1).at(0), "open, control channel off");
  Error refused;
  connection.on_io_thread([&] { refused = connection.transport().send_control(revalidated); });
  EXPECT_EQ(refused.code, ErrorCode::InvalidState) << refused.message;
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

TEST(EmulatedTransportControl, AMessageTheCodecRefusesIsNotSentAndTheConnectionGoesOn) {
  Gateway gateway;
  EmulatedConnection connection(echo_url(gateway));
  ASSERT_EQ(connection.listener().wait_for(1).at(0), "open, control channel on");
  Error refused;
  std::uint64_t number = 0;
  connection.on_io_thread([&] {
    // A DENIED needs a reason (section 5.3).
    refused =
        connection.transport().send_control(control::Denied{control::Operation::Send, 1, "", ""});
    ASSERT_FALSE(connection.transport().send(MessageKind::Text, "still open", &number));
  });
  EXPECT_EQ(refused.code, ErrorCode::InvalidArgument) << refused.message;
  EXPECT_EQ(number, 1u);
  EXPECT_EQ(connection.listener().wait_for(2),
            (std::vector<std::string>{"open, control channel on", "message still open"}));
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

}  // namespace
}  // namespace tether::test
