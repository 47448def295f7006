// core::is_valid_utf8 against RFC 3629's table of well-formed byte sequences (section 4).

#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tether::core {
namespace {

using namespace std::string_literals;

TEST(Utf8, AcceptsEachEncodingLength) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII\x7F"));
  EXPECT_TRUE(is_valid_utf8("\x00"s));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080, the smallest 2-byte form
  EXPECT_TRUE(is_valid_utf8("\xDF\xBF"));          // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, the smallest 3-byte form
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, the smallest 4-byte form
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the largest code point
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
}

TEST(Utf8, RejectsCodePointsAboveU10FFFF) {
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, RejectsBrokenSequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));           // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("a\xC3"));          // truncated at the end
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));       // truncated 3-byte form
  EXPECT_FALSE(is_valid_utf8("\xE2(\xAC"));      // a non-continuation inside
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98("));  // the last byte is not a continuation
  EXPECT_FALSE(is_valid_utf8("\xC3\xA9\xA9"));   // one continuation too many
}

}  // namespace
}  // namespace tether::core
