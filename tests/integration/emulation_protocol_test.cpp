// The client side of docs/emulation.md against scripted servers, for what the gateway never
// does on its own: the headers of every request, a gap in the sequence, a response cut in the
// middle of a frame, a malformed 201, a downstream that falls silent, refusals and retries.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "control/control_codec.hpp"
#include "event_recorder.hpp"
#include "http/scripted_http_server.hpp"
#include "loopback_listener.hpp"
#include "test_environment.hpp"
#include "tether/cookies.hpp"
#include "transport/emulated/frame_codec.hpp"

namespace tether::test {
namespace {

using transport::emulated::append_frame;
using transport::emulated::decode_close_payload;
using transport::emulated::FrameDecoder;
using transport::emulated::FrameType;

constexpr std::string_view token = "0123456789abcdefghijKLMNOP_-";

std::string frame(FrameType type, std::uint64_t sequence, std::string_view payload = {}) {
  std::string bytes;
  append_frame(bytes, type, sequence, payload);
  return bytes;
}

std::string nop() { return frame(FrameType::Nop, 0); }

std::string text(std::uint64_t sequence, std::string_view payload) {
  return frame(FrameType::Text, sequence, payload);
}

bool is(const ReceivedRequest& request, std::string_view kind) {
  return request.target.find(std::string("/;e/") + std::string(kind)) != std::string::npos;
}

ScriptedResponse created(int heartbeat_ms = 1000) {
  return {201,
          {{"Tether-Emulation", "1"},
           {"Tether-Session", std::string(token)},
           {"Tether-Heartbeat", std::to_string(heartbeat_ms)}},
          {}};
}

/// A 201 that accepts the control channel (docs/control-channel.md section 2).
ScriptedResponse created_with_control_channel() {
  ScriptedResponse response = created();
  response.headers.emplace_back("Tether-Extensions", "x-tether-control; v=1");
  return response;
}

/// A CONTROL frame carrying a DENIED (docs/control-channel.md section 5.3).
std::string denied(std::uint64_t sequence) {
  std::string body;
  EXPECT_FALSE(control::append_control_message(
      body, control::Denied{control::Operation::Send, 1, "AAPL", "alice may not send to AAPL"}));
  return frame(FrameType::Control, sequence, body);
}

ScriptedResponse frames(std::string body) {
  return {200, {{"Content-Type", "application/octet-stream"}}, std::move(body)};
}

/// A downstream with nothing to say, after a pause, so that the client's loop does not spin: the
/// pace of a long poll, not a synchronisation.
ScriptedResponse quiet_downstream() {
  std::this_thread::sleep_for(50ms);
  return frames(nop());
}

ConnectOptions options_for(const ScriptedHttpServer& server, std::string path = "/echo") {
  return emulated_options("ws://127.0.0.1:" + std::to_string(server.port()) + path);
}

std::vector<ReceivedRequest> requests_of(const ScriptedHttpServer& server, std::string_view kind) {
  std::vector<ReceivedRequest> found;
  for (const auto& request : server.requests()) {
    if (is(request, kind)) found.push_back(request);
  }
  return found;
}

/// Counts requests of one kind as a scripted responder sees them, for the test to wait on. The
/// server records a request before it asks the responder, so once the count is reached the
/// server's requests() holds them all.
///
/// Thread-safety: note() on the server's thread, wait_for() on the test's.
class RequestCounter {
 public:
  /// Counts one request; returns how many there were, this one included.
  int note() {
    const std::lock_guard lock(mutex_);
    times_.push_back(std::chrono::steady_clock::now());
    changed_.notify_all();
    return static_cast<int>(times_.size());
  }

  /// The time from the `first`th request to the `last`th (counted from 1), both counted.
  std::chrono::steady_clock::duration between(int first, int last) const {
    const std::lock_guard lock(mutex_);
    return times_.at(last - 1) - times_.at(first - 1);
  }

  /// Waits up to `timeout` until `count` requests were counted; returns whether they were.
  bool wait_for(int count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return times_.size() >= static_cast<std::size_t>(count); });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::chrono::steady_clock::time_point> times_;  // of each request, in order
};

std::vector<std::string> texts(const EventRecorder& recorder) {
  std::vector<std::string> result;
  for (const auto& message : recorder.messages()) result.push_back(message.data);
  return result;
}

TEST(EmulationProtocol, EveryRequestCarriesTheHeadersOfSection3) {
  RequestCounter upstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (!is(request, "up")) return quiet_downstream();
    upstreams.note();
    return {204, {}, {}};
  });
  auto jar = std::make_shared<CookieJar>();
  ASSERT_FALSE(
      jar->set_from_response("http://127.0.0.1:" + std::to_string(server.port()) + "/", "lb=7"));
  auto options = options_for(server, "/echo?tenant=blue");
  options.origin = "https://app.example";
  options.headers = {{"X-Tenant", "blue"}};
  options.subprotocols = {"chat.v2", "chat.v1"};
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("hello"));
  ASSERT_TRUE(upstreams.wait_for(1));

  const auto create = requests_of(server, "create");
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].method, "POST");
  EXPECT_EQ(create[0].target, "/echo/;e/create?tenant=blue");
  EXPECT_EQ(create[0].header("Tether-Protocol"), "chat.v2, chat.v1");
  EXPECT_EQ(create[0].header("Tether-Session"), std::nullopt);
  EXPECT_EQ(create[0].header("Content-Length"), "0");
  EXPECT_EQ(create[0].header("Tether-Extensions"), "x-tether-control; v=1");

  const auto down = requests_of(server, "down");
  ASSERT_FALSE(down.empty());
  EXPECT_EQ(down[0].method, "GET");
  EXPECT_EQ(down[0].target, "/echo/;e/down?n=1");
  EXPECT_EQ(down[0].header("Tether-Ack"), "0");
  EXPECT_EQ(down[0].header("Tether-Mode"), std::nullopt);

  const auto up = requests_of(server, "up");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].method, "POST");
  EXPECT_EQ(up[0].target, "/echo/;e/up?n=1");
  EXPECT_EQ(up[0].header("Content-Type"), "application/octet-stream");
  FrameDecoder decoder(1024);
  ASSERT_FALSE(decoder.feed(up[0].body));
  const auto sent = decoder.next();
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->type, FrameType::Text);
  EXPECT_EQ(sent->sequence, 1u);
  EXPECT_EQ(sent->payload, "hello");

  for (const auto& request : server.requests()) {
    SCOPED_TRACE(request.target);
    EXPECT_EQ(request.header("Tether-Emulation"), "1");
    EXPECT_EQ(request.header("Origin"), "https://app.example");
    EXPECT_EQ(request.header("Cookie"), "lb=7");
    EXPECT_EQ(request.header("X-Tenant"), "blue");
    EXPECT_EQ(request.header("Cache-Control"), "no-cache");
    EXPECT_EQ(request.target.find(token), std::string::npos);  // never in a URL
    if (!is(request, "create")) {
      EXPECT_EQ(request.header("Tether-Session"), std::string(token));
    }
  }
}

TEST(EmulationProtocol, ACookieSetByALaterResponseIsStoredAndSentFromThenOn) {
  RequestCounter upstreams;
  std::atomic<int> downstreams{0};
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (is(request, "up")) {
      upstreams.note();
      return {204, {}, {}};
    }
    if (++downstreams == 1) {
      ScriptedResponse response = frames(nop() + text(1, "cookie set"));
      response.headers.emplace_back("Set-Cookie", "sticky=b; Path=/");
      return response;
    }
    return quiet_downstream();
  });
  auto jar = std::make_shared<CookieJar>();
  auto options = options_for(server);
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  ASSERT_FALSE(client.send_text("with the cookie"));
  ASSERT_TRUE(upstreams.wait_for(1));
  const auto up = requests_of(server, "up");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].header("Cookie"), "sticky=b");
  EXPECT_EQ(jar->cookie_header(options.url), "sticky=b");
}

TEST(EmulationProtocol, AGapInTheGatewaysSequenceIsAProtocolError) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (is(request, "down")) return frames(nop() + text(1, "one") + text(3, "three"));
    return {204, {}, {}};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(texts(recorder), std::vector<std::string>{"one"});
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1002);
  EXPECT_EQ(close.error.code, ErrorCode::ProtocolError);
  EXPECT_NE(close.error.message.find("skipped from sequence 1 to 3"), std::string::npos)
      << close.error.message;
}

TEST(EmulationProtocol, ABadFrameClosesWithItsCode) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (is(request, "down")) return frames(nop() + text(1, "\xff\xfe"));
    return {204, {}, {}};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().code, 1007);
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::ProtocolError);
  EXPECT_TRUE(recorder.messages().empty());
}

TEST(EmulationProtocol, AResponseCutInAFrameResumesFromTheAcknowledgedSequence) {
  RequestCounter downstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (!is(request, "down")) return {204, {}, {}};
    switch (downstreams.note()) {
      case 1:  // "two" is cut after its header and one byte
        return frames(nop() + text(1, "one") + text(2, "two").substr(0, 14));
      case 2:  // resends from what the client acknowledged, "one" again included
        return frames(nop() + text(1, "one") + text(2, "two") + text(3, "three"));
      default:
        return quiet_downstream();
    }
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  // A duplicate "one" would come before "three", which ends the second downstream's frames.
  ASSERT_TRUE(recorder.wait_for_messages(3));
  ASSERT_TRUE(downstreams.wait_for(3));  // the third asks for what follows "three"
  EXPECT_EQ(texts(recorder), (std::vector<std::string>{"one", "two", "three"}));
  const auto down = requests_of(server, "down");
  ASSERT_GE(down.size(), 3u);
  EXPECT_EQ(down[1].header("Tether-Ack"), "1");
  EXPECT_EQ(down[2].header("Tether-Ack"), "3");
  EXPECT_EQ(client.state(), State::Open);
  EXPECT_TRUE(recorder.errors().empty());
}

TEST(EmulationProtocol, AMalformedAnswerToCreateIsAProtocolError) {
  ScriptedHttpServer server([](const ReceivedRequest&) -> ScriptedResponse {
    return {201, {{"Tether-Emulation", "1"}, {"Tether-Session", "short"}}, {}};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_FALSE(recorder.ever_opened());
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::ProtocolError) << recorder.errors()[0].message;
}

// --- the control channel (docs/control-channel.md sections 2, 3.2 and 6) ---

/// Connects through `server`, whose first downstream breaks the protocol, and checks that the
/// connection closes with ProtocolError and 1002, naming `what`, having delivered no message.
void expect_protocol_error_from(const ScriptedHttpServer& server, std::string_view what) {
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1002);
  EXPECT_EQ(close.error.code, ErrorCode::ProtocolError);
  EXPECT_NE(close.error.message.find(what), std::string::npos) << close.error.message;
  EXPECT_TRUE(recorder.messages().empty());
}

TEST(EmulationProtocol, AControlFrameIsNeverDeliveredAsAMessageAndIsAcknowledged) {
  RequestCounter downstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_control_channel();
    if (!is(request, "down")) return {204, {}, {}};
    switch (downstreams.note()) {
      case 1:
        return frames(nop() + text(1, "before") + denied(2));
      case 2:
        return frames(nop() + text(3, "after"));
      default:
        return quiet_downstream();
    }
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_messages(2));
  EXPECT_EQ(texts(recorder), (std::vector<std::string>{"before", "after"}));
  ASSERT_TRUE(downstreams.wait_for(2));
  EXPECT_EQ(requests_of(server, "down")[1].header("Tether-Ack"), "2")
      << "the CONTROL frame is acknowledged like a message";
  EXPECT_EQ(client.state(), State::Open);
}

TEST(EmulationProtocol, AMalformedControlMessageIsAProtocolError) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_control_channel();
    // A DENIED cut short after its type byte.
    if (is(request, "down")) return frames(nop() + frame(FrameType::Control, 1, "\x03"));
    return {204, {}, {}};
  });
  expect_protocol_error_from(server, "DENIED");
}

TEST(EmulationProtocol, AControlMessageOfAnUnknownTypeIsIgnored) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_control_channel();
    // 0x05 is reserved for a later version's message (section 5).
    if (is(request, "down")) {
      return frames(nop() + frame(FrameType::Control, 1, "\x05later") + text(2, "after"));
    }
    return {204, {}, {}};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(texts(recorder), std::vector<std::string>{"after"});
  EXPECT_EQ(client.state(), State::Open);
}

TEST(EmulationProtocol, AControlFrameWithoutTheChannelIsAnUnknownFrameType) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();  // no Tether-Extensions
    if (is(request, "down")) return frames(nop() + denied(1));
    return {204, {}, {}};
  });
  expect_protocol_error_from(server, "unknown frame type 0x10");
}

TEST(EmulationProtocol, AnAnswerToAVersionNotOfferedFailsTheConnect) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    ScriptedResponse response = created();
    response.headers.emplace_back("Tether-Extensions", "x-tether-control; v=2");
    if (is(request, "create")) return response;
    return quiet_downstream();
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_FALSE(recorder.ever_opened());
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::ProtocolError) << recorder.errors()[0].message;
  EXPECT_NE(recorder.errors()[0].message.find("Tether-Extensions"), std::string::npos)
      << recorder.errors()[0].message;
}

TEST(EmulationProtocol, A404OnTheDownstreamIsConnectionLostAtOnce) {
  ScriptedHttpServer server([](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    return {404, {}, "no such session"};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().code, 1006);
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::ConnectionLost);
  EXPECT_EQ(requests_of(server, "down").size(), 1u);  // no retry: the session is gone
}

TEST(EmulationProtocol, FourFailuresInARowAreConnectionLost) {
  RequestCounter downstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    downstreams.note();
    return {503, {}, "overloaded"};
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.ever_opened());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::ConnectionLost);
  EXPECT_EQ(requests_of(server, "down").size(), 4u);
  // Retried after 0, 250 and 1000 ms; timed where the requests arrive, which a loaded test
  // thread waking late cannot shorten.
  ASSERT_TRUE(downstreams.wait_for(4));
  EXPECT_GE(downstreams.between(1, 4), 1250ms);
}

TEST(EmulationProtocol, AFailedUpstreamIsSentAgainWithTheSameFrames) {
  RequestCounter upstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (is(request, "up")) return {upstreams.note() == 1 ? 500 : 204, {}, {}};
    return quiet_downstream();
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("first"));
  ASSERT_FALSE(client.send_binary("second"));
  ASSERT_TRUE(upstreams.wait_for(2));
  const auto up = requests_of(server, "up");
  ASSERT_GE(up.size(), 2u);
  EXPECT_EQ(up[1].body.substr(0, up[0].body.size()), up[0].body);
  EXPECT_NE(up[0].target, up[1].target);  // n counts requests, retries included
  EXPECT_EQ(client.state(), State::Open);
}

TEST(EmulationProtocol, AnUpstreamReplyWhoseFramingCouldBeReadTwoWaysFailsTheConnection) {
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    // The server adds a Content-Length: with a Transfer-Encoding beside it, a second response
    // could hide in the body (RFC 9112 section 6.3), so the reply is refused, not read one of
    // the two ways.
    if (is(request, "up")) return {200, {{"Transfer-Encoding", "gzip"}}, {}};
    return quiet_downstream();
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("first"));
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const Error& error = recorder.close_info().error;
  EXPECT_EQ(error.code, ErrorCode::ConnectionLost);
  EXPECT_NE(error.message.find("4 upstream requests in a row failed"), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("both Transfer-Encoding and Content-Length"), std::string::npos)
      << error.message;
}

/// A 201 that accepts frames in upstream replies (docs/emulation.md section 7).
ScriptedResponse created_with_upstream_replies() {
  ScriptedResponse response = created();
  response.headers.emplace_back("Tether-Upstream-Reply", "frames");
  return response;
}

TEST(EmulationProtocol, FramesFromARepliesAndADownstreamAreDeliveredInSequenceOrder) {
  RequestCounter downstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_upstream_replies();
    if (is(request, "up")) return frames(text(1, "one") + text(3, "three"));
    // 2 and 4 arrive first, and wait for 1 and 3.
    if (downstreams.note() == 1) return frames(nop() + text(2, "two") + text(4, "four"));
    return quiet_downstream();
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_TRUE(downstreams.wait_for(2));  // the first one's frames are in
  EXPECT_TRUE(recorder.messages().empty()) << "2 and 4 wait for 1";
  ASSERT_FALSE(client.send_text("go"));
  ASSERT_TRUE(recorder.wait_for_messages(4)) << recorder.describe_errors();
  EXPECT_EQ(texts(recorder), (std::vector<std::string>{"one", "two", "three", "four"}));
  const auto create = requests_of(server, "create");
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].header("Tether-Upstream-Reply"), "frames");
  EXPECT_EQ(requests_of(server, "down")[1].header("Tether-Ack"), "0") << "nothing in order yet";
  ASSERT_TRUE(downstreams.wait_for(4));
  EXPECT_EQ(requests_of(server, "down")[3].header("Tether-Ack"), "4");
  EXPECT_EQ(client.state(), State::Open);
}

TEST(EmulationProtocol, AReplyCutInAFrameIsRetriedAndItsFramesDeliveredOnce) {
  RequestCounter upstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_upstream_replies();
    if (!is(request, "up")) return quiet_downstream();
    if (upstreams.note() == 1) return frames(text(1, "one") + text(2, "two").substr(0, 14));
    // The retry's reply repeats what the lost one carried.
    return frames(text(1, "one") + text(2, "two"));
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("hello"));
  ASSERT_TRUE(recorder.wait_for_messages(2)) << recorder.describe_errors();
  ASSERT_TRUE(upstreams.wait_for(2));
  EXPECT_EQ(texts(recorder), (std::vector<std::string>{"one", "two"}));
  const auto up = requests_of(server, "up");
  ASSERT_GE(up.size(), 2u);
  EXPECT_EQ(up[1].body, up[0].body) << "the same frames again";
  EXPECT_EQ(up[1].header("Tether-Ack"), "1") << "one arrived whole";
  EXPECT_EQ(client.state(), State::Open);
  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
}

TEST(EmulationProtocol, FramesWaitingForAMissingOneAreBoundedByTwiceTheLargestMessage) {
  const std::string kilobyte(1000, 'k');
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created_with_upstream_replies();
    if (is(request, "up")) return {204, {}, {}};
    // Sequence 1 never comes.
    return frames(nop() + text(2, kilobyte) + text(3, kilobyte) + text(4, kilobyte));
  });
  auto options = options_for(server);
  options.max_message_size = 1024;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_TRUE(recorder.messages().empty());
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1002);
  EXPECT_EQ(close.error.code, ErrorCode::ProtocolError);
  EXPECT_NE(close.error.message.find("up to sequence 4 but not sequence 1"), std::string::npos)
      << close.error.message;
}

TEST(EmulationProtocol, WithoutTheGatewaysAcceptanceAReplysBodyIsNotRead) {
  RequestCounter upstreams;
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (!is(request, "up")) return quiet_downstream();
    upstreams.note();
    return frames(text(1, "not a frame the client reads"));
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.send_text("hello"));
  ASSERT_TRUE(upstreams.wait_for(1));
  ASSERT_FALSE(client.send_text("again"));
  ASSERT_TRUE(upstreams.wait_for(2));
  EXPECT_EQ(requests_of(server, "up")[1].header("Tether-Ack"), "0");
  EXPECT_TRUE(recorder.messages().empty());
  EXPECT_EQ(client.state(), State::Open);
}

/// A server that answers each connection on a thread of its own, for a downstream that must
/// stay open and silent while the next one is served. The first request of each connection gets
/// `answer(request head)` written raw (send "Connection: close" to keep the client from asking
/// more on it); the connection then stays open, silent, until the client or the destructor ends
/// it.
class ConcurrentRawServer {
 public:
  using Answer = std::function<std::string(const std::string& head)>;

  explicit ConcurrentRawServer(Answer answer) : answer_(std::move(answer)) {
    listener_ = listen_on_loopback(port_, 16);
    acceptor_ = std::thread([this] { accept_all(); });
  }

  ~ConcurrentRawServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    const std::lock_guard lock(mutex_);
    for (const int connection : connections_) ::shutdown(connection, SHUT_RDWR);
    for (auto& thread : threads_) thread.join();
    for (const int connection : connections_) ::close(connection);
  }

  std::uint16_t port() const { return port_; }

 private:
  void accept_all() {
    while (!stopping_) {
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      const std::lock_guard lock(mutex_);
      connections_.push_back(connection);
      threads_.emplace_back([this, connection] { serve(connection); });
    }
  }

  void serve(int connection) {
    std::string head;
    if (!read_request_head(connection, head)) return;
    char buffer[4096];
    const std::string response = answer_(head);
    if (!response.empty()) ::send(connection, response.data(), response.size(), MSG_NOSIGNAL);
    // Stays open: the client ends it, or the destructor does.
    while (::recv(connection, buffer, sizeof buffer, 0) > 0) {
    }
  }

  Answer answer_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> threads_;
};

std::string chunked_head() {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
         "Transfer-Encoding: chunked\r\n\r\n";
}

std::string chunk(const std::string& data) {
  char size[20];
  const int length = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size, static_cast<std::size_t>(length)) + data + "\r\n";
}

TEST(EmulationProtocol, ADownstreamThatFallsSilentIsReplacedAfterTwoHeartbeats) {
  using Clock = std::chrono::steady_clock;
  std::mutex mutex;
  std::vector<Clock::time_point> downstream_times;
  ConcurrentRawServer server([&](const std::string& head) -> std::string {
    if (head.find("/;e/create") != std::string::npos) {
      return "HTTP/1.1 201 Created\r\nTether-Emulation: 1\r\nTether-Session: " +
             std::string(token) +
             "\r\nTether-Heartbeat: 150\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }
    std::size_t count = 0;
    {
      const std::lock_guard lock(mutex);
      downstream_times.push_back(Clock::now());
      count = downstream_times.size();
    }
    // The first downstream sends its NOP, then nothing more, not even heartbeats.
    if (count == 1) return chunked_head() + chunk(nop());
    return chunked_head() + chunk(nop() + text(1, "alive"));
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(
      emulated_options("ws://127.0.0.1:" + std::to_string(server.port()) + "/echo")));
  ASSERT_TRUE(recorder.wait_for_messages(1, 5s)) << recorder.errors().size();
  EXPECT_EQ(texts(recorder), std::vector<std::string>{"alive"});
  EXPECT_TRUE(recorder.errors().empty());
  const std::lock_guard lock(mutex);
  ASSERT_GE(downstream_times.size(), 2u);
  const auto silence = downstream_times[1] - downstream_times[0];
  EXPECT_GE(silence, 300ms);  // twice the heartbeat
  EXPECT_LT(silence, 2s);
}

TEST(EmulationProtocol, TheClientsCloseWaitsForTheGatewaysClose) {
  std::atomic<bool> close_received{false};
  ScriptedHttpServer server([&](const ReceivedRequest& request) -> ScriptedResponse {
    if (is(request, "create")) return created();
    if (is(request, "up")) {
      FrameDecoder decoder(1024);
      EXPECT_FALSE(decoder.feed(request.body));
      while (auto received = decoder.next()) {
        if (received->type == FrameType::Close) close_received = true;
      }
      return {204, {}, {}};
    }
    if (close_received) {
      return frames(frame(FrameType::Close, 1, std::string("\x0f\xa1", 2) + "see you"));
    }
    return quiet_downstream();
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options_for(server)));
  ASSERT_TRUE(recorder.wait_for_state(State::Open));
  ASSERT_FALSE(client.close(1000, "bye"));
  ASSERT_TRUE(recorder.wait_for_close());
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 4001);  // the gateway's
  EXPECT_EQ(close.reason, "see you");
  EXPECT_FALSE(close.closed_by_peer);
  EXPECT_FALSE(close.error) << close.error.message;
  EXPECT_TRUE(close_received);
}

}  // namespace
}  // namespace tether::test
