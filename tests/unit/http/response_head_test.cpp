// The head of an HTTP/1.x response (RFC 9112 sections 2 to 5), as the proxy tunnel and the
// response reader read it.
#include "http/response_head.hpp"

#include <gtest/gtest.h>

namespace tether::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

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
      (Fields{
          {"Set-Cookie", "a=1"}, {"content-length", "3"}, {"Set-Cookie", "b=2"}, {"X-Empty", ""}}));
}

TEST(ResponseHead, WhatFollowsTheEmptyLineIsNotRead) {
  ResponseHead head;
  ASSERT_FALSE(read_response_head("HTTP/1.1 200 OK\r\nA: b\r\n\r\nnot: a field\r\n\r\n", head));
  EXPECT_EQ(head.fields, (Fields{{"A", "b"}}));
}

TEST(ResponseHead, AFoldedFieldLineIsAProtocolErrorAndLeavesTheHeadEmpty) {
  ResponseHead head;
  const Error error = read_response_head("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", head);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(error.message, "has a malformed header field");
  EXPECT_EQ(head.status, 0);
  EXPECT_TRUE(head.fields.empty());
}

}  // namespace
}  // namespace tether::http
