// tether_client_*: against the bundled gateway over ws and wss, including calls made from inside
// callbacks (send, close, free) and misuse.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "c_test_support.hpp"
#include "tether_test/gateway.hpp"

namespace tether::c_test {
namespace {

class ClientEchoTest : public ::testing::TestWithParam<bool> {
 protected:
  ClientEchoTest() { recorder_.record(client_.get()); }

  std::string echo_url() const {
    return GetParam() ? gateway_.wss_url("/echo") : gateway_.ws_url("/echo");
  }

  void open() {
    auto options = trusting_options(echo_url());
    ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK)
        << tether_client_errmsg(client_.get());
    ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN)) << recorder_.describe_failures();
  }

  test::Gateway gateway_{gateway_config()};
  ClientPtr client_{tether_client_create()};
  Recorder recorder_;
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
  EXPECT_EQ(transport, TETHER_TRANSPORT_NATIVE);
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
  auto options = trusting_options(echo_url());
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  tether_state state = TETHER_STATE_IDLE;
  for (int i = 0; i < 100 && state != TETHER_STATE_OPEN; ++i) {
    std::this_thread::sleep_for(50ms);
    tether_client_state(client_.get(), &state);
  }
  EXPECT_EQ(state, TETHER_STATE_OPEN);
}

INSTANTIATE_TEST_SUITE_P(WsAndWss, ClientEchoTest, ::testing::Values(false, true),
                         [](const auto& parameter) { return parameter.param ? "wss" : "ws"; });

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() { recorder_.record(client_.get()); }

  test::Gateway gateway_{gateway_config()};
  ClientPtr client_{tether_client_create()};
  Recorder recorder_;
};

TEST_F(ClientTest, TheSelectedSubprotocolIsCopiedIntoTheCallersBuffer) {
  test::Gateway gateway{gateway_config({{"subprotocols", {"chat.v2"}}})};
  auto options = trusting_options(gateway.ws_url("/echo"));
  tether_options_add_subprotocol(options.get(), "chat.v2");
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN)) << recorder_.describe_failures();
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

TEST_F(ClientTest, AnUntrustedCertificateIsReportedThroughTheErrorAndCloseCallbacks) {
  OptionsPtr options{tether_options_create()};
  tether_options_set_url(options.get(), gateway_.wss_url("/echo").c_str());
  tether_options_set_tls_ca_file(options.get(), shared_pki().other_ca_cert.c_str());
  tether_options_set_use_proxy_environment(options.get(), 0);
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_EQ(recorder_.failures().size(), 1u);
  EXPECT_EQ(recorder_.failures()[0].code, TETHER_TLS_UNTRUSTED_CERTIFICATE);
  EXPECT_EQ(recorder_.close_info().error, TETHER_TLS_UNTRUSTED_CERTIFICATE);
  EXPECT_EQ(recorder_.close_info().code, 1006u);
  EXPECT_EQ(recorder_.close_info().message, recorder_.failures()[0].message);
}

TEST_F(ClientTest, ARefusedUpgradeCarriesTheHttpStatus) {
  test::Gateway refusing{gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}})};
  auto options = trusting_options(refusing.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  ASSERT_FALSE(recorder_.failures().empty());
  EXPECT_EQ(recorder_.failures()[0].code, TETHER_HANDSHAKE_REJECTED);
  EXPECT_EQ(recorder_.failures()[0].http_status, 403);
  EXPECT_EQ(recorder_.close_info().http_status, 403);
}

TEST_F(ClientTest, ConnectRefusesBadOptionsAndTheWrongStateWithoutCallbacks) {
  auto malformed = trusting_options("http://not-a-websocket/");
  EXPECT_EQ(tether_client_connect(client_.get(), malformed.get()), TETHER_INVALID_ARGUMENT);
  EXPECT_STRNE(tether_client_errmsg(client_.get()), "");
  auto missing_ca = trusting_options(gateway_.wss_url("/echo"));
  tether_options_set_tls_ca_file(missing_ca.get(), "/nonexistent/ca.pem");
  EXPECT_EQ(tether_client_connect(client_.get(), missing_ca.get()), TETHER_TLS_CONFIGURATION);
  EXPECT_EQ(tether_client_connect(client_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_client_errmsg(client_.get()), "options is NULL");

  auto good = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), good.get()), TETHER_OK);
  EXPECT_STREQ(tether_client_errmsg(client_.get()), "");
  EXPECT_EQ(tether_client_connect(client_.get(), good.get()), TETHER_INVALID_STATE);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  EXPECT_TRUE(recorder_.failures().empty());
}

TEST_F(ClientTest, OptionsMayBeFreedRightAfterConnect) {
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  options.reset();
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN)) << recorder_.describe_failures();
}

TEST_F(ClientTest, SendAndCloseOutsideOpenGiveInvalidStateWithAMessage) {
  EXPECT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_INVALID_STATE);
  EXPECT_STRNE(tether_client_errmsg(client_.get()), "");
  EXPECT_EQ(tether_client_send_binary(client_.get(), "x", 1), TETHER_INVALID_STATE);
  EXPECT_EQ(tether_client_send_text(client_.get(), nullptr, 3), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_binary(client_.get(), nullptr, 3), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(client_.get(), 70000, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_FALSE(recorder_.any_callback_within(50ms));
}

TEST_F(ClientTest, AnInvalidCloseCodeIsRefusedWhileOpen) {
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  EXPECT_EQ(tether_client_close(client_.get(), 1005, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(client_.get(), 1000, std::string(200, 'r').c_str()),
            TETHER_INVALID_ARGUMENT);
}

TEST_F(ClientTest, SendingFromInsideTheMessageCallbackWorks) {
  // Each echo is answered from the callback with the next number, up to 50.
  recorder_.on_message = [](tether_client* client, const Recorder::Message& message) {
    const int next = std::stoi(message.data) + 1;
    if (next <= 50) {
      const std::string text = std::to_string(next);
      EXPECT_EQ(tether_client_send_text(client, text.data(), text.size()), TETHER_OK);
    }
  };
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  ASSERT_EQ(tether_client_send_text(client_.get(), "1", 1), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(50));
  EXPECT_EQ(recorder_.messages()[49].data, "50");
}

TEST_F(ClientTest, ClosingFromInsideTheMessageCallbackWorks) {
  recorder_.on_message = [](tether_client* client, const Recorder::Message&) {
    EXPECT_EQ(tether_client_close(client, 4000, "from the callback"), TETHER_OK);
  };
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  ASSERT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_EQ(recorder_.close_info().code, 4000u);
  EXPECT_EQ(recorder_.close_info().error, TETHER_OK);
}

TEST_F(ClientTest, FreeingFromInsideTheMessageCallbackEndsEveryLaterCallback) {
  tether_client* client = client_.release();
  recorder_.on_message = [](tether_client* self, const Recorder::Message&) {
    tether_client_free(self);
  };
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client, options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  for (int i = 0; i < 20; ++i) ASSERT_EQ(tether_client_send_text(client, "x", 1), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_messages(1));
  // The client is gone: no more messages, and no close callback for the freed handle.
  EXPECT_FALSE(recorder_.any_callback_within(300ms));
  EXPECT_EQ(recorder_.messages().size(), 1u);
  EXPECT_EQ(recorder_.closes(), 0u);
  // The gateway saw the connection go and still serves others.
  ClientPtr other{tether_client_create()};
  Recorder other_recorder;
  other_recorder.record(other.get());
  auto again = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(other.get(), again.get()), TETHER_OK);
  EXPECT_TRUE(other_recorder.wait_for_state(TETHER_STATE_OPEN));
}

TEST_F(ClientTest, FreeingFromInsideTheCloseCallbackIsAllowed) {
  tether_client* client = client_.release();
  std::atomic<bool> freed{false};
  recorder_.on_close = [&](tether_client* self) {
    tether_client_free(self);
    freed = true;
  };
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client, options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  ASSERT_EQ(tether_client_close(client, 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  for (int i = 0; i < 100 && !freed; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(freed);
}

TEST_F(ClientTest, FreeingWhileConnectingStopsEveryCallback) {
  test::Gateway slow{gateway_config({{"faults", {{"handshake_delay_ms", 500}}}})};
  auto options = trusting_options(slow.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_CONNECTING));
  client_.reset();
  EXPECT_FALSE(recorder_.any_callback_within(700ms));
}

TEST_F(ClientTest, ACallbackSetToNullIsNoLongerCalled) {
  auto options = trusting_options(gateway_.ws_url("/echo"));
  ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN));
  ASSERT_EQ(tether_client_set_message_callback(client_.get(), nullptr, nullptr), TETHER_OK);
  ASSERT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_OK);
  ASSERT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OK);
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_TRUE(recorder_.messages().empty());
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
  EXPECT_EQ(tether_client_connect(none, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_text(none, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_send_binary(none, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_client_close(none, 1000, nullptr), TETHER_INVALID_ARGUMENT);
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
  size_t length = 99;
  EXPECT_EQ(tether_client_subprotocol(client.get(), buffer, sizeof buffer, &length), TETHER_OK);
  EXPECT_STREQ(buffer, "");
  EXPECT_EQ(length, 0u);
}

}  // namespace
}  // namespace tether::c_test
