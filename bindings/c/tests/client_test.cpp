// tether_client_*: against the bundled gateway over ws and wss, including calls made from inside
// callbacks (send, close, free) and misuse. Every scenario a connection can run runs over both
// transports, native and emulated (docs/emulation.md): the C API behaves the same on each.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include "c_test_support.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

/// Parameterised on the transport and on wss (true) or ws.
class ClientEchoTest : public ::testing::TestWithParam<std::tuple<tether_transport_policy, bool>> {
 protected:
  ClientEchoTest() { recorder_.record(client_.get()); }

  tether_transport_policy policy() const { return std::get<0>(GetParam()); }

  std::string echo_url() const {
    return std::get<1>(GetParam()) ? gateway_.wss_url("/echo") : gateway_.ws_url("/echo");
  }

  void open() {
    ASSERT_TRUE(connect_and_open(client_.get(), trusting_options(echo_url(), policy()), recorder_));
  }

  test::Gateway gateway_{gateway_config()};
  Recorder recorder_;
  ClientPtr client_{tether_client_create()};
};

TEST_P(ClientEchoTest, TextComesBackAsText) {
  open();
  ASSERT_EQ(tether_client_send_text(client_.get(), "hello, gateway", 14), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_EQ(recorder_.messages()[0].kind, TETHER_MESSAGE_TEXT);
  EXPECT_EQ(recorder_.messages()[0].data, "hello, gateway");
}

TEST_P(ClientEchoTest, BinaryWithZeroBytesComesBackIntact) {
  open();
  const char bytes[] = {'\0', '\x01', '\xff', '\0', 'z'};
  ASSERT_EQ(tether_client_send_binary(client_.get(), bytes, sizeof bytes), TETHER_OK);
  ASSERT_EQ(tether_client_send_binary(client_.get(), nullptr, 0), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(2));
  EXPECT_EQ(recorder_.messages()[0].kind, TETHER_MESSAGE_BINARY);
  EXPECT_EQ(recorder_.messages()[0].data, std::string(bytes, sizeof bytes));
  EXPECT_EQ(recorder_.messages()[1].data, "");
}

TEST_P(ClientEchoTest, StateTransportAndCloseAreReported) {
  tether_state state = TETHER_STATE_CLOSED;
  ASSERT_EQ(tether_client_state(client_.get(), &state), TETHER_OK);
  EXPECT_EQ(state, TETHER_STATE_IDLE);
  open();
  tether_transport transport = TETHER_TRANSPORT_NONE;
  ASSERT_EQ(tether_client_transport(client_.get(), &transport), TETHER_OK);
  EXPECT_EQ(transport, transport_of(policy()));
  ASSERT_EQ(tether_client_close(client_.get(), 1000, "bye"), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_EQ(recorder_.states(),
            (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_OPEN,
                                       TETHER_STATE_CLOSING, TETHER_STATE_CLOSED}));
  const auto close = recorder_.close_info();
  EXPECT_EQ(close.code, 1000u);
  EXPECT_EQ(close.error, TETHER_OK);
  EXPECT_EQ(close.message, "");
  EXPECT_FALSE(close.closed_by_peer);
  ASSERT_EQ(tether_client_state(client_.get(), &state), TETHER_OK);
  EXPECT_EQ(state, TETHER_STATE_CLOSED);
  ASSERT_EQ(tether_client_transport(client_.get(), &transport), TETHER_OK);
  EXPECT_EQ(transport, TETHER_TRANSPORT_NONE);
}

TEST_P(ClientEchoTest, AClosedClientConnectsAgain) {
  open();
  ASSERT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  auto options = trusting_options(echo_url(), policy());
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN, 2)) << recorder_.describe_failures();
  tether_state state = TETHER_STATE_IDLE;
  ASSERT_EQ(tether_client_state(client_.get(), &state), TETHER_OK);
  EXPECT_EQ(state, TETHER_STATE_OPEN);
}

TEST_P(ClientEchoTest, PingIsAnsweredWithItsPayload) {
  std::promise<std::string> answered;
  const tether_pong_callback on_pong = [](tether_client*, const void* payload, size_t length,
                                          unsigned long long, void* user) {
    static_cast<std::promise<std::string>*>(user)->set_value(
        std::string(static_cast<const char*>(payload), length));
  };
  ASSERT_EQ(tether_client_set_pong_callback(client_.get(), on_pong, &answered), TETHER_OK);
  const std::string too_long(126, 'x');
  EXPECT_EQ(tether_client_ping(client_.get(), "early", 5), TETHER_INVALID_STATE);
  open();
  EXPECT_EQ(tether_client_ping(client_.get(), too_long.data(), too_long.size()),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_ping(client_.get(), nullptr, 1), TETHER_INVALID_ARGUMENT);
  ASSERT_EQ(tether_client_ping(client_.get(), "ping?", 5), TETHER_OK);
  auto pong = answered.get_future();
  ASSERT_EQ(pong.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(pong.get(), "ping?");
  ASSERT_EQ(tether_client_set_pong_callback(client_.get(), nullptr, nullptr), TETHER_OK);
}

// Needs the transports that number messages (issue 13): before them every number stays 0.
TEST_P(ClientEchoTest, SendsAreNumberedOneTwoThreeWhateverTheirKind) {
  open();
  unsigned long long number = 99;
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "one", 3, &number), TETHER_OK);
  EXPECT_EQ(number, 1u);
  ASSERT_EQ(tether_client_send_binary_numbered(client_.get(), "two", 3, &number), TETHER_OK);
  EXPECT_EQ(number, 2u);
  // An unnumbered send counts all the same.
  ASSERT_EQ(tether_client_send_text(client_.get(), "three", 5), TETHER_OK);
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "four", 4, nullptr), TETHER_OK);
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "five", 4, &number), TETHER_OK);
  EXPECT_EQ(number, 5u);
  ASSERT_TRUE(recorder_.wait_for_messages(5));
  EXPECT_EQ(recorder_.messages()[1].kind, TETHER_MESSAGE_BINARY);
  EXPECT_EQ(recorder_.messages()[4].data, "five");
}

// Needs the transports that number messages (issue 13).
TEST_P(ClientEchoTest, ANewConnectionNumbersFromOneAgain) {
  open();
  unsigned long long number = 0;
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "a", 1, &number), TETHER_OK);
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "b", 1, &number), TETHER_OK);
  EXPECT_EQ(number, 2u);
  ASSERT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  auto options = trusting_options(echo_url(), policy());
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN, 2)) << recorder_.describe_failures();
  ASSERT_EQ(tether_client_send_text_numbered(client_.get(), "c", 1, &number), TETHER_OK);
  EXPECT_EQ(number, 1u);
}

INSTANTIATE_TEST_SUITE_P(Transports, ClientEchoTest,
                         ::testing::Combine(::testing::ValuesIn(each_transport), ::testing::Bool()),
                         [](const auto& parameter) {
                           return transport_name(std::get<0>(parameter.param)) +
                                  (std::get<1>(parameter.param) ? "Wss" : "Ws");
                         });

/// Parameterised on the transport; the connection goes to ws unless a test says otherwise.
class ClientTest : public ::testing::TestWithParam<tether_transport_policy> {
 protected:
  ClientTest() { recorder_.record(client_.get()); }

  OptionsPtr options_for(const std::string& url) const { return trusting_options(url, GetParam()); }

  /// Connects client_ to `url`, the gateway's ws /echo by default, and waits until it is open.
  void open(const std::string& url = {}) {
    ASSERT_TRUE(connect_and_open(
        client_.get(), options_for(url.empty() ? gateway_.ws_url("/echo") : url), recorder_));
  }

  test::Gateway gateway_{gateway_config()};
  Recorder recorder_;
  ClientPtr client_{tether_client_create()};
};

TEST_P(ClientTest, TheSelectedSubprotocolIsCopiedIntoTheCallersBuffer) {
  test::Gateway gateway{gateway_config({{"subprotocols", {"chat.v2"}}})};
  auto options = options_for(gateway.ws_url("/echo"));
  tether_options_add_subprotocol(options.get(), "chat.v2");
  ASSERT_TRUE(connect_and_open(client_.get(), options, recorder_));
  char buffer[32];
  size_t length = 0;
  ASSERT_EQ(tether_client_subprotocol(client_.get(), buffer, sizeof buffer, &length), TETHER_OK);
  EXPECT_STREQ(buffer, "chat.v2");
  EXPECT_EQ(length, 7u);
  char small[7];
  EXPECT_EQ(tether_client_subprotocol(client_.get(), small, sizeof small, &length),
            TETHER_BUFFER_TOO_SMALL);
  EXPECT_EQ(length, 7u);
  EXPECT_NE(std::string(tether_client_errmsg(client_.get())).find("8 bytes"), std::string::npos);
}

TEST_P(ClientTest, AnUntrustedCertificateIsReportedThroughTheErrorAndCloseCallbacks) {
  auto options = options_for(gateway_.wss_url("/echo"));
  tether_options_set_tls_ca_file(options.get(), shared_pki().other_ca_cert.c_str());
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_EQ(recorder_.failures().size(), 1u);
  EXPECT_EQ(recorder_.failures()[0].code, TETHER_TLS_UNTRUSTED_CERTIFICATE)
      << recorder_.describe_failures();
  EXPECT_EQ(recorder_.close_info().error, TETHER_TLS_UNTRUSTED_CERTIFICATE);
  EXPECT_EQ(recorder_.close_info().code, 1006u);
  EXPECT_EQ(recorder_.close_info().message, recorder_.failures()[0].message);
}

TEST_P(ClientTest, TheErrorCallbackReadsAMessageIdOfZeroForAnErrorOfNoMessage) {
  auto options = options_for(gateway_.wss_url("/echo"));
  tether_options_set_tls_ca_file(options.get(), shared_pki().other_ca_cert.c_str());
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_EQ(recorder_.failures().size(), 1u);
  EXPECT_EQ(recorder_.failures()[0].message_id_code, TETHER_OK);
  EXPECT_EQ(recorder_.failures()[0].message_id, 0u);
  // Outside the callback there is no error being reported.
  unsigned long long message_id = 7;
  EXPECT_EQ(tether_client_error_message_id(client_.get(), &message_id), TETHER_INVALID_STATE);
  EXPECT_EQ(message_id, 7u);
}

TEST_P(ClientTest, ConnectRefusesBadOptionsAndTheWrongStateWithoutCallbacks) {
  auto malformed = options_for("http://not-a-websocket/");
  EXPECT_EQ(tether_client_connect(client_.get(), malformed.get()), TETHER_INVALID_ARGUMENT);
  EXPECT_STRNE(tether_client_errmsg(client_.get()), "");
  auto missing_ca = options_for(gateway_.wss_url("/echo"));
  tether_options_set_tls_ca_file(missing_ca.get(), "/nonexistent/ca.pem");
  EXPECT_EQ(tether_client_connect(client_.get(), missing_ca.get()), TETHER_TLS_CONFIGURATION);
  EXPECT_EQ(tether_client_connect(client_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_client_errmsg(client_.get()), "options is NULL");

  auto good = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), good.get()), TETHER_OK);
  EXPECT_STREQ(tether_client_errmsg(client_.get()), "");
  EXPECT_EQ(tether_client_connect(client_.get(), good.get()), TETHER_INVALID_STATE);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  EXPECT_TRUE(recorder_.failures().empty());
}

TEST_P(ClientTest, OptionsMayBeFreedRightAfterConnect) {
  auto options = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  options.reset();
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN)) << recorder_.describe_failures();
}

TEST_P(ClientTest, AnInvalidCloseCodeIsRefusedWhileOpen) {
  open();
  EXPECT_EQ(tether_client_close(client_.get(), 1005, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(client_.get(), 1000, std::string(200, 'r').c_str()),
            TETHER_INVALID_ARGUMENT);
}

TEST_P(ClientTest, ThePeersCloseCodeIsReported) {
  test::Gateway closing{
      gateway_config({{"faults", {{"close_after_messages", 1}, {"close_code", 4001}}}})};
  open(closing.ws_url("/echo"));
  ASSERT_EQ(tether_client_send_text(client_.get(), "only one", 8), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  const auto close = recorder_.close_info();
  EXPECT_EQ(close.code, 4001u);
  EXPECT_TRUE(close.closed_by_peer);
  EXPECT_EQ(close.error, TETHER_OK) << close.message;
  ASSERT_EQ(recorder_.messages().size(), 1u);  // the echo came before the close
  EXPECT_EQ(recorder_.messages()[0].data, "only one");
  EXPECT_EQ(
      recorder_.states(),
      (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_OPEN, TETHER_STATE_CLOSED}));
}

TEST_P(ClientTest, SendingFromInsideTheMessageCallbackWorks) {
  // Each echo is answered from the callback with the next number, up to 50.
  recorder_.on_message = [](tether_client* client, const Recorder::Message& message) {
    const int next = std::stoi(message.data) + 1;
    if (next <= 50) {
      const std::string text = std::to_string(next);
      EXPECT_EQ(tether_client_send_text(client, text.data(), text.size()), TETHER_OK);
    }
  };
  open();
  ASSERT_EQ(tether_client_send_text(client_.get(), "1", 1), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(50));
  EXPECT_EQ(recorder_.messages()[49].data, "50");
}

TEST_P(ClientTest, ClosingFromInsideTheMessageCallbackWorks) {
  recorder_.on_message = [](tether_client* client, const Recorder::Message&) {
    EXPECT_EQ(tether_client_close(client, 4000, "from the callback"), TETHER_OK);
  };
  open();
  ASSERT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_EQ(recorder_.close_info().code, 4000u);
  EXPECT_EQ(recorder_.close_info().error, TETHER_OK);
  EXPECT_FALSE(recorder_.close_info().closed_by_peer);
}

TEST_P(ClientTest, FreeingFromInsideTheMessageCallbackEndsEveryLaterCallback) {
  tether_client* client = client_.release();
  // The sends come from the open callback: no thread may start a call on a client that a
  // callback may free (docs/c-api.md, Threads). 20 echoes are on their way when the first frees.
  recorder_.on_open = [](tether_client* self) {
    for (int i = 0; i < 20; ++i) EXPECT_EQ(tether_client_send_text(self, "x", 1), TETHER_OK);
  };
  recorder_.on_message = [](tether_client* self, const Recorder::Message&) {
    tether_client_free(self);
  };
  auto options = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client, options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  // The client is gone: no more messages, and no close callback for the freed handle.
  EXPECT_FALSE(recorder_.any_callback_within(300ms));
  EXPECT_EQ(recorder_.messages().size(), 1u);
  EXPECT_EQ(recorder_.closes(), 0u);
  // The gateway still serves others.
  Recorder other_recorder;
  ClientPtr other{tether_client_create()};
  other_recorder.record(other.get());
  auto again = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(other.get(), again.get()), TETHER_OK);
  EXPECT_TRUE(other_recorder.wait_for_state(TETHER_STATE_OPEN));
}

TEST_P(ClientTest, FreeingFromInsideTheCloseCallbackIsAllowed) {
  tether_client* client = client_.release();
  std::promise<void> freed;
  recorder_.on_close = [&](tether_client* self) {
    tether_client_free(self);
    freed.set_value();
  };
  auto options = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client, options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  ASSERT_EQ(tether_client_close(client, 1000, nullptr), TETHER_OK);
  EXPECT_EQ(freed.get_future().wait_for(10s), std::future_status::ready);
}

TEST_P(ClientTest, FreeingWhileConnectingStopsEveryCallback) {
  // A server that never answers: without the free, the handshake timeout would fail the
  // connection (error, state and close callbacks) well within the quiet period below.
  test::SilentListener silent;
  auto options = options_for("ws://127.0.0.1:" + std::to_string(silent.port()) + "/echo");
  tether_options_set_handshake_timeout_ms(options.get(), 300);
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_CONNECTING));
  client_.reset();
  EXPECT_FALSE(recorder_.any_callback_within(700ms));
}

TEST_P(ClientTest, ACallbackSetToNullIsNoLongerCalled) {
  open();
  ASSERT_EQ(tether_client_set_message_callback(client_.get(), nullptr, nullptr), TETHER_OK);
  ASSERT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_OK);
  ASSERT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_TRUE(recorder_.messages().empty());
}

/// What the reconnecting and reconnected callbacks reported, copied out of the C structs.
struct ReconnectLog {
  struct Attempt {
    unsigned attempt;
    unsigned long long delay_ms;
    tether_code reason;
    std::string message;
  };

  static void reconnecting(tether_client*, const tether_reconnect_attempt_info* info, void* user) {
    auto& log = *static_cast<ReconnectLog*>(user);
    const std::lock_guard lock(log.mutex);
    log.attempts.push_back({info->attempt, info->delay_ms, info->reason, info->message});
  }
  static void reconnected(tether_client*, const tether_reconnected_info* info, void* user) {
    auto& log = *static_cast<ReconnectLog*>(user);
    const std::lock_guard lock(log.mutex);
    if (!log.reconnected_once) log.reconnected_info.set_value(*info);
    log.reconnected_once = true;
  }

  std::vector<Attempt> attempts_so_far() {
    const std::lock_guard lock(mutex);
    return attempts;
  }

  std::mutex mutex;
  std::vector<Attempt> attempts;
  bool reconnected_once = false;
  std::promise<tether_reconnected_info> reconnected_info;
};

TEST_P(ClientTest, ADroppedConnectionReconnectsThroughTheReconnectingAndReconnectedCallbacks) {
  ReconnectLog log;
  ASSERT_EQ(
      tether_client_set_reconnecting_callback(client_.get(), ReconnectLog::reconnecting, &log),
      TETHER_OK);
  ASSERT_EQ(tether_client_set_reconnected_callback(client_.get(), ReconnectLog::reconnected, &log),
            TETHER_OK);
  auto options = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_options_set_reconnect(options.get(), 1), TETHER_OK);
  ASSERT_EQ(tether_options_set_reconnect_initial_delay_ms(options.get(), 50), TETHER_OK);
  ASSERT_EQ(tether_options_set_reconnect_max_delay_ms(options.get(), 200), TETHER_OK);
  ASSERT_TRUE(connect_and_open(client_.get(), options, recorder_));
  // The gateway's resume token comes before any echo: once one is back, the session can resume.
  ASSERT_EQ(tether_client_send_text(client_.get(), "before the drop", 15), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(1));

  EXPECT_EQ(gateway_.control("drop_connections").at("connections_dropped"), 1);
  auto reconnected = log.reconnected_info.get_future();
  ASSERT_EQ(reconnected.wait_for(20s), std::future_status::ready) << recorder_.describe_failures();
  const tether_reconnected_info info = reconnected.get();
  EXPECT_EQ(info.resumed, 1) << "the bundled gateway resumes sessions";
  EXPECT_EQ(info.first_unconfirmed, 0u);
  EXPECT_EQ(info.last_unconfirmed, 0u);
  EXPECT_GE(info.attempts, 1u);
  EXPECT_EQ(info.transport, transport_of(GetParam()));
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN, 2));

  const auto attempts = log.attempts_so_far();
  ASSERT_FALSE(attempts.empty());
  EXPECT_EQ(attempts[0].attempt, 1u);
  EXPECT_LE(attempts[0].delay_ms, 200u);
  EXPECT_NE(attempts[0].reason, TETHER_OK);
  EXPECT_FALSE(attempts[0].message.empty());
  const auto states = recorder_.states();
  EXPECT_NE(std::find(states.begin(), states.end(), TETHER_STATE_RECONNECTING), states.end());
  EXPECT_EQ(recorder_.closes(), 0u);

  ASSERT_EQ(tether_client_send_text(client_.get(), "after the drop", 14), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(2));
  EXPECT_EQ(recorder_.messages().size(), 2u);
  EXPECT_EQ(recorder_.messages().back().data, "after the drop");
}

TEST_P(ClientTest, TheWritableCallbackFollowsAWouldBlock) {
  std::promise<void> writable;
  const tether_writable_callback on_writable = [](tether_client*, void* user) {
    static_cast<std::promise<void>*>(user)->set_value();
  };
  ASSERT_EQ(tether_client_set_writable_callback(client_.get(), on_writable, &writable), TETHER_OK);
  auto options = options_for(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_options_set_max_queued_messages(options.get(), 1), TETHER_OK);
  ASSERT_TRUE(connect_and_open(client_.get(), options, recorder_));
  const std::string message(64 * 1024, 'x');
  tether_code code = TETHER_OK;
  for (int sent = 0; sent < 10000 && code == TETHER_OK; ++sent) {
    code = tether_client_send_text(client_.get(), message.data(), message.size());
  }
  ASSERT_EQ(code, TETHER_WOULD_BLOCK);
  EXPECT_EQ(writable.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(tether_client_set_writable_callback(client_.get(), nullptr, nullptr), TETHER_OK);
}

INSTANTIATE_TEST_SUITE_P(Transports, ClientTest, ::testing::ValuesIn(each_transport),
                         [](const auto& parameter) { return transport_name(parameter.param); });

/// tether_options_set_transport against a gateway that refuses every native upgrade, as a proxy
/// or firewall that breaks WebSocket does (docs/emulation.md section 11).
class ClientTransportPolicyTest : public ::testing::Test {
 protected:
  ClientTransportPolicyTest() { recorder_.record(client_.get()); }

  /// Options for the refusing gateway that remember in `memory`, once a first connection with
  /// them (client_'s, closed again) fell back: the memory then remembers the gateway.
  OptionsPtr options_after_a_fallback(tether_fallback_memory* memory) {
    auto options = trusting_options(refusing_.ws_url("/echo"));
    EXPECT_EQ(tether_options_set_fallback_memory(options.get(), memory), TETHER_OK);
    EXPECT_TRUE(connect_and_open(client_.get(), options, recorder_));
    EXPECT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
    EXPECT_TRUE(recorder_.wait_for_close());
    return options;
  }

  test::Gateway refusing_{gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}})};
  Recorder recorder_;
  ClientPtr client_{tether_client_create()};
};

TEST_F(ClientTransportPolicyTest, AutoGoesOnOverTheEmulationAndEchoes) {
  // AUTO, the default.
  ASSERT_TRUE(
      connect_and_open(client_.get(), trusting_options(refusing_.ws_url("/echo")), recorder_));
  tether_transport transport = TETHER_TRANSPORT_NONE;
  ASSERT_EQ(tether_client_transport(client_.get(), &transport), TETHER_OK);
  EXPECT_EQ(transport, TETHER_TRANSPORT_EMULATED);
  ASSERT_EQ(tether_client_send_text(client_.get(), "after the fallback", 18), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  EXPECT_EQ(recorder_.messages()[0].data, "after the fallback");
  ASSERT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  // The native refusal is no error: the application sees one ordinary connection.
  EXPECT_TRUE(recorder_.failures().empty()) << recorder_.describe_failures();
  EXPECT_EQ(recorder_.states(),
            (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_OPEN,
                                       TETHER_STATE_CLOSING, TETHER_STATE_CLOSED}));
  EXPECT_EQ(recorder_.close_info().error, TETHER_OK);
  EXPECT_EQ(refusing_.stats().at("emulated_sessions_created"), 1);
}

TEST_F(ClientTransportPolicyTest, NativeReportsTheRefusedUpgradeWithItsHttpStatus) {
  auto options = trusting_options(refusing_.ws_url("/echo"), TETHER_TRANSPORT_POLICY_NATIVE);
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_EQ(recorder_.failures().size(), 1u) << recorder_.describe_failures();
  EXPECT_EQ(recorder_.failures()[0].code, TETHER_HANDSHAKE_REJECTED);
  EXPECT_EQ(recorder_.failures()[0].http_status, 403);
  EXPECT_EQ(recorder_.close_info().error, TETHER_HANDSHAKE_REJECTED);
  EXPECT_EQ(recorder_.close_info().http_status, 403);
  EXPECT_EQ(recorder_.states(),
            (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_CLOSED}));
  EXPECT_EQ(refusing_.stats().at("emulated_sessions_created"), 0);
}

std::string read_text(const std::string& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST_F(ClientTransportPolicyTest, AFallbackIsRememberedSavedAndLoadedIntoAnotherProcess) {
  FallbackMemoryPtr memory{tether_fallback_memory_create()};
  auto options = options_after_a_fallback(memory.get());
  ASSERT_FALSE(HasFailure());
  const test::TempDir directory;
  const auto path = (directory.path() / "fallback").string();
  ASSERT_EQ(tether_fallback_memory_save(memory.get(), path.c_str()), TETHER_OK)
      << tether_fallback_memory_errmsg(memory.get());
  EXPECT_NE(read_text(path).find(" 127.0.0.1:" + std::to_string(refusing_.ws_port()) + "\n"),
            std::string::npos)
      << read_text(path);

  // As another run of the application would: a memory loaded from the file. Upgrades now hang
  // and the race is off, so a native attempt first would cost the whole handshake timeout.
  refusing_.control("hang_upgrades");
  FallbackMemoryPtr loaded{tether_fallback_memory_create()};
  ASSERT_EQ(tether_fallback_memory_load(loaded.get(), path.c_str()), TETHER_OK)
      << tether_fallback_memory_errmsg(loaded.get());
  ASSERT_EQ(tether_options_set_fallback_memory(options.get(), loaded.get()), TETHER_OK);
  ASSERT_EQ(tether_options_set_fallback_race_delay_ms(options.get(), 0), TETHER_OK);
  ASSERT_EQ(tether_options_set_handshake_timeout_ms(options.get(), 10000), TETHER_OK);
  loaded.reset();  // the options keep it
  Recorder again;
  ClientPtr client{tether_client_create()};
  again.record(client.get());
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(connect_and_open(client.get(), options, again));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  tether_transport transport = TETHER_TRANSPORT_NONE;
  ASSERT_EQ(tether_client_transport(client.get(), &transport), TETHER_OK);
  EXPECT_EQ(transport, TETHER_TRANSPORT_EMULATED);
  EXPECT_EQ(refusing_.stats().at("emulated_sessions_created"), 2);
}

TEST_F(ClientTransportPolicyTest, RememberForZeroKeepsNothingInTheMemory) {
  FallbackMemoryPtr memory{tether_fallback_memory_create()};
  auto options = trusting_options(refusing_.ws_url("/echo"));
  ASSERT_EQ(tether_options_set_fallback_memory(options.get(), memory.get()), TETHER_OK);
  ASSERT_EQ(tether_options_set_fallback_remember_for_ms(options.get(), 0), TETHER_OK);
  ASSERT_TRUE(connect_and_open(client_.get(), options, recorder_));
  const test::TempDir directory;
  const auto path = (directory.path() / "fallback").string();
  ASSERT_EQ(tether_fallback_memory_save(memory.get(), path.c_str()), TETHER_OK);
  EXPECT_EQ(read_text(path).find("127.0.0.1"), std::string::npos) << read_text(path);
}

/// What the transport callback reported, copied out of the C struct.
class TransportLog {
 public:
  struct Change {
    tether_transport transport;
    tether_code reason;
    std::string message;
  };

  static void changed(tether_client*, const tether_transport_change_info* info, void* user) {
    auto& log = *static_cast<TransportLog*>(user);
    {
      const std::lock_guard lock(log.mutex_);
      log.changes_.push_back({info->transport, info->reason, info->message});
    }
    log.changed_.notify_all();
  }

  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return changes_.size() >= count; });
  }

  std::vector<Change> changes() const {
    const std::lock_guard lock(mutex_);
    return changes_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Change> changes_;
};

TEST_F(ClientTransportPolicyTest, TheTransportCallbackReportsTheUpgradeInPlaceOnce) {
  FallbackMemoryPtr memory{tether_fallback_memory_create()};
  auto options = options_after_a_fallback(memory.get());
  ASSERT_FALSE(HasFailure());

  // The WebSocket gets through again: the next connection starts emulated, as remembered, and
  // moves to it once the background probe passes, since it resumes.
  refusing_.control("allow_upgrades");
  ASSERT_EQ(tether_options_set_reconnect(options.get(), 1), TETHER_OK);
  TransportLog log;
  Recorder recorder;
  ClientPtr client{tether_client_create()};
  recorder.record(client.get());
  ASSERT_EQ(tether_client_set_transport_callback(client.get(), TransportLog::changed, &log),
            TETHER_OK);
  ASSERT_TRUE(connect_and_open(client.get(), options, recorder));
  ASSERT_TRUE(log.wait_for(2, 10s)) << log.changes().size() << " transport callbacks";
  tether_transport transport = TETHER_TRANSPORT_NONE;
  ASSERT_EQ(tether_client_transport(client.get(), &transport), TETHER_OK);
  EXPECT_EQ(transport, TETHER_TRANSPORT_NATIVE);
  ASSERT_EQ(tether_client_send_text(client.get(), "after the upgrade", 17), TETHER_OK);
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(recorder.messages()[0].data, "after the upgrade");
  ASSERT_EQ(tether_client_close(client.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder.wait_for_close());

  // The start on the emulation, then the move, once; neither is an error.
  const auto changes = log.changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].transport, TETHER_TRANSPORT_EMULATED);
  EXPECT_EQ(changes[0].reason, TETHER_OK);
  EXPECT_EQ(changes[1].transport, TETHER_TRANSPORT_NATIVE);
  EXPECT_EQ(changes[1].reason, TETHER_OK);
  EXPECT_NE(changes[1].message.find("FallbackOptions::upgrade"), std::string::npos)
      << changes[1].message;
  EXPECT_TRUE(recorder.failures().empty()) << recorder.describe_failures();
  EXPECT_EQ(recorder.states(),
            (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_OPEN,
                                       TETHER_STATE_CLOSING, TETHER_STATE_CLOSED}));
  EXPECT_EQ(refusing_.stats().at("sessions_resumed"), 1);
}

TEST(ClientMisuse, SendAndCloseOutsideOpenGiveInvalidStateWithAMessage) {
  Recorder recorder;
  ClientPtr client{tether_client_create()};
  recorder.record(client.get());
  EXPECT_EQ(tether_client_send_text(client.get(), "x", 1), TETHER_INVALID_STATE);
  EXPECT_STRNE(tether_client_errmsg(client.get()), "");
  EXPECT_EQ(tether_client_send_binary(client.get(), "x", 1), TETHER_INVALID_STATE);
  EXPECT_EQ(tether_client_send_text(client.get(), nullptr, 3), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_binary(client.get(), nullptr, 3), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(client.get(), 70000, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_FALSE(recorder.any_callback_within(50ms));
}

TEST(ClientMisuse, ANumberedSendThatFailsGivesNumberZero) {
  ClientPtr client{tether_client_create()};
  unsigned long long number = 99;
  EXPECT_EQ(tether_client_send_text_numbered(client.get(), "x", 1, &number), TETHER_INVALID_STATE);
  EXPECT_EQ(number, 0u);
  EXPECT_STRNE(tether_client_errmsg(client.get()), "");
  number = 99;
  EXPECT_EQ(tether_client_send_binary_numbered(client.get(), "x", 1, &number),
            TETHER_INVALID_STATE);
  EXPECT_EQ(number, 0u);
  number = 99;
  EXPECT_EQ(tether_client_send_binary_numbered(client.get(), nullptr, 1, &number),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(number, 0u);
}

TEST(ClientMisuse, TheRevalidationCallbackIsSetAndRemovedLikeTheOthers) {
  ClientPtr client{tether_client_create()};
  const tether_revalidation_callback on_revalidation =
      [](tether_client*, const tether_revalidation_info*, void*) {};
  EXPECT_EQ(tether_client_set_revalidation_callback(client.get(), on_revalidation, nullptr),
            TETHER_OK);
  EXPECT_EQ(tether_client_set_revalidation_callback(client.get(), nullptr, nullptr), TETHER_OK);
}

TEST(ClientMisuse, TheReconnectAndWritableCallbacksAreSetAndRemovedLikeTheOthers) {
  ClientPtr client{tether_client_create()};
  const tether_reconnecting_callback on_reconnecting =
      [](tether_client*, const tether_reconnect_attempt_info*, void*) {};
  const tether_reconnected_callback on_reconnected = [](tether_client*,
                                                        const tether_reconnected_info*, void*) {};
  const tether_writable_callback on_writable = [](tether_client*, void*) {};
  EXPECT_EQ(tether_client_set_reconnecting_callback(client.get(), on_reconnecting, nullptr),
            TETHER_OK);
  EXPECT_EQ(tether_client_set_reconnected_callback(client.get(), on_reconnected, nullptr),
            TETHER_OK);
  EXPECT_EQ(tether_client_set_writable_callback(client.get(), on_writable, nullptr), TETHER_OK);
  EXPECT_EQ(tether_client_set_reconnecting_callback(client.get(), nullptr, nullptr), TETHER_OK);
  EXPECT_EQ(tether_client_set_reconnected_callback(client.get(), nullptr, nullptr), TETHER_OK);
  EXPECT_EQ(tether_client_set_writable_callback(client.get(), nullptr, nullptr), TETHER_OK);
}

TEST(ClientMisuse, TheTransportCallbackIsSetAndRemovedLikeTheOthers) {
  ClientPtr client{tether_client_create()};
  const tether_transport_callback on_transport = [](tether_client*,
                                                    const tether_transport_change_info*, void*) {};
  EXPECT_EQ(tether_client_set_transport_callback(client.get(), on_transport, nullptr), TETHER_OK);
  EXPECT_EQ(tether_client_set_transport_callback(client.get(), nullptr, nullptr), TETHER_OK);
}

TEST(ClientMisuse, ANullClientGivesCodesAndNeverCrashes) {
  tether_client* none = nullptr;
  tether_state state;
  tether_transport transport;
  char buffer[8];
  EXPECT_EQ(tether_client_set_state_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_message_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_error_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_close_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_pong_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_revalidation_callback(none, nullptr, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_reconnecting_callback(none, nullptr, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_reconnected_callback(none, nullptr, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_writable_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_set_transport_callback(none, nullptr, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_connect(none, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_text(none, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_binary(none, "x", 1), TETHER_INVALID_ARGUMENT);
  unsigned long long number = 99;
  EXPECT_EQ(tether_client_send_text_numbered(none, "x", 1, &number), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(number, 0u);
  EXPECT_EQ(tether_client_send_binary_numbered(none, "x", 1, &number), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_error_message_id(none, &number), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(none, 1000, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_ping(none, nullptr, 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_state(none, &state), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_transport(none, &transport), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_subprotocol(none, buffer, sizeof buffer, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_client_errmsg(none), "the tether_client is NULL");
  tether_client_free(none);

  ClientPtr client{tether_client_create()};
  EXPECT_EQ(tether_client_state(client.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_transport(client.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_subprotocol(client.get(), nullptr, 4, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_error_message_id(client.get(), nullptr), TETHER_INVALID_ARGUMENT);
  size_t length = 99;
  EXPECT_EQ(tether_client_subprotocol(client.get(), buffer, sizeof buffer, &length), TETHER_OK);
  EXPECT_STREQ(buffer, "");
  EXPECT_EQ(length, 0u);
}

}  // namespace
}  // namespace tether::c_test
