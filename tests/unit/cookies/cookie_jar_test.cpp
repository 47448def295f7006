#include <gtest/gtest.h>

#include <thread>

#include "test_clock.hpp"
#include "tether/cookies.hpp"

namespace tether {
namespace {

class CookieJarTest : public ::testing::Test {
 protected:
  void set(std::string_view url, std::string_view set_cookie) {
    const Error error = jar.set_from_response(url, set_cookie);
    EXPECT_FALSE(error) << error.message;
  }
  Error rejection(std::string_view url, std::string_view set_cookie) {
    const Error error = jar.set_from_response(url, set_cookie);
    EXPECT_EQ(error.code, ErrorCode::CookieRejected) << set_cookie;
    return error;
  }
  void expect_rejected(std::string_view url, std::string_view set_cookie) {
    static_cast<void>(rejection(url, set_cookie));  // rejection() checks the code
  }

  test::TestClock clock;
  CookieJar jar{CookieLimits{}, clock.function()};
};

TEST_F(CookieJarTest, AHostOnlyCookieGoesOnlyToItsHost) {
  set("https://example.com/", "a=1");
  EXPECT_EQ(jar.cookie_header("https://example.com/x"), "a=1");
  EXPECT_EQ(jar.cookie_header("https://www.example.com/"), "");
  ASSERT_EQ(jar.cookies().size(), 1u);
  EXPECT_TRUE(jar.cookies()[0].host_only);
}

TEST_F(CookieJarTest, ADomainCookieGoesToTheDomainAndItsSubdomains) {
  set("https://login.example.com/", "sid=1; Domain=.Example.com");
  EXPECT_EQ(jar.cookie_header("wss://example.com/"), "sid=1");
  EXPECT_EQ(jar.cookie_header("wss://gateway.example.com/echo"), "sid=1");
  EXPECT_EQ(jar.cookie_header("wss://a.b.example.com/"), "sid=1");
  EXPECT_EQ(jar.cookie_header("wss://notexample.com/"), "");
  EXPECT_FALSE(jar.cookies()[0].host_only);
}

TEST_F(CookieJarTest, AForeignDomainIsRejected) {
  const Error error = rejection("http://localhost/", "a=1; Domain=example.com");
  EXPECT_NE(error.message.find("foreign"), std::string::npos) << error.message;
  expect_rejected("https://www.example.com/", "a=1; Domain=other.example.com");
  EXPECT_TRUE(jar.cookies().empty());
}

TEST_F(CookieJarTest, APublicSuffixDomainIsRejected) {
  const Error error = rejection("https://www.example.com/", "a=1; Domain=com");
  EXPECT_NE(error.message.find("public suffix"), std::string::npos) << error.message;
  expect_rejected("https://shop.example.co.uk/", "a=1; Domain=co.uk");
  expect_rejected("https://me.github.io/", "a=1; Domain=github.io");
  expect_rejected("http://app.localhost/", "a=1; Domain=localhost");
  EXPECT_TRUE(jar.cookies().empty());
}

TEST_F(CookieJarTest, APublicSuffixThatIsTheRequestHostGivesAHostOnlyCookie) {
  set("https://github.io/", "a=1; Domain=github.io");
  ASSERT_EQ(jar.cookies().size(), 1u);
  EXPECT_TRUE(jar.cookies()[0].host_only);
  EXPECT_EQ(jar.cookie_header("https://github.io/"), "a=1");
  EXPECT_EQ(jar.cookie_header("https://me.github.io/"), "");
}

TEST_F(CookieJarTest, AnIpHostNeverGetsADomainCookie) {
  set("http://192.168.1.10/", "a=1; Domain=192.168.1.10");
  EXPECT_TRUE(jar.cookies()[0].host_only);
  expect_rejected("http://192.168.1.10/", "b=1; Domain=168.1.10");
  expect_rejected("http://192.168.1.10/", "c=1; Domain=1.10");
  set("http://[::1]:8080/", "d=1");
  EXPECT_EQ(jar.cookie_header("ws://[::1]:9000/"), "d=1");
  EXPECT_EQ(jar.cookie_header("http://192.168.1.10/"), "a=1");
}

TEST_F(CookieJarTest, TheDomainAttributeOfTheRequestHostGivesADomainCookie) {
  set("https://example.com/", "a=1; Domain=example.com");
  EXPECT_FALSE(jar.cookies()[0].host_only);
  EXPECT_EQ(jar.cookie_header("https://sub.example.com/"), "a=1");
}

TEST_F(CookieJarTest, ASecureCookieIsNotSentOnWsOrHttp) {
  set("https://example.com/", "sid=1; Secure");
  EXPECT_EQ(jar.cookie_header("ws://example.com/"), "");
  EXPECT_EQ(jar.cookie_header("http://example.com/"), "");
  EXPECT_EQ(jar.cookie_header("wss://example.com/"), "sid=1");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "sid=1");
}

TEST_F(CookieJarTest, ASecureCookieSetOverPlainHttpIsStoredAsRfc6265Says) {
  set("http://example.com/", "sid=1; Secure");
  EXPECT_EQ(jar.cookie_header("http://example.com/"), "");
  EXPECT_EQ(jar.cookie_header("wss://example.com/"), "sid=1");
}

TEST_F(CookieJarTest, HttpOnlyCookiesAreSentBecauseTheHandshakeIsHttp) {
  set("https://example.com/", "sid=1; HttpOnly");
  EXPECT_EQ(jar.cookie_header("wss://example.com/"), "sid=1");
  EXPECT_TRUE(jar.cookies()[0].http_only);
}

TEST_F(CookieJarTest, SameSiteIsKeptAsAnAttribute) {
  set("https://example.com/", "a=1; SameSite=Lax");
  EXPECT_EQ(jar.cookies()[0].same_site, "Lax");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "a=1");
}

TEST_F(CookieJarTest, ACookieExpiresAfterMaxAge) {
  set("https://example.com/", "a=1; Max-Age=60");
  clock.advance(59);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "a=1");
  clock.advance(1);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "");
  EXPECT_TRUE(jar.cookies().empty());
}

TEST_F(CookieJarTest, ACookieExpiresAtItsExpiresDate) {
  set("https://example.com/", "a=1; Expires=Tue, 01 Jan 2030 00:01:00 GMT");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "a=1");
  clock.advance(60);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "");
}

TEST_F(CookieJarTest, MaxAgeWinsOverExpiresWhateverTheOrder) {
  set("https://example.com/", "a=1; Max-Age=10; Expires=Fri, 31 Dec 9999 23:59:59 GMT");
  set("https://example.com/", "b=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT; Max-Age=10");
  clock.advance(10);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "");
}

TEST_F(CookieJarTest, AnExpiredCookieDeletesItsNamesake) {
  set("https://example.com/", "a=1");
  set("https://example.com/", "b=1");
  set("https://example.com/", "a=gone; Max-Age=0");
  set("https://example.com/", "b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "");
}

TEST_F(CookieJarTest, ASessionCookieHasNoExpiry) {
  set("https://example.com/", "a=1; Expires=not a date");
  EXPECT_FALSE(jar.cookies()[0].expires);
}

TEST_F(CookieJarTest, TheDefaultPathIsTheRequestDirectory) {
  set("https://example.com/app/login?next=/", "a=1");
  EXPECT_EQ(jar.cookies()[0].path, "/app");
  EXPECT_EQ(jar.cookie_header("https://example.com/app"), "a=1");
  EXPECT_EQ(jar.cookie_header("https://example.com/app/ws"), "a=1");
  EXPECT_EQ(jar.cookie_header("https://example.com/application"), "");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "");
}

TEST_F(CookieJarTest, APathMatchesOnlyAtASlashBoundary) {
  set("https://example.com/", "a=1; Path=/foo");
  EXPECT_EQ(jar.cookie_header("https://example.com/foo/bar"), "a=1");
  EXPECT_EQ(jar.cookie_header("https://example.com/foobar"), "");
}

TEST_F(CookieJarTest, LongerPathsComeFirstThenOlderCookies) {
  set("https://example.com/", "root=1; Path=/");
  set("https://example.com/", "deep=1; Path=/a/b");
  set("https://example.com/", "mid=1; Path=/a");
  clock.advance(1);
  set("https://example.com/", "mid2=1; Path=/a");
  EXPECT_EQ(jar.cookie_header("https://example.com/a/b/c"), "deep=1; mid=1; mid2=1; root=1");
}

TEST_F(CookieJarTest, SameNameWithDifferentPathsAreTwoCookies) {
  set("https://example.com/", "id=root; Path=/");
  set("https://example.com/", "id=app; Path=/app");
  EXPECT_EQ(jar.cookie_header("https://example.com/app/x"), "id=app; id=root");
  EXPECT_EQ(jar.cookies().size(), 2u);
}

TEST_F(CookieJarTest, AReplacedCookieKeepsItsCreationTimeAndPlace) {
  set("https://example.com/", "first=1");
  clock.advance(5);
  set("https://example.com/", "second=1");
  set("https://example.com/", "first=2");
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "first=2; second=1");
  EXPECT_EQ(jar.cookies()[0].creation_time, clock.now() - std::chrono::seconds{5});
}

TEST_F(CookieJarTest, AnOversizedSetCookieIsRejected) {
  expect_rejected("https://example.com/", "big=" + std::string(4093, 'x'));
  set("https://example.com/", "big=" + std::string(4092, 'x'));
}

TEST_F(CookieJarTest, ControlCharactersInACookieAreRejected) {
  expect_rejected("https://example.com/", std::string("a=1\x01"));
  expect_rejected("https://example.com/", "a=x\ty");
  expect_rejected("https://example.com/", "a=1; Path=/a\tb");
  EXPECT_TRUE(jar.cookies().empty());
}

TEST_F(CookieJarTest, AnEmptyOrMissingNameIsRejected) {
  expect_rejected("https://example.com/", "=value");
  expect_rejected("https://example.com/", "value");
}

TEST_F(CookieJarTest, AnInvalidUrlIsAnInvalidArgument) {
  EXPECT_EQ(jar.set_from_response("ftp://example.com/", "a=1").code, ErrorCode::InvalidArgument);
  EXPECT_EQ(jar.set_from_response("not a url", "a=1").code, ErrorCode::InvalidArgument);
  EXPECT_EQ(jar.cookie_header("not a url"), "");
}

TEST_F(CookieJarTest, HeadersOfOneResponseAreAppliedInOrder) {
  const Error error = jar.set_from_response_headers(
      "https://example.com/", {"a=1", "bad", "b=2", "a=3", "c=1; Domain=org"});
  EXPECT_EQ(error.code, ErrorCode::CookieRejected);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "a=3; b=2");
}

TEST_F(CookieJarTest, ThePerDomainLimitEvictsTheLeastRecentlyUsed) {
  for (int i = 0; i < 50; ++i) {
    set("https://example.com/", "c" + std::to_string(i) + "=1");
    clock.advance(1);
  }
  jar.cookie_header("https://example.com/");  // every cookie used now...
  clock.advance(1);
  set("https://example.com/", "c0=again");  // ...then c0 again
  set("https://other.example.com/", "elsewhere=1");
  set("https://example.com/", "c50=1");
  const auto cookies = jar.cookies();
  EXPECT_EQ(cookies.size(), 51u);
  EXPECT_EQ(cookies[0].name, "c0");
  EXPECT_EQ(cookies[1].name, "c2");  // c1 was the least recently used of example.com
}

TEST(CookieJarLimits, TheTotalLimitEvictsTheLeastRecentlyUsedOfAnyDomain) {
  test::TestClock clock;
  CookieJar jar{CookieLimits{2, 3, 4096}, clock.function()};
  for (const char* host : {"a.example", "b.example", "c.example", "d.example"}) {
    EXPECT_FALSE(jar.set_from_response(std::string("https://") + host + "/", "x=1"));
    clock.advance(1);
  }
  const auto cookies = jar.cookies();
  ASSERT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies[0].domain, "b.example");
}

TEST_F(CookieJarTest, AddFromStringMakesAHostOnlySessionCookieAtTheRoot) {
  EXPECT_FALSE(jar.add_from_string("token=abc=", "wss://gateway.example.com/echo"));
  const auto cookies = jar.cookies();
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_EQ(cookies[0].domain, "gateway.example.com");
  EXPECT_EQ(cookies[0].path, "/");
  EXPECT_TRUE(cookies[0].host_only);
  EXPECT_FALSE(cookies[0].expires);
  EXPECT_EQ(jar.cookie_header("ws://gateway.example.com/other"), "token=abc=");
  EXPECT_EQ(jar.add_from_string("novalue", "wss://x.example/").code, ErrorCode::InvalidArgument);
  EXPECT_EQ(jar.add_from_string("a=1; b=2", "wss://x.example/").code, ErrorCode::InvalidArgument);
  EXPECT_EQ(jar.add_from_string("=1", "wss://x.example/").code, ErrorCode::InvalidArgument);
}

TEST_F(CookieJarTest, AddNormalisesTheDomainAndChecksTheFields) {
  Cookie cookie;
  cookie.name = "a";
  cookie.domain = ".Example.COM";
  cookie.host_only = false;
  EXPECT_FALSE(jar.add(cookie));
  EXPECT_EQ(jar.cookies()[0].domain, "example.com");
  EXPECT_EQ(jar.cookie_header("https://www.example.com/"), "a=");

  cookie.path = "relative";
  EXPECT_EQ(jar.add(cookie).code, ErrorCode::InvalidArgument);
  cookie.path = "/";
  cookie.domain.clear();
  EXPECT_EQ(jar.add(cookie).code, ErrorCode::InvalidArgument);
  cookie.domain = "example.com";
  cookie.value = std::string(5000, 'v');
  EXPECT_EQ(jar.add(cookie).code, ErrorCode::InvalidArgument);
}

TEST_F(CookieJarTest, ClearAndRemoveExpired) {
  set("https://example.com/", "a=1; Max-Age=1");
  set("https://example.com/", "b=1");
  clock.advance(1);
  jar.remove_expired();
  EXPECT_EQ(jar.cookies().size(), 1u);
  jar.clear();
  EXPECT_TRUE(jar.cookies().empty());
}

TEST(CookieJarThreads, OneJarServesSeveralThreads) {
  CookieJar jar;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&jar, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string name = "t" + std::to_string(t) + "_" + std::to_string(i % 20);
        EXPECT_FALSE(jar.set_from_response("https://example.com/", name + "=1; Max-Age=100"));
        EXPECT_NE(jar.cookie_header("wss://example.com/"), "");
        jar.cookies();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(jar.cookies().size(), 50u);  // 80 names, capped by the per-domain limit
}

}  // namespace
}  // namespace tether
