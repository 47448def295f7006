#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "curl_client.hpp"
#include "echo_http_server.hpp"
#include "temporary_directory.hpp"
#include "tether/cookies.hpp"

namespace tether {
namespace {

// Cookies of every kind the file format carries: host-only and domain, secure, HttpOnly,
// persistent and session, a non-root path.
const std::vector<std::string> kinds_of_cookie = {
    "host=1",
    "domain=2; Domain=example.com",
    "secure=3; Secure; Max-Age=3600",
    "httponly=4; HttpOnly; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
    "deep=5; Path=/app/ws; Max-Age=3600",
};
const char* const set_url = "https://www.example.com/login";
const std::vector<std::string> request_urls = {
    "https://www.example.com/app/ws/echo", "http://www.example.com/app/ws",
    "https://api.example.com/", "https://www.example.com/"};

// The cookies of a Cookie header regardless of order: libcurl breaks ties between equal path
// lengths by domain and name length before creation time (see the differential test), and a
// file loses creation times anyway. The order itself is tested in cookie_jar_test.cpp.
std::multiset<std::string> cookies_of(const std::string& header) {
  std::multiset<std::string> pairs;
  for (std::size_t start = 0; start < header.size();) {
    const auto end = std::min(header.find("; ", start), header.size());
    pairs.insert(header.substr(start, end - start));
    start = end + 2;
  }
  return pairs;
}

std::string websocket_url(const std::string& http_url) {
  return http_url.rfind("https", 0) == 0 ? "wss" + http_url.substr(5) : "ws" + http_url.substr(4);
}

TEST(CurlInterop, OurJarReadsWhatCurlWrites) {
  test::EchoHttpServer server;
  test::TemporaryDirectory directory;
  const std::string path = directory.file("curl-cookies.txt");
  test::CurlClient curl(server);
  server.set_next_cookies(kinds_of_cookie);
  ASSERT_EQ(curl.get(set_url), "");
  curl.save_cookies(path);

  CookieJar jar;
  ASSERT_FALSE(jar.load(path));
  EXPECT_EQ(jar.cookies().size(), kinds_of_cookie.size());
  for (const std::string& url : request_urls) {
    ASSERT_EQ(curl.get(url), "");
    EXPECT_EQ(cookies_of(jar.cookie_header(websocket_url(url))),
              cookies_of(server.last_cookie_header()))
        << url;
  }
}

TEST(CurlInterop, CurlReadsWhatOurJarWrites) {
  test::EchoHttpServer server;
  test::TemporaryDirectory directory;
  const std::string path = directory.file("tether-cookies.txt");
  CookieJar jar;
  for (const std::string& cookie : kinds_of_cookie) {
    ASSERT_FALSE(jar.set_from_response(set_url, cookie)) << cookie;
  }
  ASSERT_FALSE(jar.save(path, {/*include_session_cookies=*/true}));

  test::CurlClient curl(server, path);
  for (const std::string& url : request_urls) {
    ASSERT_EQ(curl.get(url), "");
    EXPECT_EQ(cookies_of(server.last_cookie_header()), cookies_of(jar.cookie_header(url))) << url;
  }
}

TEST(CurlInterop, ARoundTripThroughCurlKeepsEveryField) {
  test::EchoHttpServer server;
  test::TemporaryDirectory directory;
  const std::string ours = directory.file("ours.txt");
  const std::string theirs = directory.file("theirs.txt");
  CookieJar jar;
  for (const std::string& cookie : kinds_of_cookie) {
    ASSERT_FALSE(jar.set_from_response(set_url, cookie));
  }
  ASSERT_FALSE(jar.save(ours, {true}));
  {
    test::CurlClient curl(server, ours);
    ASSERT_EQ(curl.get("http://unrelated.test/"), "");
    curl.save_cookies(theirs);
  }
  CookieJar back;
  ASSERT_FALSE(back.load(theirs));
  const auto before = jar.cookies();
  const auto after = back.cookies();
  ASSERT_EQ(after.size(), before.size());
  for (const Cookie& original : before) {
    const auto match = std::find_if(after.begin(), after.end(), [&](const Cookie& cookie) {
      return cookie.name == original.name;
    });
    ASSERT_NE(match, after.end()) << original.name;
    EXPECT_EQ(match->value, original.value);
    EXPECT_EQ(match->domain, original.domain);
    EXPECT_EQ(match->path, original.path);
    EXPECT_EQ(match->host_only, original.host_only);
    EXPECT_EQ(match->secure, original.secure);
    EXPECT_EQ(match->http_only, original.http_only);
    EXPECT_EQ(match->expires.has_value(), original.expires.has_value()) << original.name;
  }
}

}  // namespace
}  // namespace tether
