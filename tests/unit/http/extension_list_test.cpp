// RFC 6455 section 9.1: the syntax of Sec-WebSocket-Extensions (and Tether-Extensions).

#include "http/extension_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::http {
namespace {

std::vector<Extension> parse(std::string_view value) {
  std::vector<Extension> extensions;
  const Error error = parse_extension_list("Sec-WebSocket-Extensions", value, extensions);
  EXPECT_FALSE(error) << error.message;
  return extensions;
}

void expect_malformed(std::string_view value, const std::string& expected) {
  std::vector<Extension> extensions{Extension{}};
  const Error error = parse_extension_list("Sec-WebSocket-Extensions", value, extensions);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << value;
  EXPECT_NE(error.message.find("Sec-WebSocket-Extensions"), std::string::npos);
  EXPECT_NE(error.message.find(expected), std::string::npos) << error.message;
  EXPECT_TRUE(extensions.empty());
}

TEST(ExtensionList, ParsesNamesParametersAndValues) {
  const auto extensions = parse("permessage-deflate; client_max_window_bits, x-a; v=1; w=\"t\"");
  ASSERT_EQ(extensions.size(), 2u);
  EXPECT_EQ(extensions[0].name, "permessage-deflate");
  ASSERT_EQ(extensions[0].parameters.size(), 1u);
  EXPECT_EQ(extensions[0].parameters[0].name, "client_max_window_bits");
  EXPECT_FALSE(extensions[0].parameters[0].has_value);
  EXPECT_EQ(extensions[1].name, "x-a");
  ASSERT_EQ(extensions[1].parameters.size(), 2u);
  EXPECT_EQ(extensions[1].parameters[0].value, "1");
  EXPECT_EQ(extensions[1].parameters[1].value, "t");
  EXPECT_TRUE(extensions[1].parameters[1].has_value);
}

TEST(ExtensionList, SkipsEmptyElementsAndWhitespace) {
  const auto extensions = parse(" , x-a ,\t, x-b ; p = 2 ,");
  ASSERT_EQ(extensions.size(), 2u);
  EXPECT_EQ(extensions[1].parameters[0].value, "2");
  EXPECT_TRUE(parse("").empty());
}

TEST(ExtensionList, UnquotesAQuotedPair) {
  EXPECT_EQ(parse("x; v=\"a\\b\"")[0].parameters[0].value, "ab");
}

TEST(ExtensionList, RefusesMalformedLists) {
  expect_malformed("x; v=\"1", "closing");
  expect_malformed("x; v=\"a b\"", "token");
  expect_malformed("x; v=", "parameter value");
  expect_malformed("x; =1", "parameter name");
  expect_malformed("x y", "',' or ';'");
  expect_malformed("=x", "extension name");
  expect_malformed("x; v=1\x01", "',' or ';'");
}

}  // namespace
}  // namespace tether::http
