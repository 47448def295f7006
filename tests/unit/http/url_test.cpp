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

TEST(UrlRedaction, TheQueryAndTheFragmentAreRedacted) {
  EXPECT_EQ(redact_url("wss://h.example/echo?access_token=s3cret&x=1"),
            "wss://h.example/echo?[redacted]");
  EXPECT_EQ(redact_url("https://h.example/cb#access_token=s3cret"),
            "https://h.example/cb#[redacted]");
  EXPECT_EQ(redact_url("ws://h.example?access_token=s3cret"), "ws://h.example?[redacted]");
  EXPECT_EQ(redact_url("wss://h.example:8443/echo"), "wss://h.example:8443/echo");
}

TEST(UrlRedaction, UserInformationIsDropped) {
  EXPECT_EQ(redact_url("http://alice:p%40ss@proxy.local:3128"), "http://proxy.local:3128");
  EXPECT_EQ(redact_url("ws://a@b@h.example/x?t=1"), "ws://h.example/x?[redacted]");
  // An '@' in the path or the query is not user information.
  EXPECT_EQ(redact_url("wss://h.example/users/@bob"), "wss://h.example/users/@bob");
}

TEST(UrlRedaction, MalformedTextIsRedactedToo) {
  EXPECT_EQ(redact_url("ws://bad host/?token=s3cret"), "ws://bad host/?[redacted]");
  EXPECT_EQ(redact_url("h.example/x?token=s3cret"), "h.example/x?[redacted]");
  EXPECT_EQ(redact_url("alice:pw@h.example"), "h.example");
  EXPECT_EQ(redact_url("x?t=s3cret://a@b"), "x?[redacted]");
  EXPECT_EQ(redact_url("h/p://a@b"), "h/p://a@b");
}

TEST(UrlRedaction, AParsedUrlIsShownWithoutItsQuery) {
  EXPECT_EQ(parse_ok("wss://h.example/echo?access_token=s3cret").for_messages(),
            "wss://h.example/echo?[redacted]");
}

TEST(UrlRedaction, AnInvalidUrlIsQuotedWithoutItsQueryOrCredentials) {
  Url url;
  Error error = parse_url("ftp://x/?access_token=s3cret", UrlKind::WebSocket, url);
  EXPECT_NE(error.message.find("'ftp://x/?[redacted]'"), std::string::npos) << error.message;
  error = parse_url("https://alice:s3cret@proxy.local:3128", UrlKind::HttpProxy, url);
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(error.message.find("s3cret"), std::string::npos) << error.message;
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

// The URLs on which a hand-written parser and libcurl used to disagree. parse_url reads URLs with
// libcurl's URL API, the reader that sends the emulated transport's and the HTTP helper's
// requests, so each case below states what the whole SDK now sees.

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

TEST(UrlEdgeCases, APercentSignInTheHostIsRejected) {
  // libcurl decodes %25: the host printed again would decode once more into another host.
  EXPECT_EQ(parse_error("ws://1%25e0ws/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_error("http://4%%%%4/"), ErrorCode::InvalidArgument);
  EXPECT_EQ(parse_ok("ws://ex%61mple.com/").host, "example.com");
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
