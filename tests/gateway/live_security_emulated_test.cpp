// Live-session security over the emulated transport (docs/gateway.md "Live-session security",
// docs/control-channel.md section 3.2): the same policy as natively, its control messages in
// CONTROL frames.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "control/control_codec.hpp"
#include "control/control_negotiation.hpp"
#include "emulation_test_client.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/http_request.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::gateway::test {
namespace {

using nlohmann::json;
using ::testing::StartsWith;
using tether::test::Gateway;
using tether::test::http_request;
using tether::test::TempDir;

constexpr auto alice_basic = "Basic YWxpY2U6c2VjcmV0";  // base64("alice:secret")

// The next control message of type Message on downstream, skipping other frames; nullopt when
// the response ends or nothing comes first. A CLOSE is reported in close_code.
template <class Message>
std::optional<Message> next_control(DownstreamReader& downstream,
                                    std::optional<std::uint16_t>* close_code = nullptr) {
  while (const auto frame = downstream.next_non_nop()) {
    if (frame->type == FrameType::Close && close_code) {
      tether::transport::emulated::ClosePayload close;
      if (!tether::transport::emulated::decode_close_payload(frame->payload, close)) {
        *close_code = close.code;
      }
      return std::nullopt;
    }
    if (frame->type != FrameType::Control) continue;
    std::optional<control::ControlMessage> message;
    if (control::decode_control_message(frame->payload, message) || !message) {
      ADD_FAILURE() << "a malformed or unknown control message came";
      return std::nullopt;
    }
    if (const auto* typed = std::get_if<Message>(&*message)) return *typed;
  }
  return std::nullopt;
}

std::size_t revalidate_all(const Gateway& gateway) {
  const auto response = http_request(gateway.ws_port(), "POST", "/_control",
                                     {{"Tether-Control-Secret", gateway.control_secret()}},
                                     json{{"action", "revalidate"}}.dump());
  EXPECT_EQ(response.status, 200U) << response.body;
  return json::parse(response.body).value("revalidations_requested", std::size_t{0});
}

class GatewayEmulatedLiveSecurity : public ::testing::Test {
 protected:
  GatewayEmulatedLiveSecurity() {
    tether::test::write_users_file(users_file_, {{"alice", "secret"}});
  }

  json config(json service = json::object(), json rights = json::object()) const {
    service["schemes"] = {"basic"};
    return {{"auth", {{"users_file", users_file_}}},
            {"services", {{"/echo", service}}},
            {"rights", rights}};
  }

  // alice's session on /echo, created with the control channel.
  static EmulationTestClient alice_session(const Gateway& gateway) {
    EmulationTestClient client(gateway.ws_port(), "/echo", {{"Authorization", alice_basic}});
    const auto created = client.create({{"Tether-Extensions", control::extension_offer()}});
    EXPECT_EQ(created.status, 201U);
    EXPECT_EQ(created.header_values("Tether-Extensions"),
              std::vector<std::string>{"x-tether-control; v=1"});
    return client;
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(GatewayEmulatedLiveSecurity, ARefusedSendIsDeniedInACONTROLFrame) {
  Gateway gateway(config({}, {{"alice", {{"/echo", {{"send", false}}}}}}));
  auto alice = alice_session(gateway);
  auto downstream = alice.downstream();
  ASSERT_EQ(alice.upstream(encode_frames({{FrameType::Text, 1, "refused"}})).status, 204U);
  const auto denied = next_control<control::Denied>(downstream);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->operation, control::Operation::Send);
  EXPECT_EQ(denied->message_id, 1U);
  EXPECT_EQ(denied->reason, "alice may not send on /echo");
}

TEST_F(GatewayEmulatedLiveSecurity, RevalidateAsksAndTheUrlAnswers204) {
  Gateway gateway(config());
  auto alice = alice_session(gateway);
  auto downstream = alice.downstream();
  ASSERT_TRUE(downstream.read_header());
  ASSERT_EQ(revalidate_all(gateway), 1U);
  const auto request = next_control<control::Revalidate>(downstream);
  ASSERT_TRUE(request);
  EXPECT_THAT(request->url, StartsWith("/echo/;r/"));
  EXPECT_EQ(
      http_request(gateway.ws_port(), "GET", request->url, {{"Authorization", alice_basic}}).status,
      204U);
  EXPECT_EQ(gateway.stats().at("revalidations_succeeded"), 1);
}

TEST_F(GatewayEmulatedLiveSecurity, TheGraceExpiryEndsTheSessionWithClose4401) {
  Gateway gateway(config({{"revalidate_grace_s", 0.3}}));
  auto alice = alice_session(gateway);
  auto downstream = alice.downstream();
  ASSERT_TRUE(downstream.read_header());
  ASSERT_EQ(revalidate_all(gateway), 1U);
  ASSERT_TRUE(next_control<control::Revalidate>(downstream));
  std::optional<std::uint16_t> close_code;
  EXPECT_FALSE(next_control<control::Revalidate>(downstream, &close_code));
  EXPECT_EQ(close_code, 4401);
  EXPECT_EQ(gateway.stats().at("revalidation_deadlines_expired"), 1);
}

TEST_F(GatewayEmulatedLiveSecurity, AnExpiringBearerTokenIsRevalidatedAndTheSessionGoesOn) {
  auto settings = config();
  settings["services"]["/echo"]["schemes"] = {"bearer"};
  settings["auth"]["token_lifetime_ms"] = 300;
  Gateway gateway(settings);
  const auto bearer = [&] {
    const auto response =
        tether::test::post_form(gateway.ws_port(), "/token", "username=alice&password=secret");
    return "Bearer " + json::parse(response.body).value("access_token", "");
  };
  EmulationTestClient alice(gateway.ws_port(), "/echo");
  const auto first = bearer();
  ASSERT_EQ(
      alice.create({{"Tether-Extensions", control::extension_offer()}, {"Authorization", first}})
          .status,
      201U);
  auto downstream = alice.downstream(0, false, {{"Authorization", first}});
  const auto request = next_control<control::Revalidate>(downstream);
  ASSERT_TRUE(request) << "the token's expiry asks, rather than ending the session";
  const auto fresh = bearer();
  ASSERT_EQ(http_request(gateway.ws_port(), "GET", request->url, {{"Authorization", fresh}}).status,
            204U);
  // The session's requests carry whichever token the client has: the expired one until the
  // revalidation settled a fresh one, so that messages flow meanwhile.
  ASSERT_EQ(
      alice.upstream(encode_frames({{FrameType::Text, 1, "before"}}), 0, {{"Authorization", first}})
          .status,
      204U);
  ASSERT_EQ(
      alice.upstream(encode_frames({{FrameType::Text, 2, "after"}}), 0, {{"Authorization", fresh}})
          .status,
      204U);
  for (const char* expected : {"before", "after"}) {
    std::optional<Frame> echoed;
    while ((echoed = downstream.next_non_nop()) && echoed->type == FrameType::Control) {
    }
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->type, FrameType::Text);
    EXPECT_EQ(echoed->payload, expected);
  }
  EXPECT_EQ(gateway.stats().at("emulated_sessions_expired"), 0);
}

}  // namespace
}  // namespace tether::gateway::test
