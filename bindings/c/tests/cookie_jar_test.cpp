// tether_cookie_jar_*: the jar's rules are the C++ jar's (docs/cookies.md); these tests show that
// each C function reaches them, copies strings out safely, and reports failures as codes; then
// that a connection sends the jar's cookies and stores those it is given, over each transport.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "c_test_support.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

std::string header_for(tether_cookie_jar* jar, const char* url) {
  char buffer[256];
  size_t length = 0;
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar, url, buffer, sizeof buffer, &length), TETHER_OK);
  return std::string(buffer, length);
}

class CookieJarTest : public ::testing::Test {
 protected:
  JarPtr jar_{tether_cookie_jar_create()};
  test::TempDir directory_;
};

TEST_F(CookieJarTest, AStringCookieIsSentToItsHost) {
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "sid=abc", "wss://gw.example.com/echo"),
            TETHER_OK);
  EXPECT_EQ(header_for(jar_.get(), "wss://gw.example.com/other"), "sid=abc");
  EXPECT_EQ(header_for(jar_.get(), "wss://elsewhere.example.com/"), "");
}

TEST_F(CookieJarTest, ASetCookieFromAResponseIsStoredAndAForeignOneRejected) {
  EXPECT_EQ(tether_cookie_jar_set_from_response(jar_.get(), "https://sso.example.com/login",
                                                "token=t1; Domain=example.com; Secure"),
            TETHER_OK);
  EXPECT_EQ(header_for(jar_.get(), "wss://gw.example.com/"), "token=t1");
  EXPECT_EQ(tether_cookie_jar_set_from_response(jar_.get(), "https://sso.example.com/",
                                                "x=1; Domain=other.org"),
            TETHER_COOKIE_REJECTED);
  EXPECT_STRNE(tether_cookie_jar_errmsg(jar_.get()), "");
}

TEST_F(CookieJarTest, ATooSmallBufferGivesTheNeededLengthAndIsNotWritten) {
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "name=value", "ws://h/"), TETHER_OK);
  char small[4] = {'#', '#', '#', '#'};
  size_t length = 0;
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar_.get(), "ws://h/", small, sizeof small, &length),
            TETHER_BUFFER_TOO_SMALL);
  EXPECT_EQ(length, std::string("name=value").size());
  EXPECT_EQ(small[0], '#');
  // Size 0 with a NULL buffer asks for the length only.
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar_.get(), "ws://h/", nullptr, 0, &length),
            TETHER_BUFFER_TOO_SMALL);
  EXPECT_EQ(length, 10u);
  std::vector<char> exact(length + 1);
  EXPECT_EQ(
      tether_cookie_jar_cookie_header(jar_.get(), "ws://h/", exact.data(), exact.size(), nullptr),
      TETHER_OK);
  EXPECT_STREQ(exact.data(), "name=value");
}

TEST_F(CookieJarTest, SaveThenLoadRoundTripsSessionCookiesWhenAsked) {
  const std::string path = (directory_.path() / "cookies.txt").string();
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "sid=abc", "wss://gw.example.com/"),
            TETHER_OK);
  ASSERT_EQ(tether_cookie_jar_save(jar_.get(), path.c_str(), 1), TETHER_OK);
  JarPtr loaded{tether_cookie_jar_create()};
  ASSERT_EQ(tether_cookie_jar_load(loaded.get(), path.c_str(), 1), TETHER_OK);
  EXPECT_EQ(header_for(loaded.get(), "wss://gw.example.com/"), "sid=abc");
  JarPtr without_session{tether_cookie_jar_create()};
  ASSERT_EQ(tether_cookie_jar_load(without_session.get(), path.c_str(), 0), TETHER_OK);
  EXPECT_EQ(header_for(without_session.get(), "wss://gw.example.com/"), "");
}

TEST_F(CookieJarTest, ACorruptFileIsACodeWithFileAndLineAndTheJarIsUnchanged) {
  const std::string path = (directory_.path() / "corrupt.txt").string();
  std::ofstream(path) << "# Netscape HTTP Cookie File\nnot a cookie line\n";
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "keep=1", "ws://h/"), TETHER_OK);
  EXPECT_EQ(tether_cookie_jar_load(jar_.get(), path.c_str(), 1), TETHER_COOKIE_FILE_CORRUPT);
  const std::string message = tether_cookie_jar_errmsg(jar_.get());
  EXPECT_NE(message.find("corrupt.txt"), std::string::npos) << message;
  EXPECT_EQ(header_for(jar_.get(), "ws://h/"), "keep=1");
}

TEST_F(CookieJarTest, AnUnwritablePathIsFileAccessFailed) {
  EXPECT_EQ(tether_cookie_jar_save(jar_.get(), "/nonexistent-dir/cookies.txt", 1),
            TETHER_FILE_ACCESS_FAILED);
  EXPECT_STRNE(tether_cookie_jar_errmsg(jar_.get()), "");
}

TEST_F(CookieJarTest, ClearForgetsEveryCookie) {
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "a=1", "ws://h/"), TETHER_OK);
  ASSERT_EQ(tether_cookie_jar_clear(jar_.get()), TETHER_OK);
  EXPECT_EQ(header_for(jar_.get(), "ws://h/"), "");
}

TEST_F(CookieJarTest, MisuseGivesCodesNotCrashes) {
  tether_cookie_jar* none = nullptr;
  char buffer[8];
  EXPECT_EQ(tether_cookie_jar_load(none, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_save(none, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add_from_string(none, "a=1", "ws://h/"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_set_from_response(none, "ws://h/", "a=1"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_cookie_header(none, "ws://h/", buffer, sizeof buffer, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_clear(none), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_cookie_jar_errmsg(none), "the tether_cookie_jar is NULL");
  tether_cookie_jar_free(none);

  EXPECT_EQ(tether_cookie_jar_load(jar_.get(), nullptr, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_save(jar_.get(), nullptr, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add_from_string(jar_.get(), nullptr, "ws://h/"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "a=1", nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "=nameless", "ws://h/"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_set_from_response(jar_.get(), nullptr, "a=1"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar_.get(), nullptr, buffer, sizeof buffer, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar_.get(), "ws://h/", nullptr, 8, nullptr),
            TETHER_INVALID_ARGUMENT);
}

CookieListPtr list_of(tether_cookie_jar* jar) {
  tether_cookie_list* list = nullptr;
  EXPECT_EQ(tether_cookie_jar_list(jar, &list), TETHER_OK);
  return CookieListPtr{list};
}

long long seconds_from_now(long long seconds) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         seconds;
}

TEST_F(CookieJarTest, AnAddedCookieIsListedWithEveryFieldAsGiven) {
  const long long expires = seconds_from_now(3600);
  ASSERT_EQ(tether_cookie_jar_add(jar_.get(), "sid", "abc", "example.com", "/app", expires,
                                  TETHER_COOKIE_SECURE, "Lax"),
            TETHER_OK)
      << tether_cookie_jar_errmsg(jar_.get());
  const auto list = list_of(jar_.get());
  ASSERT_EQ(tether_cookie_list_count(list.get()), 1u);
  const tether_cookie* cookie = tether_cookie_list_get(list.get(), 0);
  ASSERT_NE(cookie, nullptr);
  EXPECT_STREQ(cookie->name, "sid");
  EXPECT_STREQ(cookie->value, "abc");
  EXPECT_STREQ(cookie->domain, "example.com");
  EXPECT_STREQ(cookie->path, "/app");
  EXPECT_EQ(cookie->expires, expires);
  EXPECT_EQ(cookie->flags, unsigned{TETHER_COOKIE_SECURE});
  EXPECT_STREQ(cookie->same_site, "Lax");
  EXPECT_GE(cookie->creation_time, seconds_from_now(-60));
  EXPECT_EQ(tether_cookie_list_get(list.get(), 1), nullptr);
  // Not host-only: sent to subdomains; Secure: only over wss and https.
  EXPECT_EQ(header_for(jar_.get(), "wss://gw.example.com/app/x"), "sid=abc");
  EXPECT_EQ(header_for(jar_.get(), "ws://gw.example.com/app/x"), "");
}

TEST_F(CookieJarTest, AnAddedSessionCookieHasNoExpiryAndTheDefaultPath) {
  ASSERT_EQ(tether_cookie_jar_add(jar_.get(), "a", "1", "h.example", nullptr, -1,
                                  TETHER_COOKIE_HOST_ONLY | TETHER_COOKIE_HTTP_ONLY, nullptr),
            TETHER_OK);
  const auto list = list_of(jar_.get());
  ASSERT_EQ(tether_cookie_list_count(list.get()), 1u);
  const tether_cookie* cookie = tether_cookie_list_get(list.get(), 0);
  EXPECT_EQ(cookie->expires, -1);
  EXPECT_STREQ(cookie->path, "/");
  EXPECT_STREQ(cookie->same_site, "");
  EXPECT_EQ(cookie->flags, unsigned{TETHER_COOKIE_HOST_ONLY | TETHER_COOKIE_HTTP_ONLY});
}

TEST_F(CookieJarTest, AListIsASnapshotThatOutlivesChangesAndTheJar) {
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "kept=1", "ws://h/"), TETHER_OK);
  const auto list = list_of(jar_.get());
  ASSERT_EQ(tether_cookie_jar_clear(jar_.get()), TETHER_OK);
  jar_.reset();
  ASSERT_EQ(tether_cookie_list_count(list.get()), 1u);
  EXPECT_STREQ(tether_cookie_list_get(list.get(), 0)->name, "kept");
}

TEST_F(CookieJarTest, AddRefusesMissingFieldsUnknownFlagsAndWhatTheJarRefuses) {
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), nullptr, "v", "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_cookie_jar_errmsg(jar_.get()), "name is NULL");
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "n", nullptr, "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "n", "v", nullptr, "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "n", "v", "h", "/", -1, 8, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tether_cookie_jar_errmsg(jar_.get())).find("unknown flag bits 8"),
            std::string::npos);
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "", "v", "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "n", "v\t", "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_list_count(list_of(jar_.get()).get()), 0u);
}

TEST_F(CookieJarTest, RemoveExpiredKeepsOnlyLiveCookies) {
  ASSERT_EQ(
      tether_cookie_jar_add(jar_.get(), "live", "1", "h", "/", seconds_from_now(3600), 0, nullptr),
      TETHER_OK);
  tether_cookie_jar_add(jar_.get(), "dead", "1", "h", "/", 1, 0, nullptr);  // 1970
  ASSERT_EQ(tether_cookie_jar_remove_expired(jar_.get()), TETHER_OK);
  const auto list = list_of(jar_.get());
  ASSERT_EQ(tether_cookie_list_count(list.get()), 1u);
  EXPECT_STREQ(tether_cookie_list_get(list.get(), 0)->name, "live");
}

TEST_F(CookieJarTest, AJarWithLimitsEvictsAndRejectsBeyondThem) {
  JarPtr small{tether_cookie_jar_create_with_limits(2, 0, 16)};
  ASSERT_NE(small, nullptr);
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_EQ(tether_cookie_jar_add(small.get(), name, "1", "h", "/", -1, 0, nullptr), TETHER_OK);
  }
  EXPECT_EQ(tether_cookie_list_count(list_of(small.get()).get()), 2u);
  EXPECT_EQ(tether_cookie_jar_add(small.get(), "big", "0123456789abcdef", "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  // Zero keeps the defaults.
  JarPtr defaults{tether_cookie_jar_create_with_limits(0, 0, 0)};
  for (int i = 0; i < 3; ++i) {
    const std::string name = "n" + std::to_string(i);
    ASSERT_EQ(tether_cookie_jar_add(defaults.get(), name.c_str(), "1", "h", "/", -1, 0, nullptr),
              TETHER_OK);
  }
  EXPECT_EQ(tether_cookie_list_count(list_of(defaults.get()).get()), 3u);
}

TEST_F(CookieJarTest, TheNewFunctionsRefuseNullHandlesWithCodes) {
  tether_cookie_list* list = reinterpret_cast<tether_cookie_list*>(&list);
  EXPECT_EQ(tether_cookie_jar_list(nullptr, &list), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(list, nullptr) << "set to NULL whatever the failure";
  EXPECT_EQ(tether_cookie_jar_list(jar_.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_cookie_jar_errmsg(jar_.get()), "list is NULL");
  EXPECT_EQ(tether_cookie_jar_add(nullptr, "n", "v", "h", "/", -1, 0, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_jar_remove_expired(nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_cookie_list_count(nullptr), 0u);
  EXPECT_EQ(tether_cookie_list_get(nullptr, 0), nullptr);
  tether_cookie_list_free(nullptr);
}

TEST_F(CookieJarTest, OneJarServesSeveralThreadsEachWithItsOwnErrorMessage) {
  std::vector<std::thread> threads;
  std::vector<std::string> messages(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string cookie = "c" + std::to_string(t) + "=" + std::to_string(i);
        EXPECT_EQ(tether_cookie_jar_add_from_string(jar_.get(), cookie.c_str(), "ws://h/"),
                  TETHER_OK);
      }
      EXPECT_EQ(tether_cookie_jar_load(jar_.get(), nullptr, 0), TETHER_INVALID_ARGUMENT);
      messages[t] = tether_cookie_jar_errmsg(jar_.get());
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& message : messages) EXPECT_EQ(message, "path is NULL");
  EXPECT_STREQ(tether_cookie_jar_errmsg(jar_.get()), "");  // this thread made no failed call
  // Equal paths are ordered by creation time, which here depends on which thread came first.
  std::vector<std::string> cookies;
  std::istringstream header(header_for(jar_.get(), "ws://h/"));
  for (std::string cookie; std::getline(header >> std::ws, cookie, ';');) cookies.push_back(cookie);
  std::sort(cookies.begin(), cookies.end());
  EXPECT_EQ(cookies, (std::vector<std::string>{"c0=199", "c1=199", "c2=199", "c3=199"}));
}

/// A connection with a cookie jar, over each transport: the emulation sends and stores cookies
/// for the WebSocket URL, as the native handshake does (docs/emulation.md section 3).
class ConnectionCookiesTest : public ::testing::TestWithParam<tether_transport_policy> {
 protected:
  ConnectionCookiesTest() { recorder_.record(client_.get()); }

  /// Connects to `url` with jar_ and waits until open.
  void open(const std::string& url) {
    auto options = trusting_options(url, GetParam());
    ASSERT_EQ(tether_options_set_cookie_jar(options.get(), jar_.get()), TETHER_OK);
    ASSERT_TRUE(connect_and_open(client_.get(), options, recorder_));
    tether_transport transport = TETHER_TRANSPORT_NONE;
    ASSERT_EQ(tether_client_transport(client_.get(), &transport), TETHER_OK);
    EXPECT_EQ(transport, transport_of(GetParam()));
  }

  test::TempDir directory_;
  JarPtr jar_{tether_cookie_jar_create()};
  Recorder recorder_;
  ClientPtr client_{tether_client_create()};
};

TEST_P(ConnectionCookiesTest, TheLoginSessionCookieIsSentAndStandsInForCredentials) {
  // /echo asks for nothing but the session cookie: without it the gateway answers 403.
  test::Gateway gateway{config_with_alice(directory_.path(), {{"/echo", {{"sso_cookie", true}}}})};
  const auto login = post_alices_password(https_url(gateway, "/login"), jar_.get());
  ASSERT_TRUE(login);
  ASSERT_EQ(tether_http_response_status(login.get()), 200);
  open(gateway.wss_url("/echo"));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("session_cookie"), 1);
}

TEST_P(ConnectionCookiesTest, ACookieTheHandshakeSetsIsStoredForTheWebSocketUrl) {
  // No Path: the default path comes from the WebSocket URL's /echo, which gives "/".
  test::Gateway gateway{gateway_config(
      {{"services", {{"/echo", {{"set_cookie_on_upgrade", {"affinity=node-1"}}}}}}})};
  open(gateway.ws_url("/echo"));
  const auto list = list_of(jar_.get());
  ASSERT_EQ(tether_cookie_list_count(list.get()), 1u);
  const tether_cookie* cookie = tether_cookie_list_get(list.get(), 0);
  EXPECT_STREQ(cookie->name, "affinity");
  EXPECT_STREQ(cookie->value, "node-1");
  EXPECT_STREQ(cookie->domain, "127.0.0.1");
  EXPECT_STREQ(cookie->path, "/");
  EXPECT_EQ(header_for(jar_.get(), gateway.ws_url("/echo").c_str()), "affinity=node-1");
}

INSTANTIATE_TEST_SUITE_P(Transports, ConnectionCookiesTest, ::testing::ValuesIn(each_transport),
                         [](const auto& parameter) { return transport_name(parameter.param); });

}  // namespace
}  // namespace tether::c_test
