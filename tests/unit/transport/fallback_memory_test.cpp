// FallbackMemory (docs/emulation.md section 11, "Remembered"): its keys, its expiry and its file.
#include "tether/fallback_memory.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tether_test/temp_dir.hpp"

namespace tether {
namespace {

using namespace std::chrono_literals;
using Clock = FallbackMemory::Clock;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

long long milliseconds_since_epoch(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TEST(FallbackMemoryKey, IsTheHostAndPortOfTheUrlWithItsDefaultPort) {
  EXPECT_EQ(FallbackMemory::key("wss://Gateway.Example.com/echo?token=secret", ""),
            "gateway.example.com:443");
  EXPECT_EQ(FallbackMemory::key("ws://gateway.example.com:8080/echo", ""),
            "gateway.example.com:8080");
}

TEST(FallbackMemoryKey, NamesTheProxyWithoutItsCredentials) {
  EXPECT_EQ(FallbackMemory::key("ws://gateway.example.com/echo",
                                "http://user:password@proxy.example.com:3128"),
            "gateway.example.com:80 via proxy.example.com:3128");
}

TEST(FallbackMemoryKey, BracketsAnIpv6Host) {
  EXPECT_EQ(FallbackMemory::key("wss://[::1]:8443/echo", ""), "[::1]:8443");
  EXPECT_EQ(FallbackMemory::key("ws://[2001:db8::1]/echo", "http://[::1]:3128"),
            "[2001:db8::1]:80 via [::1]:3128");
}

TEST(FallbackMemoryKey, IsEmptyForAUrlThatDoesNotParse) {
  EXPECT_EQ(FallbackMemory::key("http://gateway.example.com/", ""), "");
  EXPECT_EQ(FallbackMemory::key("ws://gateway.example.com/", "not a proxy"), "");
}

TEST(FallbackMemory, RemembersAKeyUntilItsTimeAndThenForgetsIt) {
  FallbackMemory memory;
  const auto now = Clock::now();
  memory.remember("gateway.example.com:443", now + 10min);
  EXPECT_TRUE(memory.remembers("gateway.example.com:443", now));
  EXPECT_TRUE(memory.remembers("gateway.example.com:443", now + 9min));
  EXPECT_FALSE(memory.remembers("gateway.example.com:443", now + 10min));
  // Past its time the entry is gone, even for an earlier `now`.
  EXPECT_FALSE(memory.remembers("gateway.example.com:443", now));
  EXPECT_FALSE(memory.remembers("other.example.com:443", now));
}

TEST(FallbackMemory, TheSameGatewayThroughAProxyIsAnotherKey) {
  FallbackMemory memory;
  memory.remember(FallbackMemory::key("ws://gateway.example.com/", "http://proxy:3128"),
                  Clock::now() + 1min);
  EXPECT_FALSE(memory.remembers(FallbackMemory::key("ws://gateway.example.com/", "")));
  EXPECT_TRUE(
      memory.remembers(FallbackMemory::key("ws://gateway.example.com/x", "http://proxy:3128")));
}

TEST(FallbackMemory, ForgetsOneKeyOrAll) {
  FallbackMemory memory;
  memory.remember("a:1", Clock::now() + 1min);
  memory.remember("b:2", Clock::now() + 1min);
  memory.forget("a:1");
  EXPECT_FALSE(memory.remembers("a:1"));
  EXPECT_TRUE(memory.remembers("b:2"));
  memory.clear();
  EXPECT_FALSE(memory.remembers("b:2"));
}

TEST(FallbackMemory, IgnoresAnEmptyKey) {
  FallbackMemory memory;
  memory.remember("", Clock::now() + 1min);
  EXPECT_FALSE(memory.remembers(""));
}

TEST(FallbackMemory, TheProcessMemoryIsOneObject) {
  ASSERT_NE(FallbackMemory::process(), nullptr);
  EXPECT_EQ(FallbackMemory::process().get(), FallbackMemory::process().get());
}

TEST(FallbackMemoryFile, SaveThenLoadGivesTheEntriesStillInForce) {
  test::TempDir directory;
  const auto path = directory.path() / "fallback";
  FallbackMemory saved;
  const auto until = Clock::now() + 10min;
  saved.remember("[::1]:8443 via proxy.example.com:3128", until);
  saved.remember("gateway.example.com:80", until + 1min);
  saved.remember("expired.example.com:80", Clock::now() - 1s);
  ASSERT_FALSE(saved.save(path.string()));
  EXPECT_EQ(read_text(path).find("expired"), std::string::npos) << read_text(path);

  FallbackMemory loaded;
  ASSERT_FALSE(loaded.load(path.string()));
  EXPECT_TRUE(loaded.remembers("[::1]:8443 via proxy.example.com:3128"));
  EXPECT_TRUE(loaded.remembers("gateway.example.com:80"));
  EXPECT_FALSE(loaded.remembers("expired.example.com:80"));
  // To the millisecond, the file's unit.
  EXPECT_TRUE(loaded.remembers("gateway.example.com:80", until + 1min - 1ms));
  EXPECT_FALSE(loaded.remembers("gateway.example.com:80", until + 1min));
}

TEST(FallbackMemoryFile, IsWrittenWithMode0600) {
  test::TempDir directory;
  const auto path = directory.path() / "fallback";
  FallbackMemory memory;
  memory.remember("gateway.example.com:443", Clock::now() + 1min);
  ASSERT_FALSE(memory.save(path.string()));
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

TEST(FallbackMemoryFile, ALoadKeepsTheLaterOfTwoTimes) {
  test::TempDir directory;
  const auto path = directory.path() / "fallback";
  const auto later = Clock::now() + 1h;
  write_text(path, std::to_string(milliseconds_since_epoch(Clock::now() + 1min)) + " a:1\n");
  FallbackMemory memory;
  memory.remember("a:1", later);
  ASSERT_FALSE(memory.load(path.string()));
  EXPECT_TRUE(memory.remembers("a:1", later - 1s));
}

TEST(FallbackMemoryFile, ATimePastTheClocksRangeIsItsLastInstant) {
  test::TempDir directory;
  const auto path = directory.path() / "fallback";
  // 18 digits: the largest time the file takes, far past what the clock can hold.
  write_text(path, "999999999999999999 a:1\n");
  FallbackMemory memory;
  ASSERT_FALSE(memory.load(path.string()));
  EXPECT_TRUE(memory.remembers("a:1", Clock::time_point::max() - 1ms));
}

TEST(FallbackMemoryFile, AMissingFileIsNoErrorAndChangesNothing) {
  test::TempDir directory;
  FallbackMemory memory;
  memory.remember("a:1", Clock::now() + 1min);
  EXPECT_FALSE(memory.load((directory.path() / "absent").string()));
  EXPECT_TRUE(memory.remembers("a:1"));
}

TEST(FallbackMemoryFile, AnUnwritablePathIsFileAccessFailed) {
  test::TempDir directory;
  FallbackMemory memory;
  const Error error = memory.save((directory.path() / "no" / "such" / "dir").string());
  EXPECT_EQ(error.code, ErrorCode::FileAccessFailed);
}

class MalformedFallbackFile : public ::testing::TestWithParam<const char*> {};

TEST_P(MalformedFallbackFile, IsInvalidArgumentAndChangesNothing) {
  test::TempDir directory;
  const auto path = directory.path() / "fallback";
  const auto in_force = std::to_string(milliseconds_since_epoch(Clock::now() + 1h));
  // A good line first: a malformed file adds none of its entries.
  write_text(path, in_force + " good.example.com:80\n" + GetParam());
  FallbackMemory memory;
  memory.remember("kept.example.com:80", Clock::now() + 1min);
  const Error error = memory.load(path.string());
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_NE(error.message.find("line 2"), std::string::npos) << error.message;
  EXPECT_FALSE(memory.remembers("good.example.com:80"));
  EXPECT_TRUE(memory.remembers("kept.example.com:80"));
}

INSTANTIATE_TEST_SUITE_P(Line, MalformedFallbackFile,
                         ::testing::Values("gateway.example.com:80\n", "12x4 a:1\n", "-5 a:1\n",
                                           "1234\n", "1234 \n", "99999999999999999999 a:1\n",
                                           "1234 a:1\tb\n", " 1234 a:1\n", "1234  a:1\n"));

}  // namespace
}  // namespace tether
