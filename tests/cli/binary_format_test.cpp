#include "binary_format.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tether::cat {
namespace {

const std::string bytes{"\x00\xff\x10hi", 5};

TEST(BinaryFormat, Base64IsPaddedRfc4648) {
  EXPECT_EQ(format_binary(bytes, BinaryFormat::Base64), "AP8QaGk=");
  EXPECT_EQ(format_binary("", BinaryFormat::Base64), "");
}

TEST(BinaryFormat, HexIsTwoLowercaseDigitsPerByte) {
  EXPECT_EQ(format_binary(bytes, BinaryFormat::Hex), "00ff106869");
}

TEST(BinaryFormat, RawKeepsTheBytes) { EXPECT_EQ(format_binary(bytes, BinaryFormat::Raw), bytes); }

}  // namespace
}  // namespace tether::cat
