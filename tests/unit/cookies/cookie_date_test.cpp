#include "cookies/cookie_date.hpp"

#include <gtest/gtest.h>

namespace tether::cookies {
namespace {

// 1994-11-06 08:49:37 UTC, the example date of RFC 7231 section 7.1.1.1.
constexpr std::int64_t rfc_example = 784111777;

std::int64_t seconds_of(std::string_view text) {
  const auto date = parse_cookie_date(text);
  EXPECT_TRUE(date.has_value()) << text;
  return date ? date->time_since_epoch().count() : -1;
}

TEST(CookieDate, ReadsRfc1123) {
  EXPECT_EQ(seconds_of("Sun, 06 Nov 1994 08:49:37 GMT"), rfc_example);
}

TEST(CookieDate, ReadsRfc850WithTwoDigitYear) {
  EXPECT_EQ(seconds_of("Sunday, 06-Nov-94 08:49:37 GMT"), rfc_example);
}

TEST(CookieDate, ReadsAsctime) { EXPECT_EQ(seconds_of("Sun Nov  6 08:49:37 1994"), rfc_example); }

TEST(CookieDate, ReadsNetscapeDashesWithFourDigitYear) {
  EXPECT_EQ(seconds_of("Sun, 06-Nov-1994 08:49:37 GMT"), rfc_example);
}

TEST(CookieDate, TokensMayComeInAnyOrderAndCase) {
  EXPECT_EQ(seconds_of("1994 NOVEMBER 6 08:49:37"), rfc_example);
  EXPECT_EQ(seconds_of("08:49:37 6 nov 1994"), rfc_example);
  EXPECT_EQ(seconds_of("6 Nov 1994 8:49:37"), rfc_example);
}

TEST(CookieDate, IgnoresZoneAndOffset) {
  EXPECT_EQ(seconds_of("Sun, 06 Nov 1994 08:49:37 +0200"), rfc_example);
  EXPECT_EQ(seconds_of("Sun, 06 Nov 1994 08:49:37 PST"), rfc_example);
}

TEST(CookieDate, TwoDigitYearsPivotAt70) {
  EXPECT_EQ(seconds_of("01 Jan 70 00:00:00"), 0);
  EXPECT_EQ(seconds_of("01 Jan 69 00:00:00"), seconds_of("01 Jan 2069 00:00:00"));
}

TEST(CookieDate, TrailingTextAfterDigitsIsAllowed) {
  EXPECT_EQ(seconds_of("Sun, 06th Nov 1994 08:49:37xyz"), rfc_example);
}

TEST(CookieDate, ReachesTheYear9999) {
  EXPECT_EQ(seconds_of("Fri, 31 Dec 9999 23:59:59 GMT"), 253402300799);
}

TEST(CookieDate, LeapDayExistsOnlyInLeapYears) {
  EXPECT_TRUE(parse_cookie_date("29 Feb 2024 00:00:00"));
  EXPECT_TRUE(parse_cookie_date("29 Feb 2000 00:00:00"));
  EXPECT_FALSE(parse_cookie_date("29 Feb 2023 00:00:00"));
  EXPECT_FALSE(parse_cookie_date("29 Feb 1900 00:00:00"));
}

TEST(CookieDate, FailsWhenAPartIsMissingOrOutOfRange) {
  EXPECT_FALSE(parse_cookie_date(""));
  EXPECT_FALSE(parse_cookie_date("Sun, 06 Nov 1994"));
  EXPECT_FALSE(parse_cookie_date("06 1994 08:49:37"));
  EXPECT_FALSE(parse_cookie_date("32 Nov 1994 08:49:37"));
  EXPECT_FALSE(parse_cookie_date("31 Nov 1994 08:49:37"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 24:00:00"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 08:60:00"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 08:49:60"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 1600 08:49:37"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 19945 08:49:37"));
  EXPECT_FALSE(parse_cookie_date("06 Nov 1994 008:49:37"));
  EXPECT_FALSE(parse_cookie_date("tomorrow"));
}

}  // namespace
}  // namespace tether::cookies
