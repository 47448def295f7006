// tether_fallback_memory_*: the file round trip and the failures, as a C program sees them. The
// memory at work in a connection is in client_test.cpp (ClientTransportPolicyTest).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "c_test_support.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

class FallbackMemoryTest : public ::testing::Test {
 protected:
  std::string file(const char* name) const { return (directory_.path() / name).string(); }

  test::TempDir directory_;
  FallbackMemoryPtr memory_{tether_fallback_memory_create()};
};

TEST_F(FallbackMemoryTest, AMissingFileLoadsAsEmpty) {
  ASSERT_NE(memory_, nullptr);
  EXPECT_EQ(tether_fallback_memory_load(memory_.get(), file("absent").c_str()), TETHER_OK);
  EXPECT_STREQ(tether_fallback_memory_errmsg(memory_.get()), "");
}

TEST_F(FallbackMemoryTest, AMalformedFileIsInvalidArgumentNamingTheLineAndChangesNothing) {
  const auto good = file("good");
  std::ofstream(good) << "99999999999999 gateway.example.com:443\n";
  ASSERT_EQ(tether_fallback_memory_load(memory_.get(), good.c_str()), TETHER_OK);
  const auto bad = file("bad");
  std::ofstream(bad) << "99999999999999 other.example.com:443\nnot an entry\n";
  EXPECT_EQ(tether_fallback_memory_load(memory_.get(), bad.c_str()), TETHER_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tether_fallback_memory_errmsg(memory_.get())).find("line 2"),
            std::string::npos)
      << tether_fallback_memory_errmsg(memory_.get());

  const auto saved = file("saved");
  ASSERT_EQ(tether_fallback_memory_save(memory_.get(), saved.c_str()), TETHER_OK);
  std::ifstream in(saved);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NE(text.find("gateway.example.com:443"), std::string::npos) << text;
  EXPECT_EQ(text.find("other.example.com"), std::string::npos) << text;
}

TEST_F(FallbackMemoryTest, ClearForgetsEverything) {
  const auto good = file("good");
  std::ofstream(good) << "99999999999999 gateway.example.com:443\n";
  ASSERT_EQ(tether_fallback_memory_load(memory_.get(), good.c_str()), TETHER_OK);
  ASSERT_EQ(tether_fallback_memory_clear(memory_.get()), TETHER_OK);
  ASSERT_EQ(tether_fallback_memory_save(memory_.get(), good.c_str()), TETHER_OK);
  std::ifstream in(good);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(text.find("gateway.example.com"), std::string::npos) << text;
}

TEST_F(FallbackMemoryTest, AnUnwritablePathIsFileAccessFailed) {
  EXPECT_EQ(tether_fallback_memory_save(memory_.get(), file("no/such/dir").c_str()),
            TETHER_FILE_ACCESS_FAILED);
  EXPECT_STRNE(tether_fallback_memory_errmsg(memory_.get()), "");
}

TEST(FallbackMemoryMisuse, NullArgumentsAreInvalidArguments) {
  EXPECT_EQ(tether_fallback_memory_load(nullptr, "x"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_fallback_memory_save(nullptr, "x"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_fallback_memory_clear(nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_fallback_memory_errmsg(nullptr), "the tether_fallback_memory is NULL");
  FallbackMemoryPtr memory{tether_fallback_memory_create()};
  EXPECT_EQ(tether_fallback_memory_load(memory.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_fallback_memory_save(memory.get(), nullptr), TETHER_INVALID_ARGUMENT);
  tether_fallback_memory_free(nullptr);
}

}  // namespace
}  // namespace tether::c_test
