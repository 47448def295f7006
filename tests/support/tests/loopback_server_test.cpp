#include "loopback_server.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "tether_test/temp_dir.hpp"

namespace tether::test {
namespace {

TEST(LoopbackServer, AMissingProgramFailsAtOnceNamingItAndTheScriptThatInstallsIt) {
  TempDir directory;
  std::optional<ChildProcess> process;
  bool configured = false;
  try {
    start_loopback_server(
        process, "Nothing", directory.path() / "no-such-server",
        [&](std::uint16_t) {
          configured = true;
          return std::vector<std::string>{};
        },
        directory.path() / "stderr", std::chrono::seconds(5), [] { return std::string(); });
    FAIL() << "a missing program started";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("no-such-server is missing"), std::string::npos) << message;
    EXPECT_NE(message.find("scripts/bootstrap"), std::string::npos) << message;
  }
  EXPECT_FALSE(configured);
  EXPECT_FALSE(process.has_value());
}

}  // namespace
}  // namespace tether::test
