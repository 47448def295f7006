#include "auth/digest_algorithm.hpp"

#include <array>

#include "http/ascii.hpp"

namespace tether::auth {
namespace {

struct NamedAlgorithm {
  std::string_view name;
  DigestAlgorithm algorithm;
};

constexpr std::array<NamedAlgorithm, 6> named_algorithms{{
    {"MD5", {DigestHash::Md5, false}},
    {"MD5-sess", {DigestHash::Md5, true}},
    {"SHA-256", {DigestHash::Sha256, false}},
    {"SHA-256-sess", {DigestHash::Sha256, true}},
    {"SHA-512-256", {DigestHash::Sha512_256, false}},
    {"SHA-512-256-sess", {DigestHash::Sha512_256, true}},
}};

}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::optional<std::string_view> name) {
  if (!name) return DigestAlgorithm{};
  for (const auto& named : named_algorithms) {
    if (http::ascii_iequals(named.name, *name)) return named.algorithm;
  }
  return std::nullopt;
}

std::string_view digest_algorithm_name(DigestAlgorithm algorithm) noexcept {
  for (const auto& named : named_algorithms) {
    if (named.algorithm.hash == algorithm.hash && named.algorithm.session == algorithm.session) {
      return named.name;
    }
  }
  return "MD5";
}

}  // namespace tether::auth
