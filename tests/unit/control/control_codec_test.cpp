// docs/control-channel.md section 5: every message round-trips, its bytes are the documented
// ones, and every malformed body gives ProtocolError naming its type and the rule.

#include "control/control_codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tether::control {
namespace {

using namespace std::string_literals;

std::string encode(const ControlMessage& message) {
  std::string out;
  const Error error = append_control_message(out, message);
  EXPECT_FALSE(error) << error.message;
  return out;
}

ControlMessage decode(const std::string& body) {
  std::optional<ControlMessage> message;
  const Error error = decode_control_message(body, message);
  EXPECT_FALSE(error) << error.message;
  EXPECT_TRUE(message.has_value());
  return message.value_or(ControlMessage{});
}

Error decode_error(const std::string& body) {
  std::optional<ControlMessage> message;
  Error error = decode_control_message(body, message);
  EXPECT_FALSE(message.has_value());
  return error;
}

void expect_malformed(const std::string& body, const std::string& words) {
  const Error error = decode_error(body);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << error.message;
  EXPECT_NE(error.message.find(words), std::string::npos) << error.message;
}

// A REVALIDATE body (request 7, deadline 1 ms) carrying `url` as it is, however wrong.
std::string revalidate_body(const std::string& url) {
  return "\x01"s
         "\x00\x00\x00\x07"s
         "\x00\x00\x00\x01"s +
         static_cast<char>(url.size() >> 8) + static_cast<char>(url.size() & 0xFF) + url;
}

Revalidate sample_revalidate() { return Revalidate{7, 30000, "/echo/;r/k3Jx"}; }

Denied sample_denied() { return Denied{Operation::Send, 42, "AAPL", "alice may not send to AAPL"}; }

ResumeToken sample_resume_token() { return ResumeToken{30000, "k3Jx-9_aZ.Qw~7!r"}; }

// A RESUME_TOKEN body (window 1 ms) carrying `token` as it is, however wrong.
std::string resume_token_body(const std::string& token) {
  return "\x10"s
         "\x00\x00\x00\x01"s +
         static_cast<char>(token.size() >> 8) + static_cast<char>(token.size() & 0xFF) + token;
}

TEST(ControlCodec, RevalidateEncodesAsSection5Says) {
  EXPECT_EQ(encode(sample_revalidate()),
            "\x01"s
            "\x00\x00\x00\x07"s
            "\x00\x00\x75\x30"s
            "\x00\x0D"s
            "/echo/;r/k3Jx"s);
}

TEST(ControlCodec, RevalidationResultEncodesAsSection5Says) {
  EXPECT_EQ(encode(RevalidationResult{7, RevalidationOutcome::Succeeded, 204}),
            "\x02"s
            "\x00\x00\x00\x07"s
            "\x00"s
            "\x00\xCC"s);
}

TEST(ControlCodec, DeniedEncodesAsSection5Says) {
  EXPECT_EQ(encode(sample_denied()),
            "\x03"s
            "\x01"s
            "\x00\x00\x00\x00\x00\x00\x00\x2A"s
            "\x00\x04"s
            "AAPL"s
            "\x00\x1A"s
            "alice may not send to AAPL"s);
}

TEST(ControlCodec, AuthorizationChangedEncodesAsSection5Says) {
  const AuthorizationChanged message{
      {RightChange{Operation::Receive, false, "MSFT"}, RightChange{Operation::Send, true, ""}}};
  EXPECT_EQ(encode(message),
            "\x04"s
            "\x00\x02"s
            "\x02\x00"s
            "\x00\x04"s
            "MSFT"s
            "\x01\x01"s
            "\x00\x00"s);
}

TEST(ControlCodec, ResumeTokenEncodesAsSection5_5Says) {
  EXPECT_EQ(encode(sample_resume_token()),
            "\x10"s
            "\x00\x00\x75\x30"s
            "\x00\x10"s
            "k3Jx-9_aZ.Qw~7!r"s);
}

TEST(ControlCodec, AckEncodesAsSection5_5Says) {
  EXPECT_EQ(encode(Ack{0x0102030405060708}),
            "\x11"s
            "\x01\x02\x03\x04\x05\x06\x07\x08"s);
}

TEST(ControlCodec, EveryMessageRoundTrips) {
  const ControlMessage messages[] = {
      sample_revalidate(),
      Revalidate{0xFFFFFFFF, 1, "https://gateway.example.com/echo/;r/x?y=1"},
      RevalidationResult{1, RevalidationOutcome::Refused, 401},
      RevalidationResult{2, RevalidationOutcome::NoCredentials, 0},
      RevalidationResult{3, RevalidationOutcome::UrlRefused, 0},
      RevalidationResult{4, RevalidationOutcome::Failed, 503},
      sample_denied(),
      Denied{Operation::Receive, 0, "", u8"l'accès à MSFT est refusé"},
      AuthorizationChanged{{RightChange{Operation::Receive, true, "AAPL"}}},
      sample_resume_token(),
      ResumeToken{0xFFFFFFFF, std::string(max_token_size, 'z')},
      Ack{0},
      Ack{0xFFFFFFFFFFFFFFFF},
  };
  for (const ControlMessage& message : messages) {
    EXPECT_EQ(decode(encode(message)), message) << to_string(type_of(message));
  }
}

TEST(ControlCodec, AnUnknownTypeIsIgnoredNotAnError) {
  for (const std::string& body : {"\x05"s,
                                  "\x12"
                                  "whatever"s,
                                  "\x00"s, "\xFF\x01\x02"s}) {
    std::optional<ControlMessage> message;
    const Error error = decode_control_message(body, message);
    EXPECT_FALSE(error) << error.message;
    EXPECT_FALSE(message.has_value());
  }
}

TEST(ControlCodec, AnEmptyBodyIsMalformed) { expect_malformed("", "empty"); }

TEST(ControlCodec, ABodyOverTheLimitIsMalformedEvenOfAnUnknownType) {
  expect_malformed("\x01"s + std::string(max_control_message_size, 'a'), "over the limit");
  expect_malformed("\x7F"s + std::string(max_control_message_size, 'a'), "over the limit");
}

TEST(ControlCodec, EveryTruncationOfEveryMessageIsCutShort) {
  const ControlMessage messages[] = {
      sample_revalidate(),   RevalidationResult{7, RevalidationOutcome::Failed, 500},
      sample_denied(),       AuthorizationChanged{{RightChange{Operation::Send, true, "A"}}},
      sample_resume_token(), Ack{5}};
  for (const ControlMessage& message : messages) {
    const std::string body = encode(message);
    for (std::size_t size = 1; size < body.size(); ++size) {
      expect_malformed(body.substr(0, size), "cut short");
    }
  }
}

TEST(ControlCodec, BytesAfterTheLastFieldAreMalformed) {
  expect_malformed(encode(sample_denied()) + "x", "1 bytes follow its last field");
  expect_malformed(encode(sample_resume_token()) + "xy", "2 bytes follow its last field");
  expect_malformed(encode(Ack{1}) + "x", "1 bytes follow its last field");
}

TEST(ControlCodec, AResumeWindowOf0IsMalformed) {
  expect_malformed(
      "\x10"s
      "\x00\x00\x00\x00"s
      "\x00\x10"s
      "0123456789abcdef"s,
      "window is 0");
}

TEST(ControlCodec, AResumeTokenOutside16To256BytesIsMalformed) {
  expect_malformed(resume_token_body(""), "the token is 0 bytes, not 16 to 256");
  expect_malformed(resume_token_body(std::string(min_token_size - 1, 'a')), "15 bytes");
  expect_malformed(resume_token_body(std::string(max_token_size + 1, 'a')), "257 bytes");
  EXPECT_EQ(decode(resume_token_body(std::string(min_token_size, 'a'))),
            ControlMessage(ResumeToken{1, std::string(min_token_size, 'a')}));
}

TEST(ControlCodec, AResumeTokenWithACharacterOutsideTcharIsMalformed) {
  for (const char c : {' ', '"', ';', ',', '=', '/', '\x7F', '\x00', '\xC3'}) {
    expect_malformed(resume_token_body("0123456789abcde" + std::string(1, c)), "tchar");
  }
}

TEST(ControlCodec, AZeroDeadlineIsMalformed) {
  expect_malformed(
      "\x01"s
      "\x00\x00\x00\x07"s
      "\x00\x00\x00\x00"s
      "\x00\x01/"s,
      "deadline");
}

TEST(ControlCodec, AUrlThatIsNeitherAPathNorHttpIsMalformed) {
  for (const std::string& url : {"echo"s, "//evil.example/"s, "ftp://h/"s, "/a b"s, "/\x7F"s}) {
    expect_malformed(revalidate_body(url), "URL");
  }
  expect_malformed(revalidate_body(""), "URL is empty");
}

TEST(ControlCodec, AUrlOverTheLimitIsMalformed) {
  const std::string url = "/" + std::string(max_url_size, 'a');
  expect_malformed(revalidate_body(url), "over the limit of 2048");
}

TEST(ControlCodec, AnUndefinedOutcomeIsMalformed) {
  expect_malformed(
      "\x02"s
      "\x00\x00\x00\x07"s
      "\x05"s
      "\x00\x00"s,
      "outcome 5");
}

TEST(ControlCodec, AStatusOutsideHttpIsMalformed) {
  expect_malformed(
      "\x02"s
      "\x00\x00\x00\x07"s
      "\x04"s
      "\x03\xE8"s,
      "HTTP status 1000");
}

TEST(ControlCodec, ASuccessWithoutA2xxIsMalformed) {
  expect_malformed(
      "\x02"s
      "\x00\x00\x00\x07"s
      "\x00"s
      "\x01\x91"s,
      "not 2xx");
}

TEST(ControlCodec, ARefusedUrlWithAStatusIsMalformed) {
  expect_malformed(
      "\x02"s
      "\x00\x00\x00\x07"s
      "\x03"s
      "\x00\xC8"s,
      "never requested");
}

TEST(ControlCodec, AnUndefinedOperationIsMalformed) {
  expect_malformed(
      "\x03"s
      "\x03"s
      "\x00\x00\x00\x00\x00\x00\x00\x01"s
      "\x00\x00"s
      "\x00\x01x"s,
      "operation 3");
}

TEST(ControlCodec, AnEmptyReasonIsMalformed) {
  expect_malformed(
      "\x03"s
      "\x01"s
      "\x00\x00\x00\x00\x00\x00\x00\x01"s
      "\x00\x00"s
      "\x00\x00"s,
      "reason is empty");
}

TEST(ControlCodec, AReasonOrTopicThatIsNotUtf8IsMalformed) {
  expect_malformed(
      "\x03"s
      "\x01"s
      "\x00\x00\x00\x00\x00\x00\x00\x01"s
      "\x00\x00"s
      "\x00\x01\xC0"s,
      "reason is not UTF-8");
  expect_malformed(
      "\x03"s
      "\x01"s
      "\x00\x00\x00\x00\x00\x00\x00\x01"s
      "\x00\x01\xC0"s
      "\x00\x01x"s,
      "topic is not UTF-8");
}

TEST(ControlCodec, AnEmptyListOfChangesIsMalformed) {
  expect_malformed("\x04\x00\x00"s, "list of changes is empty");
}

TEST(ControlCodec, AGrantedByteOtherThanZeroOrOneIsMalformed) {
  expect_malformed(
      "\x04\x00\x01"s
      "\x01\x02"s
      "\x00\x00"s,
      "granted byte");
}

TEST(ControlCodec, AHugeCountOfChangesStopsAtTheEndOfTheBody) {
  expect_malformed(
      "\x04\xFF\xFF"s
      "\x01\x01"s
      "\x00\x00"s,
      "cut short");
}

TEST(ControlCodec, TheEncoderRefusesAMessageThatBreaksARule) {
  const ControlMessage broken[] = {
      Revalidate{1, 0, "/"},
      Revalidate{1, 1, "//other.example/"},
      RevalidationResult{1, RevalidationOutcome::Succeeded, 401},
      Denied{Operation::Send, 1, "", ""},
      Denied{Operation::Send, 1, std::string(max_topic_size + 1, 't'), "no"},
      Denied{Operation::Send, 1, "", std::string(max_reason_size + 1, 'r')},
      AuthorizationChanged{},
      ResumeToken{0, "0123456789abcdef"},
      ResumeToken{1, "short"},
      ResumeToken{1, "0123456789abcdef;x"},
  };
  for (const ControlMessage& message : broken) {
    std::string out = "kept";
    const Error error = append_control_message(out, message);
    EXPECT_EQ(error.code, ErrorCode::InvalidArgument) << to_string(type_of(message));
    EXPECT_NE(error.message.find(to_string(type_of(message))), std::string::npos);
    EXPECT_EQ(out, "kept");
  }
}

TEST(ControlCodec, TheEncoderRefusesAMessageOverTheLimit) {
  AuthorizationChanged message;
  message.changes.assign(20, RightChange{Operation::Receive, true, std::string(250, 't')});
  std::string out = "kept";
  const Error error = append_control_message(out, message);
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_NE(error.message.find("over the limit of 4096"), std::string::npos) << error.message;
  EXPECT_EQ(out, "kept");
}

}  // namespace
}  // namespace tether::control
