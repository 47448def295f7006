// tether_cookie_jar_*: the jar's rules are the C++ jar's (docs/cookies.md); these tests show that
// each C function reaches them, copies strings out safely, and reports failures as codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "c_test_support.hpp"
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

}  // namespace
}  // namespace tether::c_test
