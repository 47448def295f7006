// The control channel on the gateway's native connections (docs/control-channel.md sections 2
// and 3.1), checked with the independent Beast client: the 101 answers the extension only when
// it is offered and enabled, a malformed offer is answered 400, escaped messages are unescaped,
// control messages are counted and kept from the service's messages, and a malformed one closes
// the connection with 1002.

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "control/control_message.hpp"
#include "control/native_framing.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/gateway_stats_wait.hpp"
#include "websocket_test_client.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using tether::test::Gateway;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

const std::string offer = "x-tether-control; v=1";

HandshakeOptions offering(const std::string& extensions) {
  return {{}, {}, {{"Sec-WebSocket-Extensions", extensions}}};
}

WebSocketTestClient connect_echo(const Gateway& gateway, const HandshakeOptions& options) {
  auto client = WebSocketTestClient::connect(gateway.ws_port(), "/echo", options);
  EXPECT_FALSE(client.handshake_error()) << client.handshake_error().message();
  return client;
}

std::string revalidation_result() {
  std::string encoded;
  const control::RevalidationResult result{7, control::RevalidationOutcome::Succeeded, 204};
  EXPECT_FALSE(control::append_native_control_message(encoded, result));
  return encoded;
}

// A binary message that imitates the prefix, for the application: the wire carries it escaped.
const std::string imitation = std::string(control::native_prefix) + "payload";

TEST(GatewayControlChannel, TheUpgradeAnswersTheExtensionWhenOffered) {
  Gateway gateway;
  auto client = connect_echo(gateway, offering("permessage-foo, " + offer));
  EXPECT_EQ(field_values(client.response(), http::field::sec_websocket_extensions),
            std::vector<std::string>{offer});
}

TEST(GatewayControlChannel, TheUpgradeLeavesTheExtensionOutWhenNotOffered) {
  Gateway gateway;
  auto client = connect_echo(gateway, {});
  EXPECT_TRUE(field_values(client.response(), http::field::sec_websocket_extensions).empty());
}

TEST(GatewayControlChannel, TheUpgradeDeclinesAVersionItDoesNotSpeak) {
  Gateway gateway;
  auto client = connect_echo(gateway, offering("x-tether-control; v=2"));
  EXPECT_TRUE(field_values(client.response(), http::field::sec_websocket_extensions).empty());
}

TEST(GatewayControlChannel, AGatewayWithTheChannelOffLeavesTheExtensionOut) {
  Gateway gateway(json{{"control_channel", false}});
  auto client = connect_echo(gateway, offering(offer));
  EXPECT_TRUE(field_values(client.response(), http::field::sec_websocket_extensions).empty());
}

TEST(GatewayControlChannel, AMalformedListOfOffersIsAnswered400) {
  Gateway gateway;
  auto client =
      WebSocketTestClient::connect(gateway.ws_port(), "/echo", offering("x-tether-control; v=1;;"));
  EXPECT_TRUE(client.handshake_error());
  EXPECT_EQ(client.response().result_int(), 400);
  EXPECT_EQ(gateway.stats().at("upgrades_refused").value("400", 0), 1);
}

// /echo's on_control returns the control message, in its place among the echoes.
TEST(GatewayControlChannel, AControlMessageReachesTheServiceNotAsAMessage) {
  Gateway gateway;
  auto client = connect_echo(gateway, offering(offer));
  ASSERT_FALSE(client.write("before", true));
  ASSERT_FALSE(client.write(revalidation_result(), false));
  ASSERT_FALSE(client.write("after", true));
  for (const std::string& expected :
       {std::string("before"), revalidation_result(), std::string("after")}) {
    const auto echoed = client.read();
    ASSERT_FALSE(echoed.error) << echoed.error.message();
    EXPECT_EQ(echoed.payload, expected);
  }
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 1);
  EXPECT_EQ(stats.at("control_messages_sent"), 1);
  EXPECT_EQ(stats.at("messages_received"), 2);
}

TEST(GatewayControlChannel, AnEscapedMessageIsAnApplicationMessageAndIsEscapedBack) {
  Gateway gateway;
  auto client = connect_echo(gateway, offering(offer));
  ASSERT_FALSE(client.write(control::escape(imitation), false));
  const auto echoed = client.read();
  ASSERT_FALSE(echoed.error) << echoed.error.message();
  EXPECT_EQ(echoed.payload, control::escape(imitation));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 0);
  EXPECT_EQ(stats.at("messages_received"), 1);
}

TEST(GatewayControlChannel, WithoutTheChannelNothingIsReadAsControlOrEscaped) {
  Gateway gateway;
  auto client = connect_echo(gateway, {});
  ASSERT_FALSE(client.write(imitation, false));
  ASSERT_FALSE(client.write(revalidation_result(), false));
  EXPECT_EQ(client.read().payload, imitation);
  EXPECT_EQ(client.read().payload, revalidation_result());
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("control_messages_received"), 0);
  EXPECT_EQ(stats.at("messages_received"), 2);
}

// Section 3.1: the prefix alone, an escape of what needed none, a control message cut short.
TEST(GatewayControlChannel, AMalformedControlMessageClosesTheConnectionWith1002) {
  const std::string cut_short = revalidation_result().substr(0, 8);
  for (const std::string& malformed :
       {std::string(control::native_prefix), std::string(control::native_prefix) + '\0' + "plain",
        cut_short}) {
    Gateway gateway;
    auto client = connect_echo(gateway, offering(offer));
    ASSERT_FALSE(client.write(malformed, false));
    EXPECT_EQ(client.read().error, websocket::error::closed);
    EXPECT_EQ(client.close_reason().code, websocket::close_code::protocol_error);
    EXPECT_EQ(gateway.stats().at("messages_received"), 0);
  }
}

}  // namespace
}  // namespace tether::gateway::test
