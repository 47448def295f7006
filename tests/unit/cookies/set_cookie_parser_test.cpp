#include "cookies/set_cookie_parser.hpp"

#include <gtest/gtest.h>

namespace tether::cookies {
namespace {

SetCookie parse_ok(std::string_view text) {
  SetCookie cookie;
  const Error error = parse_set_cookie(text, cookie);
  EXPECT_FALSE(error) << error.message;
  return cookie;
}

TEST(SetCookieParser, NameAndValueAreTrimmedOfWhitespaceOnly) {
  const SetCookie cookie = parse_ok(" \tsid = a b \t; Path=/");
  EXPECT_EQ(cookie.name, "sid");
  EXPECT_EQ(cookie.value, "a b");
}

TEST(SetCookieParser, ValueMayContainEqualsAndQuotes) {
  EXPECT_EQ(parse_ok("t=a=b==").value, "a=b==");
  EXPECT_EQ(parse_ok("q=\"quoted\"").value, "\"quoted\"");
  EXPECT_EQ(parse_ok("e=").value, "");
}

TEST(SetCookieParser, IgnoresAPairWithoutEqualsOrWithAnEmptyName) {
  SetCookie cookie;
  EXPECT_EQ(parse_set_cookie("novalue", cookie).code, ErrorCode::CookieRejected);
  EXPECT_EQ(parse_set_cookie("=value", cookie).code, ErrorCode::CookieRejected);
  EXPECT_EQ(parse_set_cookie("  =value; Path=/", cookie).code, ErrorCode::CookieRejected);
  EXPECT_EQ(parse_set_cookie("; a=b", cookie).code, ErrorCode::CookieRejected);
}

TEST(SetCookieParser, AttributeNamesAreCaseInsensitive) {
  const SetCookie cookie = parse_ok("a=b; SECURE; httpOnly; DoMaIn=Example.COM; pAtH=/x");
  EXPECT_TRUE(cookie.secure);
  EXPECT_TRUE(cookie.http_only);
  EXPECT_EQ(cookie.domain, "example.com");
  EXPECT_EQ(cookie.path, "/x");
}

TEST(SetCookieParser, DomainLosesItsLeadingDot) {
  EXPECT_EQ(parse_ok("a=b; Domain=.example.com").domain, "example.com");
  EXPECT_EQ(parse_ok("a=b; Domain=.").domain, "");
}

TEST(SetCookieParser, EmptyDomainAttributeIsIgnored) {
  EXPECT_EQ(parse_ok("a=b; Domain=example.com; Domain=").domain, "example.com");
  EXPECT_FALSE(parse_ok("a=b; Domain=").domain);
}

TEST(SetCookieParser, PathNotStartingWithSlashMeansDefaultPath) {
  EXPECT_FALSE(parse_ok("a=b; Path=x/y").path);
  EXPECT_FALSE(parse_ok("a=b; Path=").path);
  EXPECT_FALSE(parse_ok("a=b; Path=/ok; Path=bad").path);
}

TEST(SetCookieParser, TheLastOfARepeatedAttributeWins) {
  const SetCookie cookie = parse_ok("a=b; Path=/one; Path=/two; Max-Age=5; Max-Age=7");
  EXPECT_EQ(cookie.path, "/two");
  EXPECT_EQ(cookie.max_age, 7);
}

TEST(SetCookieParser, MaxAgeAcceptsOnlyAnOptionalMinusAndDigits) {
  EXPECT_EQ(parse_ok("a=b; Max-Age=-1").max_age, -1);
  EXPECT_EQ(parse_ok("a=b; Max-Age=0").max_age, 0);
  EXPECT_FALSE(parse_ok("a=b; Max-Age=+5").max_age);
  EXPECT_FALSE(parse_ok("a=b; Max-Age=5s").max_age);
  EXPECT_FALSE(parse_ok("a=b; Max-Age=").max_age);
  EXPECT_FALSE(parse_ok("a=b; Max-Age=-").max_age);
  EXPECT_EQ(parse_ok("a=b; Max-Age=99999999999999999999999").max_age,
            std::numeric_limits<std::int64_t>::max());
}

TEST(SetCookieParser, AnUnparsableExpiresIsIgnored) {
  EXPECT_FALSE(parse_ok("a=b; Expires=soon").expires);
  EXPECT_TRUE(parse_ok("a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT").expires);
  EXPECT_TRUE(parse_ok("a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Expires=soon").expires);
}

TEST(SetCookieParser, SameSiteIsKeptAsWritten) {
  EXPECT_EQ(parse_ok("a=b; SameSite=Strict").same_site, "Strict");
  EXPECT_EQ(parse_ok("a=b; samesite=none").same_site, "none");
}

TEST(SetCookieParser, UnknownAttributesAndEmptyOnesAreIgnored) {
  const SetCookie cookie = parse_ok("a=b;;  ; Priority=High; Partitioned; Secure");
  EXPECT_TRUE(cookie.secure);
  EXPECT_EQ(cookie.value, "b");
}

}  // namespace
}  // namespace tether::cookies
