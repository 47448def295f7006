// docs/emulation.md sections 2 and 4: the URLs of the emulation requests and the 201 to create.
#include "transport/emulated/emulation_requests.hpp"

#include <gtest/gtest.h>

namespace tether::transport::emulated {
namespace {

http::Url websocket(std::string_view text) {
  http::Url url;
  EXPECT_FALSE(http::parse_url(text, http::UrlKind::WebSocket, url));
  return url;
}

TEST(EmulationUrl, WssBecomesHttpsWithTheCreateTargetUnderThePath) {
  const http::Url url =
      emulation_url(websocket("wss://gateway.example:8443/echo"), EmulationRequest::Create, 0);
  EXPECT_EQ(url.to_string(), "https://gateway.example:8443/echo/;e/create");
}

TEST(EmulationUrl, OneTrailingSlashOfThePathIsDropped) {
  EXPECT_EQ(emulation_url(websocket("ws://h/echo/"), EmulationRequest::Create, 0).target,
            "/echo/;e/create");
  EXPECT_EQ(emulation_url(websocket("ws://h/"), EmulationRequest::Create, 0).target, "/;e/create");
  EXPECT_EQ(emulation_url(websocket("ws://h"), EmulationRequest::Create, 0).target, "/;e/create");
}

TEST(EmulationUrl, TheQueryGoesOnCreateOnly) {
  const http::Url ws = websocket("ws://h:81/a/b?tenant=blue&x=1");
  EXPECT_EQ(emulation_url(ws, EmulationRequest::Create, 0).to_string(),
            "http://h:81/a/b/;e/create?tenant=blue&x=1");
  EXPECT_EQ(emulation_url(ws, EmulationRequest::Downstream, 3).target, "/a/b/;e/down?n=3");
  EXPECT_EQ(emulation_url(ws, EmulationRequest::Upstream, 12).target, "/a/b/;e/up?n=12");
}

TEST(SessionToken, SixteenToOneHundredTwentyEightUrlSafeCharacters) {
  EXPECT_TRUE(is_valid_session_token("abcdefghijklmnop"));
  EXPECT_TRUE(is_valid_session_token(std::string(128, 'Z')));
  EXPECT_TRUE(is_valid_session_token("A-_09zzzzzzzzzzz"));
  EXPECT_FALSE(is_valid_session_token("abcdefghijklmno"));
  EXPECT_FALSE(is_valid_session_token(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_session_token("abcdefghijklmno="));
  EXPECT_FALSE(is_valid_session_token("abcdefgh ijklmnop"));
  EXPECT_FALSE(is_valid_session_token("abcdefgh/ijklmnop"));
}

http::Response created(std::vector<std::pair<std::string, std::string>> headers) {
  http::Response response;
  response.status = 201;
  response.headers = std::move(headers);
  return response;
}

TEST(CreatedSession, TokenSubprotocolAndHeartbeatAreRead) {
  CreatedSession session;
  const Error error = read_created_session(created({{"tether-emulation", "1"},
                                                    {"Tether-Session", "0123456789abcdefXYZ_-"},
                                                    {"Tether-Protocol", "chat.v2"},
                                                    {"Tether-Heartbeat", "15000"}}),
                                           "ws://h/echo", std::nullopt, session);
  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(session.token, "0123456789abcdefXYZ_-");
  EXPECT_EQ(session.subprotocol, "chat.v2");
  EXPECT_EQ(session.heartbeat, std::chrono::milliseconds(15000));
}

TEST(CreatedSession, NoSubprotocolIsEmpty) {
  CreatedSession session;
  ASSERT_FALSE(read_created_session(created({{"Tether-Emulation", "1"},
                                             {"Tether-Session", "0123456789abcdef"},
                                             {"Tether-Heartbeat", "1"}}),
                                    "ws://h/echo", std::nullopt, session));
  EXPECT_EQ(session.subprotocol, "");
  EXPECT_FALSE(session.control_channel) << "no Tether-Extensions: a plain WebSocket";
  EXPECT_FALSE(session.frames_in_upstream_replies) << "no Tether-Upstream-Reply: 204s";
}

// Section 7, "Frames in the reply": accepted only as the create offered it.
TEST(CreatedSession, TetherUpstreamReplyFramesTurnsOnFramesInUpstreamReplies) {
  CreatedSession session;
  const Error error = read_created_session(created({{"Tether-Emulation", "1"},
                                                    {"Tether-Session", "0123456789abcdef"},
                                                    {"Tether-Heartbeat", "1"},
                                                    {"tether-upstream-reply", "frames"}}),
                                           "ws://h/echo", std::nullopt, session);
  ASSERT_FALSE(error) << error.message;
  EXPECT_TRUE(session.frames_in_upstream_replies);
}

// docs/control-channel.md section 2: the answer to the create's offer.
std::vector<std::pair<std::string, std::string>> created_with_extensions(
    std::vector<std::string> extensions) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Tether-Emulation", "1"}, {"Tether-Session", "0123456789abcdef"}, {"Tether-Heartbeat", "1"}};
  for (auto& value : extensions) headers.emplace_back("Tether-Extensions", std::move(value));
  return headers;
}

TEST(CreatedSession, TheControlChannelIsOnWhenTheAnswerNamesVersion1) {
  for (const std::vector<std::string>& answer :
       {std::vector<std::string>{"x-tether-control; v=1"},
        std::vector<std::string>{"X-Tether-Control;V=\"1\""},
        std::vector<std::string>{"other, x-tether-control; v=1"},
        std::vector<std::string>{"other", "x-tether-control; v=1"}}) {
    CreatedSession session;
    const Error error = read_created_session(created(created_with_extensions(answer)),
                                             "ws://h/echo", std::nullopt, session);
    ASSERT_FALSE(error) << error.message;
    EXPECT_TRUE(session.control_channel) << answer.back();
  }
}

TEST(CreatedSession, AnAnswerWithoutTheExtensionLeavesTheControlChannelOff) {
  CreatedSession session;
  ASSERT_FALSE(read_created_session(created(created_with_extensions({"other; a=1"})), "ws://h/echo",
                                    std::nullopt, session));
  EXPECT_FALSE(session.control_channel);
}

TEST(CreatedSession, AnAnswerTheClientDidNotOfferIsAProtocolError) {
  for (const std::vector<std::string>& answer :
       {std::vector<std::string>{"x-tether-control; v=2"},
        std::vector<std::string>{"x-tether-control"},
        std::vector<std::string>{"x-tether-control; v=1; w=2"},
        std::vector<std::string>{"x-tether-control; v=1", "x-tether-control; v=1"},
        std::vector<std::string>{"x-tether-control; v=\"1"}}) {
    CreatedSession session;
    const Error error = read_created_session(created(created_with_extensions(answer)),
                                             "ws://h/echo", std::nullopt, session);
    EXPECT_EQ(error.code, ErrorCode::ProtocolError) << answer.back();
    EXPECT_NE(error.message.find("ws://h/echo"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("Tether-Extensions"), std::string::npos) << error.message;
  }
}

// docs/control-channel.md section 5.5: the answer is read against the resume the create offered.
TEST(CreatedSession, TheAnswerToAResumeOfferSaysWhetherTheSessionResumed) {
  const control::ResumeOffer resume{"0123456789abcdefghij", 7};
  CreatedSession session;
  const Error error = read_created_session(
      created(created_with_extensions({"x-tether-control; v=1; resume; received=3"})),
      "ws://h/echo", resume, session);
  ASSERT_FALSE(error) << error.message;
  ASSERT_TRUE(session.control_channel);
  EXPECT_TRUE(session.control_channel->resume);
  EXPECT_EQ(session.control_channel->resumed_received, std::optional<std::uint64_t>(3));
}

TEST(CreatedSession, AnAnswerThatResumesWithoutATokenOfferedIsAProtocolError) {
  CreatedSession session;
  const Error error = read_created_session(
      created(created_with_extensions({"x-tether-control; v=1; resume; received=3"})),
      "ws://h/echo", control::ResumeOffer{}, session);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_NE(error.message.find("received"), std::string::npos) << error.message;
  EXPECT_FALSE(session.control_channel);
}

TEST(CreatedSession, AnythingMalformedIsAProtocolErrorNamingTheUrl) {
  const std::vector<std::vector<std::pair<std::string, std::string>>> broken = {
      {{"Tether-Session", "0123456789abcdef"}, {"Tether-Heartbeat", "10"}},
      {{"Tether-Emulation", "2"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "10"}},
      {{"Tether-Emulation", "1"}, {"Tether-Heartbeat", "10"}},
      {{"Tether-Emulation", "1"}, {"Tether-Session", "short"}, {"Tether-Heartbeat", "10"}},
      {{"Tether-Emulation", "1"}, {"Tether-Session", "0123456789abcdef"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "0"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "9x"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "3600001"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Session", "0123456789abcdeg"},
       {"Tether-Heartbeat", "10"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "10"},
       {"Tether-Protocol", "a"},
       {"Tether-Protocol", "b"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "10"},
       {"Tether-Upstream-Reply", "frames, more"}},
      {{"Tether-Emulation", "1"},
       {"Tether-Session", "0123456789abcdef"},
       {"Tether-Heartbeat", "10"},
       {"Tether-Upstream-Reply", "frames"},
       {"Tether-Upstream-Reply", "frames"}},
  };
  for (const auto& headers : broken) {
    CreatedSession session;
    const Error error =
        read_created_session(created(headers), "ws://h/echo", std::nullopt, session);
    EXPECT_EQ(error.code, ErrorCode::ProtocolError);
    EXPECT_NE(error.message.find("ws://h/echo"), std::string::npos) << error.message;
  }
}

}  // namespace
}  // namespace tether::transport::emulated
