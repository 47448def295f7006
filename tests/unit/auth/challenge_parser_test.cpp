#include "http/challenge_parser.hpp"

#include <gtest/gtest.h>

namespace tether::http {
namespace {

using auth::Challenge;

std::vector<Challenge> parse_ok(std::vector<std::string> values) {
  std::vector<Challenge> challenges;
  const Error error = parse_challenges(values, challenges);
  EXPECT_FALSE(error) << error.message;
  return challenges;
}

Error parse_error(std::string value) {
  std::vector<Challenge> challenges;
  Error error = parse_challenges({std::move(value)}, challenges);
  EXPECT_TRUE(challenges.empty());
  return error;
}

TEST(ChallengeParser, ReadsTheRfc7235Example) {
  // RFC 7235 section 4.1.
  const auto challenges = parse_ok(
      {R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")"});
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].scheme, "Newauth");
  EXPECT_EQ(challenges[0].realm(), "apps");
  EXPECT_EQ(challenges[0].param("type"), "1");
  EXPECT_EQ(challenges[0].param("title"), "Login to \"apps\"");
  EXPECT_EQ(challenges[1].scheme, "Basic");
  EXPECT_EQ(challenges[1].realm(), "simple");
}

TEST(ChallengeParser, RepeatedHeadersReadLikeOneJoinedHeader) {
  const auto repeated = parse_ok({R"(Digest realm="a", nonce="n")", R"(Basic realm="b")"});
  const auto joined = parse_ok({R"(Digest realm="a", nonce="n", Basic realm="b")"});
  ASSERT_EQ(repeated.size(), 2u);
  ASSERT_EQ(joined.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(repeated[i].scheme, joined[i].scheme);
    EXPECT_EQ(repeated[i].params, joined[i].params);
  }
}

TEST(ChallengeParser, SchemesAndParameterNamesAreCaseInsensitive) {
  const auto challenges = parse_ok({R"(bAsIc REALM="x", Charset="UTF-8")"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_TRUE(challenges[0].scheme_is("Basic"));
  EXPECT_EQ(challenges[0].param("realm"), "x");
  EXPECT_EQ(challenges[0].param("CHARSET"), "UTF-8");
  EXPECT_EQ(challenges[0].params[0].first, "realm");
}

TEST(ChallengeParser, ReadsToken68) {
  const auto challenges = parse_ok({"Negotiate YIIBhQYGKwYBBQUCoII+/=, Bearer abc=="});
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].token68, "YIIBhQYGKwYBBQUCoII+/=");
  EXPECT_TRUE(challenges[0].params.empty());
  EXPECT_EQ(challenges[1].token68, "abc==");
}

TEST(ChallengeParser, TokenEqualsTokenIsAParameterNotAToken68) {
  const auto challenges = parse_ok({"Custom a=b"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_TRUE(challenges[0].token68.empty());
  EXPECT_EQ(challenges[0].param("a"), "b");
}

TEST(ChallengeParser, ApplicationPrefixIsRecordedAndTheInnerSchemeKept) {
  const auto challenges = parse_ok({R"(Application Basic realm="x", Application Token)"});
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_TRUE(challenges[0].application_prefix);
  EXPECT_EQ(challenges[0].scheme, "Basic");
  EXPECT_EQ(challenges[0].realm(), "x");
  EXPECT_TRUE(challenges[1].application_prefix);
  EXPECT_EQ(challenges[1].scheme, "Token");
}

TEST(ChallengeParser, ApplicationFollowedByAParameterIsItselfTheScheme) {
  const auto challenges = parse_ok({R"(Application realm="x")"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_FALSE(challenges[0].application_prefix);
  EXPECT_EQ(challenges[0].scheme, "Application");
  EXPECT_EQ(challenges[0].realm(), "x");
}

TEST(ChallengeParser, SchemesWithoutParameters) {
  const auto challenges = parse_ok({R"(Basic, Digest realm="x", Negotiate)"});
  ASSERT_EQ(challenges.size(), 3u);
  EXPECT_EQ(challenges[0].scheme, "Basic");
  EXPECT_EQ(challenges[1].realm(), "x");
  EXPECT_EQ(challenges[2].scheme, "Negotiate");
}

TEST(ChallengeParser, SkipsEmptyListElementsAndOptionalWhitespace) {
  const auto challenges = parse_ok({" , ,Basic realm = \"a\" ,\t, charset=UTF-8 , , Bearer ", ""});
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_EQ(challenges[0].realm(), "a");
  EXPECT_EQ(challenges[0].param("charset"), "UTF-8");
  EXPECT_EQ(challenges[1].scheme, "Bearer");
}

TEST(ChallengeParser, QuotedListValueStaysOneParameter) {
  const auto challenges = parse_ok({R"(Digest realm="r", qop="auth, auth-int", nonce="n")"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].param("qop"), "auth, auth-int");
  EXPECT_EQ(challenges[0].param("nonce"), "n");
}

TEST(ChallengeParser, UnescapesQuotedPairsAndKeepsUtf8) {
  const auto challenges = parse_ok({R"(Basic realm="a\\b\"c\d", title="café")"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].realm(), R"(a\b"cd)");
  EXPECT_EQ(challenges[0].param("title"), "café");
}

TEST(ChallengeParser, EmptyQuotedValue) {
  EXPECT_EQ(parse_ok({R"(Basic realm="")"})[0].param("realm"), "");
}

TEST(ChallengeParser, NoHeaderValuesGiveNoChallenges) { EXPECT_TRUE(parse_ok({}).empty()); }

TEST(ChallengeParser, RejectsAnUnterminatedQuotedString) {
  const Error error = parse_error(R"(Basic realm="abc)");
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_NE(error.message.find("unterminated"), std::string::npos) << error.message;
}

TEST(ChallengeParser, RejectsABackslashAtTheEnd) {
  EXPECT_EQ(parse_error("Basic realm=\"abc\\").code, ErrorCode::InvalidArgument);
}

TEST(ChallengeParser, RejectsControlCharacters) {
  EXPECT_EQ(parse_error("Basic realm=\"a\x01z\"").code, ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error(std::string("Basic realm=\"a\0z\"", 17)).code, ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("Basic realm=\"a\x7f\"").code, ErrorCode::InvalidArgument);
}

TEST(ChallengeParser, RejectsARepeatedParameter) {
  const Error error = parse_error(R"(Basic realm="a", REALM="b")");
  EXPECT_NE(error.message.find("twice"), std::string::npos) << error.message;
}

TEST(ChallengeParser, RejectsMissingCommaBetweenParameters) {
  EXPECT_EQ(parse_error(R"(Basic realm="a" charset="UTF-8")").code, ErrorCode::InvalidArgument);
}

TEST(ChallengeParser, RejectsGarbage) {
  for (const char* header :
       {"=", "\"Basic\"", "Basic =x", "Basic realm=\"x\", =y", "Basic @", "Basic realm==x",
        "Basic,=", "Basic realm=\"x\"y", "@Basic", "Basic realm=, charset=x"}) {
    EXPECT_EQ(parse_error(header).code, ErrorCode::InvalidArgument) << header;
  }
}

TEST(ChallengeParser, ErrorNamesTheHeaderValueAndOffset) {
  std::vector<Challenge> challenges;
  const Error error = parse_challenges({"Basic", "Digest realm=\"x"}, challenges);
  EXPECT_NE(error.message.find("header value 2"), std::string::npos) << error.message;
}

TEST(ChallengeParser, SurvivesLongInput) {
  std::string header;
  for (int i = 0; i < 20000; ++i) header += "Basic realm=\"r\", ";
  EXPECT_EQ(parse_ok({header}).size(), 20000u);
  EXPECT_EQ(parse_error("Basic realm=\"" + std::string(100000, 'x')).code,
            ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace tether::http
