#include "cookies/joined_set_cookie.hpp"

#include <gtest/gtest.h>

namespace tether::cookies {
namespace {

using Cookies = std::vector<std::string>;

TEST(JoinedSetCookie, ASingleCookieComesBackWhole) {
  EXPECT_EQ(split_joined_set_cookie("sid=abc; Path=/; Secure"), Cookies{"sid=abc; Path=/; Secure"});
}

TEST(JoinedSetCookie, SplitsAtCommaSpaceBeforeAName) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Path=/, b=2, c=3; HttpOnly"),
            (Cookies{"a=1; Path=/", "b=2", "c=3; HttpOnly"}));
}

TEST(JoinedSetCookie, KeepsTheCommaOfAnRfc1123Expires) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT, b=2"),
            (Cookies{"a=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT", "b=2"}));
}

TEST(JoinedSetCookie, KeepsTheCommaOfAnRfc850Expires) {
  EXPECT_EQ(split_joined_set_cookie("a=1; expires=Wednesday, 09-Jun-21 10:18:14 GMT; Path=/, b=2"),
            (Cookies{"a=1; expires=Wednesday, 09-Jun-21 10:18:14 GMT; Path=/", "b=2"}));
}

TEST(JoinedSetCookie, KeepsTheWeekdayCommaEvenWhenNoSpaceFollows) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Expires=Wed,09-Jun-2021=10:18:14 GMT, b=2"),
            (Cookies{"a=1; Expires=Wed,09-Jun-2021=10:18:14 GMT", "b=2"}));
}

TEST(JoinedSetCookie, TwoCookiesWithExpiresBothSurvive) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT, "
                                    "b=2; Expires=Fri, 02 Jan 2099 00:00:00 GMT; Secure"),
            (Cookies{"a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT",
                     "b=2; Expires=Fri, 02 Jan 2099 00:00:00 GMT; Secure"}));
}

TEST(JoinedSetCookie, AsctimeExpiresHasNoCommaToConfuse) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Expires=Wed Jun  9 10:18:14 2021, b=2"),
            (Cookies{"a=1; Expires=Wed Jun  9 10:18:14 2021", "b=2"}));
}

TEST(JoinedSetCookie, ACommaInAValueStaysWhenNoNameFollows) {
  EXPECT_EQ(split_joined_set_cookie("list=a,b,c; Path=/, next=1"),
            (Cookies{"list=a,b,c; Path=/", "next=1"}));
  EXPECT_EQ(split_joined_set_cookie("q=\"x, y\", z=1"), (Cookies{"q=\"x, y\"", "z=1"}));
}

TEST(JoinedSetCookie, TheLimitACommaThenNameEqualsInsideAValueSplits) {
  // Documented limit: ",b=c" inside a value cannot be told from a second cookie.
  EXPECT_EQ(split_joined_set_cookie("list=a,b=c"), (Cookies{"list=a", "b=c"}));
}

TEST(JoinedSetCookie, NameCharactersFollowRfc7230Tokens) {
  EXPECT_EQ(split_joined_set_cookie("a=1, __Host-id=2, x.y_z!=3"),
            (Cookies{"a=1", "__Host-id=2", "x.y_z!=3"}));
  EXPECT_EQ(split_joined_set_cookie("a=1, (b)=2"), (Cookies{"a=1, (b)=2"}));
  EXPECT_EQ(split_joined_set_cookie("a=1, b c=2"), (Cookies{"a=1, b c=2"}));
}

TEST(JoinedSetCookie, AnExpiresWithoutAWeekdayDoesNotHideTheNextCookie) {
  EXPECT_EQ(split_joined_set_cookie("a=1; Expires=09 Jun 2021 10:18:14 GMT, b=2"),
            (Cookies{"a=1; Expires=09 Jun 2021 10:18:14 GMT", "b=2"}));
}

TEST(JoinedSetCookie, AWeekdayLikeValueOutsideExpiresDoesNotMatter) {
  EXPECT_EQ(split_joined_set_cookie("day=Wed, b=2"), (Cookies{"day=Wed", "b=2"}));
  EXPECT_EQ(split_joined_set_cookie("a=1; Comment=Wed, b=2"), (Cookies{"a=1; Comment=Wed", "b=2"}));
}

TEST(JoinedSetCookie, WhitespaceAroundCommasAndEmptyPiecesAreDropped) {
  EXPECT_EQ(split_joined_set_cookie("  a=1 ,\tb=2  "), (Cookies{"a=1", "b=2"}));
  EXPECT_EQ(split_joined_set_cookie(""), Cookies{});
  EXPECT_EQ(split_joined_set_cookie(" , a=1"), (Cookies{"a=1"}));
}

TEST(JoinedSetCookie, NoSpaceAfterTheCommaStillSplits) {
  EXPECT_EQ(split_joined_set_cookie("a=1,b=2"), (Cookies{"a=1", "b=2"}));
}

TEST(JoinedSetCookie, EmptyValuesAndDeletions) {
  EXPECT_EQ(split_joined_set_cookie("a=; Max-Age=0, b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
            (Cookies{"a=; Max-Age=0", "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}));
}

}  // namespace
}  // namespace tether::cookies
