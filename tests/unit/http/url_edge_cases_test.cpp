// The URLs on which a hand-written parser and libcurl used to disagree. parse_url reads URLs with
// libcurl's URL API, the reader that sends the emulated transport's and the HTTP helper's
// requests, so each case below states what the whole SDK now sees.

#include <gtest/gtest.h>

#include "http/url.hpp"

namespace tether::http {
namespace {

Url parse_ok(std::string_view text, UrlKind kind = UrlKind::WebSocket) {
  Url url;
  const Error error = parse_url(text, kind, url);
  EXPECT_FALSE(error) << error.message;
  return url;
}

ErrorCode parse_error(std::string_view text, UrlKind kind = UrlKind::WebSocket) {
  Url url;
  return parse_url(text, kind, url).code;
}

TEST(UrlEdgeCases, BackslashBeforeAnAtSignEndsTheUserInfoNotTheHost) {
  const Url url = parse_ok("http://example.com\\@evil.com/", UrlKind::Http);
  EXPECT_EQ(url.host, "evil.com");
  EXPECT_EQ(url.user_info, "example.com\\");
  EXPECT_EQ(parse_error("ws://example.com\\@evil.com/"), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, BackslashInThePathIsKept) {
  EXPECT_EQ(parse_ok("http://example.com/a\\b", UrlKind::Http).target, "/a\\b");
}

TEST(UrlEdgeCases, UserInfoWithTwoAtSignsIsRejected) {
  EXPECT_EQ(parse_error("http://user@name@example.com/", UrlKind::Http),
            ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, PercentEncodedAtSignStaysInTheProxyUserInfo) {
  const Url url = parse_ok("http://alice:p%40ss@proxy.local:3128", UrlKind::HttpProxy);
  EXPECT_EQ(url.user_info, "alice:p%40ss");
  EXPECT_EQ(url.host, "proxy.local");
}

TEST(UrlEdgeCases, Ipv6ZoneIdentifierIsRejected) {
  EXPECT_EQ(parse_error("ws://[fe80::1%25eth0]:8080/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://[fe80::1%eth0]/"), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, PercentEncodedHostIsDecoded) {
  EXPECT_EQ(parse_ok("ws://ex%61mple.com/").host, "example.com");
  EXPECT_EQ(parse_error("ws://exa%2fmple.com/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://exa%00mple.com/"), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, TabsAndNewlinesAreRejectedAnywhere) {
  EXPECT_EQ(parse_error("ws://exa\tmple.com/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://example.com/a\tb"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://example.com/a\r\nX-Injected: 1"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("http://example.com/?q=\n", UrlKind::Http), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, UppercaseSchemeAndHostAreLowered) {
  const Url url = parse_ok("WSS://EXAMPLE.COM/Path");
  EXPECT_EQ(url.scheme, "wss");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.target, "/Path");
}

TEST(UrlEdgeCases, EmptyPortMeansTheSchemeDefault) {
  EXPECT_EQ(parse_ok("ws://example.com:/").port, 80);
  EXPECT_EQ(parse_ok("wss://example.com:/").port, 443);
}

TEST(UrlEdgeCases, PortOutsideSixteenBitsIsRejectedNotWrapped) {
  EXPECT_EQ(parse_error("ws://example.com:4294967377/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://example.com:65616/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://example.com:0/"), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, AnAuthorityNeedsExactlyTwoSlashes) {
  EXPECT_EQ(parse_error("ws:///example.com/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws:/example.com/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws:example.com/"), ErrorCode::InvalidArgument);
}

TEST(UrlEdgeCases, EvenAnEmptyFragmentIsRejectedForWebSocket) {
  EXPECT_EQ(parse_error("ws://example.com/a#"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_ok("http://example.com/a#", UrlKind::Http).target, "/a");
}

TEST(UrlEdgeCases, DotSegmentsAreRemovedAsLibcurlSendsThem) {
  EXPECT_EQ(parse_ok("ws://example.com/a/../b/./c?x=1").target, "/b/c?x=1");
}

TEST(UrlEdgeCases, Ipv4ShorthandIsTheAddressItStandsFor) {
  const Url url = parse_ok("ws://0x7f.1:8080/");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_TRUE(url.host_is_ip_literal());
}

TEST(UrlEdgeCases, InternationalHostMustBePunycode) {
  EXPECT_EQ(parse_error("ws://b\xc3\xbc"
                        "cher.de/"),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_ok("ws://xn--bcher-kva.de/").host, "xn--bcher-kva.de");
}

TEST(UrlEdgeCases, PrintedUrlParsesBackToTheSameParts) {
  const Url url = parse_ok("WS://[::FFFF:127.0.0.1]:8080/a/../b?c=d");
  Url again;
  ASSERT_FALSE(parse_url(url.to_string(), UrlKind::WebSocket, again));
  EXPECT_EQ(again.host, url.host);
  EXPECT_EQ(again.port, url.port);
  EXPECT_EQ(again.target, url.target);
}

}  // namespace
}  // namespace tether::http
