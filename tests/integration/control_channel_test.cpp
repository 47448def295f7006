// The control channel between the SDK and the gateway (docs/control-channel.md), over every
// transport: application messages that imitate control messages come back byte for byte and are
// never taken for one, a gateway that does not know the extension is a plain WebSocket, messages
// are numbered from 1 in the order they go on the wire, control messages travel both ways in
// their place among the messages, and a close with 4401 reads as AuthExpired. The gateway's
// control_messages_received and control_messages_sent show what crossed the wire as control
// messages, so that a test of "nothing was taken for a control message" fails when something was.
//
// The session does not report control messages to the application yet: the tests that need to
// see them, or what the handshake settled, drive a transport directly (TransportProbe), as the
// session does.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "control/control_message.hpp"
#include "control/native_framing.hpp"
#include "event_recorder.hpp"
#include "io_thread.hpp"
#include "loopback_listener.hpp"
#include "session/connect_request.hpp"
#include "session/real_transport_factory.hpp"
#include "tether/cookies.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/misbehaving_server.hpp"
#include "transport_probe.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

std::string native_control_message(const control::ControlMessage& message) {
  std::string encoded;
  EXPECT_FALSE(control::append_native_control_message(encoded, message));
  return encoded;
}

const control::RevalidationResult revalidation_result{7, control::RevalidationOutcome::Succeeded,
                                                      204};

/// How many of `events` are `event`.
std::size_t count_of(const std::vector<std::string>& events, const std::string& event) {
  return static_cast<std::size_t>(std::count(events.begin(), events.end(), event));
}

class ControlChannel : public TransportTest {
 protected:
  ~ControlChannel() override {
    if (transport_) on_io_thread(*io_, [&] { transport_->abort(); });
  }

  void open(const Gateway& gateway) {
    ASSERT_FALSE(client_.connect(options_for(gateway.ws_url("/echo"))));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open)) << recorder_.describe_errors();
  }

  /// Starts one transport of this test's kind to `url`, as the session would with the options
  /// `adjust` leaves, and waits for its first event.
  std::string start_transport(const std::string& url,
                              const std::function<void(ConnectOptions&)>& adjust = {},
                              std::optional<control::ResumeOffer> resume = std::nullopt) {
    ConnectOptions options = options_for(url);
    if (adjust) adjust(options);
    transport::TransportRequest request;
    EXPECT_FALSE(session::prepare_connect_request(options, request));
    request.options.cookie_jar = std::make_shared<CookieJar>();
    request.resume = std::move(resume);
    on_io_thread(*io_, [&] {
      transport_ = session::make_real_transport_factory(*io_)->create(transport_of(transport()),
                                                                      request.url);
      transport_->start(request, probe_);
    });
    const auto events = probe_->wait_for_events(1);
    return events.empty() ? "no event" : events[0];
  }

  /// A transport of this test's kind to `gateway`'s /echo.
  std::string start_transport(const Gateway& gateway) {
    return start_transport(gateway.ws_url("/echo"));
  }

  /// Sends each of `texts` on the I/O thread, where nothing drains the queue until the handler
  /// returns (the native transport's writes and the emulated transport's upstream requests run
  /// there too), so that the bound sees exactly these messages; returns what each send returned.
  std::vector<Error> send_burst(const std::vector<std::string>& texts) {
    return on_io_thread(*io_, [&] {
      std::vector<Error> results;
      for (const auto& text : texts) {
        results.push_back(transport_->send(MessageKind::Text, text, nullptr));
      }
      return results;
    });
  }

  std::shared_ptr<IoContext> io_ = IoContext::shared();
  Client client_;
  EventRecorder recorder_{client_};
  std::shared_ptr<TransportProbe> probe_ = std::make_shared<TransportProbe>();
  std::shared_ptr<transport::Transport> transport_;
};

TEST_P(ControlChannel, MessagesThatImitateControlMessagesComeBackByteForByte) {
  Gateway gateway(gateway_config());
  open(gateway);
  const std::string prefix(control::native_prefix);
  const std::vector<std::string> binary = {
      prefix + std::string(1, '\0') + "escape-like",
      prefix + std::string(1, '\0') + prefix + "an escape of an imitation",
      prefix + "\x01",
      prefix + "\x03",
      prefix + "\x04",
      prefix + "\x7F" + "an unknown type",
      native_control_message(control::Revalidate{1, 30000, "/echo/;r/k3Jx"}),
      native_control_message(revalidation_result),
      prefix,
  };
  // No text can begin with the prefix (0xFF never occurs in UTF-8): these are the closest.
  const std::vector<std::string> text = {std::string("TCH\x01\0\0\0\x07", 8), "\u00FFTCH\x01",
                                         "\u00FFTCH", "\x7FTCH\x03"};
  for (const auto& message : binary) ASSERT_FALSE(client_.send_binary(message));
  for (const auto& message : text) ASSERT_FALSE(client_.send_text(message));

  ASSERT_TRUE(recorder_.wait_for_messages(binary.size() + text.size()))
      << recorder_.describe_errors();
  const auto echoed = recorder_.messages();
  for (std::size_t i = 0; i < binary.size(); ++i) {
    EXPECT_EQ(echoed[i].kind, MessageKind::Binary) << i;
    EXPECT_EQ(echoed[i].data, binary[i]) << i;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    EXPECT_EQ(echoed[binary.size() + i].kind, MessageKind::Text) << i;
    EXPECT_EQ(echoed[binary.size() + i].data, text[i]) << i;
  }
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("messages_received"), binary.size() + text.size());
  EXPECT_EQ(stats.at("control_messages_received"), 0);
  EXPECT_EQ(stats.at("control_messages_sent"), 0);
  EXPECT_TRUE(recorder_.errors().empty()) << recorder_.describe_errors();
}

TEST_P(ControlChannel, AGatewayThatDoesNotKnowTheExtensionIsAPlainWebSocket) {
  Gateway gateway(gateway_config({{"control_channel", false}}));
  EXPECT_EQ(start_transport(gateway), "open control=0");

  open(gateway);
  const std::string imitation = std::string(control::native_prefix) + "payload";
  ASSERT_FALSE(client_.send_binary(imitation));
  ASSERT_TRUE(recorder_.wait_for_messages(1)) << recorder_.describe_errors();
  EXPECT_EQ(recorder_.messages()[0].data, imitation);
  EXPECT_EQ(gateway.stats().at("control_messages_received"), 0);
}

TEST_P(ControlChannel, TheGatewayThatKnowsTheExtensionTurnsItOn) {
  Gateway gateway(gateway_config());
  EXPECT_EQ(start_transport(gateway), "open control=1");
}

TEST_P(ControlChannel, ControlMessagesTravelBothWaysInTheirPlaceAmongTheMessages) {
  Gateway gateway(gateway_config());
  ASSERT_EQ(start_transport(gateway), "open control=1");
  ASSERT_FALSE(transport_->send(MessageKind::Text, "before", nullptr));
  ASSERT_FALSE(on_io_thread(*io_, [&] { return transport_->send_control(revalidation_result); }));
  ASSERT_FALSE(transport_->send(MessageKind::Binary, "after", nullptr));
  // /echo returns the control message in its place (docs/gateway.md).
  EXPECT_EQ(probe_->wait_for_events(4),
            (std::vector<std::string>{"open control=1", "text:before",
                                      "control:REVALIDATION_RESULT", "binary:after"}));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 1);
  EXPECT_EQ(stats.at("control_messages_sent"), 1);
  EXPECT_EQ(stats.at("messages_received"), 2);
}

TEST_P(ControlChannel, SendControlRefusesAMessageTheCodecRefuses) {
  Gateway gateway(gateway_config());
  ASSERT_EQ(start_transport(gateway), "open control=1");
  const control::Revalidate no_deadline{1, 0, "/echo/;r/k3Jx"};
  const Error error = on_io_thread(*io_, [&] { return transport_->send_control(no_deadline); });
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument) << error.message;
}

TEST_P(ControlChannel, SendControlNeedsTheChannel) {
  Gateway gateway(gateway_config({{"control_channel", false}}));
  ASSERT_EQ(start_transport(gateway), "open control=0");
  const Error error =
      on_io_thread(*io_, [&] { return transport_->send_control(revalidation_result); });
  EXPECT_EQ(error.code, ErrorCode::InvalidState) << error.message;
}

TEST_P(ControlChannel, MessagesAreNumberedFromOne) {
  Gateway gateway(gateway_config());
  open(gateway);
  std::vector<std::uint64_t> numbers(3);
  ASSERT_FALSE(client_.send_text("one", &numbers[0]));
  ASSERT_FALSE(client_.send_binary("two", &numbers[1]));
  ASSERT_FALSE(client_.send_text("three", &numbers[2]));
  EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 3}));
}

// Numbers follow the order on the wire, which the echo shows, whatever thread sends.
TEST_P(ControlChannel, ConcurrentSendersGetTheNumbersOfTheWireOrder) {
  constexpr int senders = 4;
  constexpr int per_sender = 100;
  Gateway gateway(gateway_config());
  open(gateway);
  std::mutex mutex;
  std::map<std::string, std::uint64_t> number_of;
  std::vector<std::thread> threads;
  for (int sender = 0; sender < senders; ++sender) {
    threads.emplace_back([&, sender] {
      for (int i = 0; i < per_sender; ++i) {
        const std::string text = std::to_string(sender) + "/" + std::to_string(i);
        std::uint64_t number = 0;
        if (client_.send_text(text, &number)) return;  // a failure shows as a missing echo
        std::lock_guard lock(mutex);
        number_of[text] = number;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(recorder_.wait_for_messages(senders * per_sender)) << recorder_.describe_errors();
  const auto echoed = recorder_.messages();
  for (std::size_t i = 0; i < echoed.size(); ++i) {
    EXPECT_EQ(number_of.at(echoed[i].data), i + 1) << echoed[i].data;
  }
}

TEST_P(ControlChannel, ACloseWith4401FromTheGatewayIsReportedAsAuthExpired) {
  Gateway gateway(
      gateway_config({{"faults", {{"close_after_messages", 1}, {"close_code", 4401}}}}));
  open(gateway);
  ASSERT_FALSE(client_.send_text("last"));
  ASSERT_TRUE(recorder_.wait_for_close());
  const CloseInfo close = recorder_.close_info();
  EXPECT_EQ(close.code, 4401);
  EXPECT_TRUE(close.closed_by_peer);
  EXPECT_EQ(close.error.code, ErrorCode::AuthExpired) << close.error.message;
  EXPECT_NE(close.error.message.find("4401"), std::string::npos) << close.error.message;
}

// docs/control-channel.md section 5.5: the offer carries resume when the session asks for it,
// and the gateway's answer is read against it: resume on for a new session...
TEST_P(ControlChannel, AResumeOfferForANewSessionIsAnsweredWithResumeOn) {
  Gateway gateway(gateway_config());
  ASSERT_EQ(start_transport(gateway.ws_url("/echo"), {}, control::ResumeOffer{}), "open control=1");
  const auto answer = probe_->answer();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->resume);
  EXPECT_FALSE(answer->resumed_received);
}

// ...and off from a gateway that does not speak resume (a plain acceptance).
TEST_P(ControlChannel, AResumeOfferAnsweredWithoutResumeOpensWithResumeOff) {
  Gateway gateway(gateway_config({{"resume", false}}));
  ASSERT_EQ(start_transport(gateway.ws_url("/echo"), {}, control::ResumeOffer{}), "open control=1");
  const auto answer = probe_->answer();
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->resume);
  EXPECT_FALSE(answer->resumed_received);
}

// TransportListener::on_transport_writable: sends refused with WouldBlock are followed by one
// writable, once the queue has room again.
TEST_P(ControlChannel, RefusedSendsAreFollowedByOneWritableOnceTheQueueHasRoom) {
  Gateway gateway(gateway_config());
  ASSERT_EQ(start_transport(gateway.ws_url("/echo"),
                            [](ConnectOptions& options) { options.max_queued_messages = 2; }),
            "open control=1");
  const auto results = send_burst({"1", "2", "3", "4"});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_FALSE(results[0]) << results[0].message;
  EXPECT_FALSE(results[1]) << results[1].message;
  EXPECT_EQ(results[2].code, ErrorCode::WouldBlock) << results[2].message;
  EXPECT_EQ(results[3].code, ErrorCode::WouldBlock) << results[3].message;
  auto events = probe_->wait_for_events(4);
  EXPECT_EQ(count_of(events, "writable"), 1u);
  EXPECT_EQ(count_of(events, "text:1") + count_of(events, "text:2"), 2u);
  // Sending works again; no second writable follows, since nothing more was refused.
  ASSERT_FALSE(send_burst({"5"})[0]);
  events = probe_->wait_for_events(5);
  EXPECT_EQ(events.back(), "text:5");
  EXPECT_EQ(count_of(events, "writable"), 1u);
}

TEST_P(ControlChannel, NoWritableComesWithoutARefusedSend) {
  Gateway gateway(gateway_config());
  ASSERT_EQ(start_transport(gateway.ws_url("/echo"),
                            [](ConnectOptions& options) { options.max_queued_messages = 2; }),
            "open control=1");
  const auto results = send_burst({"1", "2"});
  EXPECT_FALSE(results[0]) << results[0].message;
  EXPECT_FALSE(results[1]) << results[1].message;
  ASSERT_EQ(probe_->wait_for_events(3).size(), 3u);
  // A writable owed would have been reported before the echo of what follows the drain.
  ASSERT_FALSE(send_burst({"3"})[0]);
  EXPECT_EQ(probe_->wait_for_events(4),
            (std::vector<std::string>{"open control=1", "text:1", "text:2", "text:3"}));
}

INSTANTIATE_TEST_SUITE_P(Transports, ControlChannel, ::testing::ValuesIn(each_transport),
                         TransportName());

// The native transport alone, against a server that answers the upgrade with an extension the
// client did not offer as it offered it (RFC 6455 section 9.1): the attempt fails with
// ProtocolError naming the header, and the connection never opens.
TEST(ControlChannelNative, AnAnswerThatBreaksTheOfferFailsTheAttemptWithProtocolError) {
  for (const std::string answer :
       {"x-tether-control; v=2", "x-tether-control", "x-tether-control; v=1; w=1",
        "x-tether-control; v=1, x-tether-control; v=1", "x-tether-control; v=1;;"}) {
    std::promise<std::string> request;
    MisbehavingServer server([&](const std::string& request_head) {
      request.set_value(request_head);
      return switching_protocols_head(request_head) + "Sec-WebSocket-Extensions: " + answer +
             "\r\n\r\n";
    });
    Client client;
    EventRecorder recorder(client);
    ASSERT_FALSE(client.connect(trusting_options(server.ws_url("/echo"), TransportPolicy::Native)));
    ASSERT_TRUE(recorder.wait_for_close()) << answer;
    EXPECT_FALSE(recorder.ever_opened()) << answer;
    const auto errors = recorder.errors();
    ASSERT_EQ(errors.size(), 1u) << answer << ": " << recorder.describe_errors();
    EXPECT_EQ(errors[0].code, ErrorCode::ProtocolError) << errors[0].message;
    EXPECT_NE(errors[0].message.find("Sec-WebSocket-Extensions"), std::string::npos)
        << errors[0].message;
    EXPECT_NE(
        request.get_future().get().find("Sec-WebSocket-Extensions: x-tether-control; v=1\r\n"),
        std::string::npos);
  }
}

// The native transport below the session, against a server that answers the upgrade as a test
// scripts it (docs/control-channel.md section 5.5).
class ControlChannelResume : public ControlChannel {
 protected:
  /// Starts a native transport offering `resume` to a server that answers the upgrade with
  /// `answer` in Sec-WebSocket-Extensions; returns the first event, and the request head in
  /// `request_head`.
  std::string start_against(const std::string& answer, const control::ResumeOffer& resume,
                            std::string& request_head) {
    std::promise<std::string> request;
    server_.emplace([&request, answer](const std::string& head) {
      request.set_value(head);
      return switching_protocols_head(head) + "Sec-WebSocket-Extensions: " + answer + "\r\n\r\n";
    });
    std::string first = start_transport(server_->ws_url("/echo"), {}, resume);
    request_head = request.get_future().get();
    return first;
  }

  std::optional<MisbehavingServer> server_;
};

TEST_P(ControlChannelResume, TheOfferCarriesTheSessionToResumeAndTheAnswerSaysItResumed) {
  std::string request_head;
  EXPECT_EQ(start_against("x-tether-control; v=1; resume; received=3",
                          control::ResumeOffer{"0123456789abcdefghij", 7}, request_head),
            "open control=1");
  EXPECT_NE(request_head.find("Sec-WebSocket-Extensions: x-tether-control; v=1; "
                              "resume=0123456789abcdefghij; received=7\r\n"),
            std::string::npos)
      << request_head;
  const auto answer = probe_->answer();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->resume);
  EXPECT_EQ(answer->resumed_received, std::optional<std::uint64_t>(3));
}

TEST_P(ControlChannelResume, ANewResumableSessionIsOfferedAndAccepted) {
  std::string request_head;
  EXPECT_EQ(start_against("x-tether-control; v=1; resume", control::ResumeOffer{}, request_head),
            "open control=1");
  EXPECT_NE(request_head.find("Sec-WebSocket-Extensions: x-tether-control; v=1; resume\r\n"),
            std::string::npos)
      << request_head;
  const auto answer = probe_->answer();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->resume);
  EXPECT_FALSE(answer->resumed_received);
}

TEST_P(ControlChannelResume, AnAnswerWithReceivedWhenNoTokenWasOfferedFailsTheAttempt) {
  std::string request_head;
  const std::string first = start_against("x-tether-control; v=1; resume; received=3",
                                          control::ResumeOffer{}, request_head);
  EXPECT_EQ(first.rfind("failed:", 0), 0u) << first;
  const Error failure = probe_->failure();
  EXPECT_EQ(failure.code, ErrorCode::ProtocolError) << failure.message;
  EXPECT_NE(failure.message.find("Sec-WebSocket-Extensions"), std::string::npos) << failure.message;
  EXPECT_FALSE(probe_->answer());
}

INSTANTIATE_TEST_SUITE_P(Native, ControlChannelResume, ::testing::Values(TransportPolicy::Native),
                         TransportName());

/// A WebSocket peer that accepts one upgrade, then reads nothing until resume_reading(): what the
/// client writes piles up in the kernel's buffers, then in websocketpp's queue. Then it reads and
/// drops everything until the client or the destructor ends the connection. It serves from a
/// thread of its own.
///
/// Thread-safety: every member may be called from any thread.
class PausedPeer {
 public:
  PausedPeer() {
    // A small receive buffer, so that little fills it.
    listener_ = listen_on_loopback(port_, 1, 4096);
    server_ = std::thread([this] { serve(); });
  }

  ~PausedPeer() {
    resume_reading();
    ::shutdown(listener_, SHUT_RDWR);
    if (const int connection = connection_.load(); connection >= 0) {
      ::shutdown(connection, SHUT_RDWR);
    }
    server_.join();
    if (const int connection = connection_.load(); connection >= 0) ::close(connection);
    ::close(listener_);
  }

  PausedPeer(const PausedPeer&) = delete;
  PausedPeer& operator=(const PausedPeer&) = delete;

  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/echo"; }

  void resume_reading() {
    std::call_once(resumed_, [this] { reading_.set_value(); });
  }

 private:
  void serve() {
    const int connection = ::accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    connection_.store(connection);
    std::string head;
    if (!read_request_head(connection, head)) return;
    char buffer[4096];
    const std::string answer = switching_protocols_head(head) + "\r\n";
    ::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
    reading_future_.wait();
    while (::recv(connection, buffer, sizeof buffer, 0) > 0) {
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> connection_{-1};
  std::promise<void> reading_;
  std::shared_future<void> reading_future_ = reading_.get_future().share();
  std::once_flag resumed_;
  std::thread server_;
};

class NativeWritable : public ControlChannel {};

// TransportListener::on_transport_writable against a peer that stops reading: sends from another
// thread than the I/O thread fill the kernel's buffers, then websocketpp's queue, until one is
// refused; once the peer reads again, websocketpp's buffered amount falls, the transport (which
// reads it again every few ms while a send is refused) reports writable, and sending works.
// (A refusal counted before the I/O thread saw websocketpp's writes is lifted before the peer
// reads: most runs refuse against the stall. One writable per refusal is
// RefusedSendsAreFollowedByOneWritableOnceTheQueueHasRoom's: a second fill against a peer that
// reads again races the peer, which under ThreadSanitizer drains as fast as the test sends.)
TEST_P(NativeWritable, ComesOnceAPeerThatStoppedReadingReadsAgain) {
  PausedPeer peer;
  ASSERT_EQ(start_transport(peer.ws_url(),
                            [](ConnectOptions& options) {
                              options.max_queued_bytes = std::size_t{1024} * 1024;
                            }),
            "open control=0");
  const std::string chunk(std::size_t{64} * 1024, 'x');
  // Loopback's socket buffers hold a few MiB; 128 MiB is far beyond them and the bound.
  const auto fill_until_refused = [&] {
    Error refused;
    for (int sent = 0; sent < 2048 && !refused; ++sent) {
      refused = transport_->send(MessageKind::Binary, chunk, nullptr);
    }
    return refused;
  };
  const Error refused = fill_until_refused();
  ASSERT_EQ(refused.code, ErrorCode::WouldBlock) << refused.message;
  peer.resume_reading();
  EXPECT_EQ(probe_->wait_for_events(2), (std::vector<std::string>{"open control=0", "writable"}));
  EXPECT_FALSE(transport_->send(MessageKind::Binary, chunk, nullptr));
}

INSTANTIATE_TEST_SUITE_P(Native, NativeWritable, ::testing::Values(TransportPolicy::Native),
                         TransportName());

// The native transport alone, against a server that breaks the channel after sending a control
// message of a type version 1 does not define (ignored) and an escaped message (delivered
// unescaped): the prefix alone fails the connection with 1002 and ProtocolError.
TEST(ControlChannelNative, AMalformedControlMessageFailsTheConnectionWithProtocolError) {
  const std::string prefix(control::native_prefix);
  MisbehavingServer server([&prefix](const std::string& request_head) {
    return switching_protocols_head(request_head) +
           "Sec-WebSocket-Extensions: x-tether-control; v=1\r\n\r\n" +
           server_frame(0x2, prefix + "\x7F" + "a later version's") + server_frame(0x1, "text") +
           server_frame(0x2, control::escape(prefix + "escaped")) + server_frame(0x2, prefix) +
           server_frame(0x1, "never delivered") +
           // Answers the client's close at once, so that the test need not wait for a timeout.
           server_frame(0x8, std::string("\x03\xe8", 2));
  });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(trusting_options(server.ws_url("/echo"), TransportPolicy::Native)));
  ASSERT_TRUE(recorder.wait_for_close());
  const auto messages = recorder.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].data, "text");
  EXPECT_EQ(messages[1].kind, MessageKind::Binary);
  EXPECT_EQ(messages[1].data, prefix + "escaped");
  const CloseInfo close = recorder.close_info();
  EXPECT_EQ(close.code, 1002);
  EXPECT_FALSE(close.closed_by_peer);
  EXPECT_EQ(close.error.code, ErrorCode::ProtocolError) << close.error.message;
  EXPECT_NE(close.error.message.find("prefix alone"), std::string::npos) << close.error.message;
}

}  // namespace
}  // namespace tether::test
