// What is wrong with a 101 response that does not complete the upgrade (RFC 6455 section 4.1).
#include "transport/native/upgrade_response_check.hpp"

#include <gtest/gtest.h>

namespace tether::transport {
namespace {

// RFC 6455 section 1.3's example.
constexpr std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

TEST(UpgradeResponseCheck, TheAcceptValueIsTheRfcs) { EXPECT_EQ(expected_accept(key), accept); }

TEST(UpgradeResponseCheck, AValidUpgradeBreaksNothing) {
  EXPECT_EQ(describe_invalid_upgrade({key, "websocket", "Upgrade", accept}), "");
  EXPECT_EQ(describe_invalid_upgrade({key, "WebSocket", "keep-alive, upgrade", accept}), "");
}

TEST(UpgradeResponseCheck, EachBrokenRequirementIsNamed) {
  EXPECT_NE(describe_invalid_upgrade({key, "", "Upgrade", accept}).find("Upgrade: websocket"),
            std::string::npos);
  EXPECT_NE(
      describe_invalid_upgrade({key, "websocket", "close", accept}).find("Connection: Upgrade"),
      std::string::npos);
  EXPECT_NE(describe_invalid_upgrade({key, "websocket", "Upgrade", ""}).find("no Sec-WebSocket"),
            std::string::npos);
  EXPECT_NE(describe_invalid_upgrade({key, "websocket", "Upgrade", "bm90IHRoZSByaWdodCBrZXk="})
                .find("Sec-WebSocket-Accept does not match"),
            std::string::npos);
}

}  // namespace
}  // namespace tether::transport
