// The head of an HTTP/1.x response (RFC 9112 sections 2 to 5), as the proxy tunnel and the
// response reader read it.
#include "http/response_head.hpp"

#include <gtest/gtest.h>

namespace tether::http {
namespace {

TEST(ResponseHead, TheStatusLineGivesVersionStatusAndReason) {
  ResponseHead head;
  ASSERT_FALSE(read_response_head("HTTP/1.0 404 Not  Found \r\n\r\n", head));
  EXPECT_EQ(head.http_minor, 0);
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(head.reason, "Not  Found");
  EXPECT_TRUE(head.fields.empty());
}

TEST(ResponseHead, FieldsKeepTheirOrderSpellingAndRepetitionWithValuesTrimmed) {
  ResponseHead head;
  ASSERT_FALSE(read_response_head(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\ncontent-length:\t3 \r\nSet-Cookie:b=2\r\nX-Empty:"
      "\r\n\r\n",
      head));
  EXPECT_EQ(head.http_minor, 1);
  EXPECT_EQ(
      head.fields,
      (HeaderFields{
          {"Set-Cookie", "a=1"}, {"content-length", "3"}, {"Set-Cookie", "b=2"}, {"X-Empty", ""}}));
}

TEST(ResponseHead, WhatFollowsTheEmptyLineIsNotRead) {
  ResponseHead head;
  ASSERT_FALSE(read_response_head("HTTP/1.1 200 OK\r\nA: b\r\n\r\nnot: a field\r\n\r\n", head));
  EXPECT_EQ(head.fields, (HeaderFields{{"A", "b"}}));
}

TEST(ResponseHead, AFoldedFieldLineIsAProtocolErrorAndLeavesTheHeadEmpty) {
  ResponseHead head;
  const Error error = read_response_head("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", head);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(error.message, "has a malformed header field");
  EXPECT_EQ(head.status, 0);
  EXPECT_TRUE(head.fields.empty());
}

TEST(ResponseHead, AnEmptyFirstLineIsNotAStatusLine) {
  ResponseHead head;
  const Error error = read_response_head("\r\nHTTP/1.1 200 OK\r\n\r\n", head);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(error.message, "does not start with an HTTP/1.x status line");
}

TEST(ResponseHead, FieldLinesAloneAreReadAsATrailerSection) {
  HeaderFields fields;
  ASSERT_FALSE(read_field_lines("\r\n", fields));
  EXPECT_TRUE(fields.empty());
  ASSERT_FALSE(read_field_lines("Checksum: abc\r\nExpires: never\r\n\r\n", fields));
  EXPECT_EQ(fields, (HeaderFields{{"Checksum", "abc"}, {"Expires", "never"}}));
}

TEST(ResponseHead, FieldLinesWithoutTheirEmptyLineAreIncomplete) {
  HeaderFields fields;
  const Error error = read_field_lines("Checksum: abc\r\n", fields);
  EXPECT_EQ(error.message, "ends before its header fields do");
  EXPECT_TRUE(fields.empty());
}

}  // namespace
}  // namespace tether::http
