#include "tls/context_key.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tether_test/temp_dir.hpp"

namespace tether::tls {
namespace {

TEST(ContextKey, NamesTheFilesAsTheyAreNow) {
  test::TempDir directory;
  const auto file = directory.path() / "ca.pem";
  TlsOptions options;
  options.ca_file = file.string();
  const std::string missing = context_key(options);
  { std::ofstream(file) << "one"; }  // sizes differ: the clock's grain may not tell
  const std::string written = context_key(options);
  { std::ofstream(file) << "a longer text"; }
  const std::string rewritten = context_key(options);
  EXPECT_NE(missing, written);
  EXPECT_NE(written, rewritten);
  EXPECT_EQ(rewritten, context_key(options));
}

}  // namespace
}  // namespace tether::tls
