#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "temporary_directory.hpp"
#include "test_clock.hpp"
#include "tether/cookies.hpp"

namespace tether {
namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

class CookiePersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(first.set_from_response("https://login.example.com/sso",
                                         "sid=abc; Domain=example.com; Path=/; Secure; HttpOnly; "
                                         "Max-Age=3600"));
    ASSERT_FALSE(first.set_from_response("https://gateway.example.com/app/x", "pref=dark"));
  }

  test::TemporaryDirectory directory;
  std::string path = directory.file("cookies.txt");
  test::TestClock clock;
  CookieJar first{CookieLimits{}, clock.function()};
};

TEST_F(CookiePersistenceTest, ASecondJarLoadsWhatTheFirstSaved) {
  ASSERT_FALSE(first.save(path, {/*include_session_cookies=*/true}));
  CookieJar second{CookieLimits{}, clock.function()};  // as after a restart of the process
  ASSERT_FALSE(second.load(path));
  EXPECT_EQ(second.cookie_header("wss://gateway.example.com/app/echo"), "pref=dark; sid=abc");
  EXPECT_EQ(second.cookie_header("ws://gateway.example.com/app/echo"), "pref=dark");
  const auto cookies = second.cookies();
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_TRUE(cookies[0].http_only);
  EXPECT_TRUE(cookies[0].secure);
  EXPECT_FALSE(cookies[0].host_only);
  EXPECT_EQ(cookies[0].expires, clock.now() + std::chrono::seconds{3600});
  EXPECT_TRUE(cookies[1].host_only);
  EXPECT_EQ(cookies[1].path, "/app");
}

TEST_F(CookiePersistenceTest, SessionCookiesAreSavedOnlyWhenAsked) {
  ASSERT_FALSE(first.save(path));
  CookieJar second;
  ASSERT_FALSE(second.load(path));
  ASSERT_EQ(second.cookies().size(), 1u);
  EXPECT_EQ(second.cookies()[0].name, "sid");
}

TEST_F(CookiePersistenceTest, LoadCanSkipSessionCookies) {
  ASSERT_FALSE(first.save(path, {true}));
  CookieJar second;
  ASSERT_FALSE(second.load(path, {/*include_session_cookies=*/false}));
  ASSERT_EQ(second.cookies().size(), 1u);
  EXPECT_EQ(second.cookies()[0].name, "sid");
}

TEST_F(CookiePersistenceTest, ExpiredCookiesAreNeitherSavedNorLoaded) {
  ASSERT_FALSE(first.save(path, {true}));
  clock.advance(3600);
  CookieJar later{CookieLimits{}, clock.function()};
  ASSERT_FALSE(later.load(path));
  EXPECT_EQ(later.cookie_header("wss://gateway.example.com/app/"), "pref=dark");
  ASSERT_FALSE(first.save(path, {true}));
  EXPECT_EQ(read_text(path).find("sid"), std::string::npos);
}

TEST_F(CookiePersistenceTest, TheFileIsPrivateAndNoTemporaryFileRemains) {
  ASSERT_FALSE(first.save(path));
  ASSERT_FALSE(first.save(path));  // replacing an existing file too
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(CookiePersistenceTest, ACorruptFileIsATypedErrorAndTheJarIsUnchanged) {
  write_text(path,
             "# Netscape HTTP Cookie File\n"
             ".example.com\tTRUE\t/\tFALSE\t0\tnew\t1\n"
             "example.com\tTRUE\t/\tFALSE\tnever\tbad\t1\n");
  const Error error = first.load(path);
  EXPECT_EQ(error.code, ErrorCode::CookieFileCorrupt);
  EXPECT_NE(error.message.find(path), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("line 3"), std::string::npos) << error.message;
  EXPECT_EQ(first.cookies().size(), 2u);
  EXPECT_EQ(first.cookie_header("wss://gateway.example.com/app/"), "pref=dark; sid=abc");
  EXPECT_FALSE(first.set_from_response("https://example.com/", "after=1"));  // still usable
}

TEST_F(CookiePersistenceTest, AMissingFileIsAnEmptyJar) {
  EXPECT_FALSE(first.load(directory.file("absent.txt")));
  EXPECT_EQ(first.cookies().size(), 2u);
}

TEST_F(CookiePersistenceTest, UnreadableAndUnwritablePathsAreFileAccessErrors) {
  const Error read_error = first.load(directory.path().string());
  EXPECT_EQ(read_error.code, ErrorCode::FileAccessFailed);
  EXPECT_NE(read_error.message.find(directory.path().string()), std::string::npos);
  EXPECT_EQ(first.save(directory.file("no/such/dir/cookies.txt")).code,
            ErrorCode::FileAccessFailed);
}

TEST_F(CookiePersistenceTest, LoadingReplacesNamesakesAndKeepsOthers) {
  write_text(path, "gateway.example.com\tFALSE\t/app\tFALSE\t0\tpref\tlight\n");
  ASSERT_FALSE(first.load(path));
  EXPECT_EQ(first.cookie_header("wss://gateway.example.com/app/"), "pref=light; sid=abc");
}

TEST_F(CookiePersistenceTest, UnstorableLinesAreSkipped) {
  write_text(path,
             "example.com\tFALSE\t/\tFALSE\t0\t\tnameless\n"
             "example.com\tFALSE\t/\tFALSE\t1\told\tx\n"
             "example.com\tFALSE\t/\tFALSE\t0\tok\ty\n");
  CookieJar jar;
  ASSERT_FALSE(jar.load(path));
  EXPECT_EQ(jar.cookie_header("http://example.com/"), "ok=y");
}

}  // namespace
}  // namespace tether
