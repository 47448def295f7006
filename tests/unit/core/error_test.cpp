#include "tether/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tether {
namespace {

TEST(Error, DefaultIsSuccess) {
  const Error error;
  EXPECT_FALSE(error);
  EXPECT_EQ(error.code, ErrorCode::None);
}

TEST(Error, CodeNamesAreStableAndDistinct) {
  EXPECT_STREQ(to_string(ErrorCode::TlsHostnameMismatch), "TlsHostnameMismatch");
  EXPECT_STREQ(to_string(ErrorCode::AuthFailed), "AuthFailed");
  std::set<std::string> names;
  for (int code = 0; code <= static_cast<int>(ErrorCode::WouldBlock); ++code) {
    names.insert(to_string(static_cast<ErrorCode>(code)));
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::WouldBlock) + 1);
  EXPECT_EQ(names.count("Unknown"), 0U);
}

TEST(Error, TlsCodesAreRecognised) {
  EXPECT_TRUE((Error{ErrorCode::TlsPinMismatch, "x"}).is_tls());
  EXPECT_TRUE((Error{ErrorCode::TlsConfiguration, "x"}).is_tls());
  EXPECT_FALSE((Error{ErrorCode::HandshakeRejected, "x", 403}).is_tls());
}

TEST(Error, MixesWithStdErrorCode) {
  const std::error_code code = ErrorCode::PongTimeout;
  EXPECT_EQ(code.category().name(), std::string("tether"));
  EXPECT_EQ(code.message(), "PongTimeout");
  EXPECT_TRUE(code == ErrorCode::PongTimeout);
}

}  // namespace
}  // namespace tether
