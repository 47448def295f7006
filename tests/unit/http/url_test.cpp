#include "http/url.hpp"

#include <gtest/gtest.h>

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

TEST(Url, SecureSchemeDefaultsToPort443) {
  const Url url = parse_ok("wss://Gateway.Example.com/echo?x=1");
  EXPECT_EQ(url.scheme, "wss");
  EXPECT_EQ(url.host, "gateway.example.com");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.target, "/echo?x=1");
  EXPECT_TRUE(url.is_secure());
}

TEST(Url, PlainSchemeDefaultsToPort80AndRootPath) {
  const Url url = parse_ok("ws://localhost");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/");
  EXPECT_FALSE(url.is_secure());
}

TEST(Url, ExplicitPortAndQueryWithoutPath) {
  const Url url = parse_ok("ws://127.0.0.1:8080?token=a");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/?token=a");
  EXPECT_TRUE(url.host_is_ip_literal());
  EXPECT_EQ(url.authority(), "127.0.0.1:8080");
}

TEST(Url, Ipv6LiteralKeepsBracketsOnlyInTheAuthority) {
  const Url url = parse_ok("wss://[::1]:9443/x");
  EXPECT_EQ(url.host, "::1");
  EXPECT_TRUE(url.host_is_ipv6());
  EXPECT_EQ(url.authority(), "[::1]:9443");
  EXPECT_EQ(url.to_string(), "wss://[::1]:9443/x");
}

TEST(Url, DefaultPortIsLeftOutWhenPrinted) {
  EXPECT_EQ(parse_ok("wss://example.com:443/a").to_string(), "wss://example.com/a");
}

TEST(Url, RejectsWhatRfc6455Forbids) {
  EXPECT_EQ(parse_error("wss://example.com/a#fragment"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("https://example.com/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("wss://user:pw@example.com/"), ErrorCode::InvalidArgument);
}

TEST(Url, RejectsMalformedAuthorities) {
  EXPECT_EQ(parse_error("example.com/echo"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws:///echo"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://host:0/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://host:65536/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://host:80x/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://[::1/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://[nothex]/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ws://bad host/"), ErrorCode::InvalidArgument);
}

TEST(Url, ErrorQuotesTheUrl) {
  Url url;
  const Error error = parse_url("ftp://x/", UrlKind::WebSocket, url);
  EXPECT_NE(error.message.find("'ftp://x/'"), std::string::npos) << error.message;
}

TEST(Url, ProxyUrlKeepsUserInfo) {
  const Url url = parse_ok("http://alice:p%40ss@proxy.local:3128", UrlKind::HttpProxy);
  EXPECT_EQ(url.user_info, "alice:p%40ss");
  EXPECT_EQ(url.authority(), "proxy.local:3128");
  EXPECT_EQ(parse_error("https://proxy.local:3128", UrlKind::HttpProxy),
            ErrorCode::InvalidArgument);
}

TEST(Url, HttpKindAcceptsHttpAndHttpsOnly) {
  const Url secure = parse_ok("HTTPS://Login.Example.com/sso?next=/app", UrlKind::Http);
  EXPECT_EQ(secure.scheme, "https");
  EXPECT_EQ(secure.port, 443);
  EXPECT_EQ(secure.target, "/sso?next=/app");
  EXPECT_TRUE(secure.is_secure());
  EXPECT_EQ(parse_ok("http://example.com", UrlKind::Http).port, 80);
  EXPECT_EQ(parse_error("wss://example.com/", UrlKind::Http), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("ftp://example.com/", UrlKind::Http), ErrorCode::InvalidArgument);
}

TEST(Url, HttpKindDropsTheFragmentAndKeepsUserInfo) {
  const Url url = parse_ok("http://bob@example.com/a/b#section", UrlKind::Http);
  EXPECT_EQ(url.target, "/a/b");
  EXPECT_EQ(url.user_info, "bob");
  EXPECT_EQ(url.host, "example.com");
}

TEST(Url, PercentDecoding) {
  std::string decoded;
  EXPECT_TRUE(percent_decode("p%40ss%3A", decoded));
  EXPECT_EQ(decoded, "p@ss:");
  EXPECT_FALSE(percent_decode("bad%4", decoded));
  EXPECT_FALSE(percent_decode("bad%zz", decoded));
}

}  // namespace
}  // namespace tether::http
