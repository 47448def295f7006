// The emulated transport's control channel (docs/control-channel.md sections 2, 3.2 and 4)
// against the bundled gateway, whose /echo sends every control message back, and its resume offer
// (section 5.5) and writable notice against scripted servers. The transport is driven below the
// session: what is checked is what its listener hears, and in which order.
#include <gtest/gtest.h>

#include <asio/post.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "control/control_codec.hpp"
#include "core/io_context_impl.hpp"
#include "http/scripted_http_server.hpp"
#include "http/url.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "transport/emulated/emulated_transport.hpp"
#include "transport/emulated/frame_codec.hpp"
#include "transport_probe.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const control::ControlMessage revalidated =
    control::RevalidationResult{7, control::RevalidationOutcome::Succeeded, 204};

/// An emulated transport to `url`, started with the request `adjust` leaves, with its I/O thread
/// and listener; aborted when the test ends.
class EmulatedConnection {
 public:
  explicit EmulatedConnection(
      const std::string& url,
      const std::function<void(transport::TransportRequest&)>& adjust = {}) {
    transport::TransportRequest request;
    EXPECT_FALSE(http::parse_url(url, http::UrlKind::WebSocket, request.url));
    request.options = emulated_options(url);
    if (adjust) adjust(request);
    on_io_thread([&] { transport_->start(std::move(request), listener_); });
  }
  ~EmulatedConnection() {
    on_io_thread([&] { transport_->abort(); });
  }
  EmulatedConnection(const EmulatedConnection&) = delete;
  EmulatedConnection& operator=(const EmulatedConnection&) = delete;

  transport::Transport& transport() { return *transport_; }
  TransportProbe& listener() { return *listener_; }

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
  std::shared_ptr<TransportProbe> listener_ = std::make_shared<TransportProbe>();
  std::shared_ptr<transport::Transport> transport_ = transport::make_emulated_transport(*io_);
};

std::string echo_url(const Gateway& gateway) {
  return "ws://127.0.0.1:" + std::to_string(gateway.ws_port()) + "/echo";
}

TEST(EmulatedTransportControl, ControlMessagesGoBothWaysInTheirPlaceAmongTheMessages) {
  Gateway gateway;
  EmulatedConnection connection(echo_url(gateway));
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=1");
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  connection.on_io_thread([&] {
    ASSERT_FALSE(connection.transport().send(MessageKind::Text, "before", &first));
    ASSERT_FALSE(connection.transport().send_control(revalidated));
    ASSERT_FALSE(connection.transport().send(MessageKind::Binary, "after", &second));
  });
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(second, 2u) << "a control message takes no message number (section 4)";
  EXPECT_EQ(connection.listener().wait_for_events(4),
            (std::vector<std::string>{"open control=1", "text:before",
                                      "control:REVALIDATION_RESULT", "binary:after"}));
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
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=0");
  Error refused;
  connection.on_io_thread([&] { refused = connection.transport().send_control(revalidated); });
  EXPECT_EQ(refused.code, ErrorCode::InvalidState) << refused.message;
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

TEST(EmulatedTransportControl, AMessageTheCodecRefusesIsNotSentAndTheConnectionGoesOn) {
  Gateway gateway;
  EmulatedConnection connection(echo_url(gateway));
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=1");
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
  EXPECT_EQ(connection.listener().wait_for_events(2),
            (std::vector<std::string>{"open control=1", "text:still open"}));
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

// --- against scripted servers ---

std::string scripted_url(const ScriptedHttpServer& server) {
  return "ws://127.0.0.1:" + std::to_string(server.port()) + "/echo";
}

bool is_create(const ReceivedRequest& request) {
  return request.target.find("/;e/create") != std::string::npos;
}

bool is_upstream(const ReceivedRequest& request) {
  return request.target.find("/;e/up") != std::string::npos;
}

/// A 201 to create, with `extensions` in Tether-Extensions when not empty.
ScriptedResponse created(const std::string& extensions) {
  ScriptedResponse response{201,
                            {{"Tether-Emulation", "1"},
                             {"Tether-Session", "0123456789abcdefghijKLMNOP_-"},
                             {"Tether-Heartbeat", "1000"}},
                            {}};
  if (!extensions.empty()) response.headers.emplace_back("Tether-Extensions", extensions);
  return response;
}

/// A downstream with nothing to say, after a pause, so that the client's loop does not spin: the
/// pace of a long poll, not a synchronisation.
ScriptedResponse quiet_downstream() {
  std::this_thread::sleep_for(50ms);
  std::string nop;
  transport::emulated::append_frame(nop, transport::emulated::FrameType::Nop, 0, {});
  return {200, {{"Content-Type", "application/octet-stream"}}, nop};
}

void offer_resume(transport::TransportRequest& request, control::ResumeOffer resume) {
  request.resume = std::move(resume);
}

TEST(EmulatedTransportResume, TheCreateOffersTheSessionToResumeAndTheAnswerSaysItResumed) {
  ScriptedHttpServer server([](const ReceivedRequest& request) {
    return is_create(request) ? created("x-tether-control; v=1; resume; received=3")
                              : quiet_downstream();
  });
  EmulatedConnection connection(scripted_url(server), [](auto& request) {
    offer_resume(request, {"0123456789abcdefghij", 7});
  });
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=1");
  const auto answer = connection.listener().answer();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->resume);
  EXPECT_EQ(answer->resumed_received, std::optional<std::uint64_t>(3));
  const auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  ASSERT_TRUE(is_create(requests[0]));
  EXPECT_EQ(
      requests[0].header("Tether-Extensions"),
      std::optional<std::string>("x-tether-control; v=1; resume=0123456789abcdefghij; received=7"));
}

TEST(EmulatedTransportResume, ANewResumableSessionIsOfferedAndAccepted) {
  ScriptedHttpServer server([](const ReceivedRequest& request) {
    return is_create(request) ? created("x-tether-control; v=1; resume") : quiet_downstream();
  });
  EmulatedConnection connection(scripted_url(server),
                                [](auto& request) { offer_resume(request, {}); });
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=1");
  const auto answer = connection.listener().answer();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->resume);
  EXPECT_FALSE(answer->resumed_received);
  EXPECT_EQ(server.requests().at(0).header("Tether-Extensions"),
            std::optional<std::string>("x-tether-control; v=1; resume"));
}

TEST(EmulatedTransportResume, AnAnswerWithReceivedWhenNoTokenWasOfferedFailsTheAttempt) {
  ScriptedHttpServer server([](const ReceivedRequest& request) {
    return is_create(request) ? created("x-tether-control; v=1; resume; received=3")
                              : quiet_downstream();
  });
  EmulatedConnection connection(scripted_url(server),
                                [](auto& request) { offer_resume(request, {}); });
  const std::string first = connection.listener().wait_for_events(1).at(0);
  EXPECT_EQ(first.rfind("failed:", 0), 0u) << first;
  const Error failure = connection.listener().failure();
  EXPECT_EQ(failure.code, ErrorCode::ProtocolError) << failure.message;
  EXPECT_NE(failure.message.find("Tether-Extensions"), std::string::npos) << failure.message;
  EXPECT_FALSE(connection.listener().answer());
}

// TransportListener::on_transport_writable against a gateway that stops reading: while the
// server holds the upstream request, the queue behind it fills and refuses; once it answers, the
// queue drains into the next request and the listener hears writable, once.
TEST(EmulatedTransportWritable, ComesOnceTheHeldUpstreamIsAnsweredAfterARefusedSend) {
  std::promise<void> upstream_arrived;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> upstreams{0};
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is_create(request)) return created("");
    if (!is_upstream(request)) return quiet_downstream();
    if (upstreams++ == 0) {
      upstream_arrived.set_value();
      // Bounded, so that a test that fails elsewhere still ends.
      released.wait_for(10s);
    }
    return {204, {}, {}};
  });
  EmulatedConnection connection(scripted_url(server),
                                [](auto& request) { request.options.max_queued_messages = 2; });
  ASSERT_EQ(connection.listener().wait_for_events(1).at(0), "open control=0");
  ASSERT_FALSE(connection.transport().send(MessageKind::Text, "in flight", nullptr));
  ASSERT_EQ(upstream_arrived.get_future().wait_for(10s), std::future_status::ready);
  std::vector<Error> results;
  for (const char* text : {"1", "2", "3"}) {
    results.push_back(connection.transport().send(MessageKind::Text, text, nullptr));
  }
  EXPECT_FALSE(results[0]) << results[0].message;
  EXPECT_FALSE(results[1]) << results[1].message;
  EXPECT_EQ(results[2].code, ErrorCode::WouldBlock) << results[2].message;
  EXPECT_EQ(connection.listener().events(), std::vector<std::string>{"open control=0"})
      << "no writable while the upstream is held";
  release.set_value();
  EXPECT_EQ(connection.listener().wait_for_events(2),
            (std::vector<std::string>{"open control=0", "writable"}));
}

}  // namespace
}  // namespace tether::test
