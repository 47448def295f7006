#include "cookies/cookie_matching.hpp"

#include <gtest/gtest.h>

#include "cookies/public_suffix.hpp"

namespace tether::cookies {
namespace {

TEST(DomainMatch, IdenticalOrADotBoundarySuffix) {
  EXPECT_TRUE(domain_matches("example.com", "example.com"));
  EXPECT_TRUE(domain_matches("www.example.com", "example.com"));
  EXPECT_TRUE(domain_matches("a.b.example.com", "example.com"));
  EXPECT_FALSE(domain_matches("badexample.com", "example.com"));
  EXPECT_FALSE(domain_matches("example.com", "www.example.com"));
  EXPECT_FALSE(domain_matches("example.org", "example.com"));
}

TEST(DomainMatch, IpAddressesMatchOnlyThemselves) {
  EXPECT_TRUE(domain_matches("192.168.0.1", "192.168.0.1"));
  EXPECT_FALSE(domain_matches("192.168.0.1", "168.0.1"));
  EXPECT_FALSE(domain_matches("192.168.0.1", "0.1"));
}

TEST(PathMatch, PrefixOnlyAtASlashBoundary) {
  EXPECT_TRUE(path_matches("/foo", "/foo"));
  EXPECT_TRUE(path_matches("/foo/bar", "/foo"));
  EXPECT_TRUE(path_matches("/foo/bar", "/foo/"));
  EXPECT_TRUE(path_matches("/anything", "/"));
  EXPECT_FALSE(path_matches("/foobar", "/foo"));
  EXPECT_FALSE(path_matches("/foo", "/foo/"));
  EXPECT_FALSE(path_matches("/", "/foo"));
  EXPECT_FALSE(path_matches("/Foo", "/foo"));
}

TEST(DefaultPath, IsTheDirectoryOfTheRequestPath) {
  EXPECT_EQ(default_path(""), "/");
  EXPECT_EQ(default_path("/"), "/");
  EXPECT_EQ(default_path("/login"), "/");
  EXPECT_EQ(default_path("/app/login"), "/app");
  EXPECT_EQ(default_path("/app/sub/"), "/app/sub");
  EXPECT_EQ(default_path("relative/x"), "/");
}

TEST(PathOfTarget, DropsTheQuery) {
  EXPECT_EQ(path_of_target("/a/b?x=/c"), "/a/b");
  EXPECT_EQ(path_of_target("/"), "/");
}

TEST(PublicSuffix, UsesTheBuiltInListAndTheImplicitStarRule) {
  EXPECT_TRUE(is_public_suffix("com"));
  EXPECT_TRUE(is_public_suffix("co.uk"));
  EXPECT_TRUE(is_public_suffix("github.io"));
  EXPECT_TRUE(is_public_suffix("localhost"));
  EXPECT_FALSE(is_public_suffix("example.com"));
  EXPECT_FALSE(is_public_suffix("example.co.uk"));
}

}  // namespace
}  // namespace tether::cookies
