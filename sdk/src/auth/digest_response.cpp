#include "auth/digest_response.hpp"

#include <cstdio>

#include "auth/crypto.hpp"
#include "http/ascii.hpp"

namespace tether::auth {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool list_contains(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (http::ascii_iequals(trim(list.substr(0, comma)), item)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool is_printable_ascii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// A quoted-string (RFC 7230 section 3.2.6) whose only escapes are the quote and the backslash.
std::string quoted(std::string_view text) {
  std::string result = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') result += '\\';
    result += c;
  }
  return result + '"';
}

// RFC 8187 ext-value: UTF-8''%XX-encoded.
std::string extended_value(std::string_view text) {
  static constexpr std::string_view attribute_chars = "!#$&+-.^_`|~";
  std::string result = "UTF-8''";
  for (const char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       attribute_chars.find(c) != std::string_view::npos;
    if (plain) {
      result += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      result += escaped;
    }
  }
  return result;
}

std::string username_directive(const DigestChallenge& challenge, std::string_view user_name) {
  if (challenge.userhash) {
    const std::string hashed =
        hex_digest(challenge.algorithm.hash, std::string(user_name) + ":" + challenge.realm);
    return hashed.empty() ? std::string{} : "username=" + quoted(hashed);
  }
  if (is_printable_ascii(user_name)) return "username=" + quoted(user_name);
  return "username*=" + extended_value(user_name);
}

// Concatenates with ':' and hashes, wiping the input: it holds key material.
std::string hash_joined(DigestHash hash, std::string joined) {
  std::string digest = hex_digest(hash, joined);
  wipe(joined);
  return digest;
}

}  // namespace

Error read_digest_challenge(const Challenge& challenge, DigestChallenge& digest) {
  digest = DigestChallenge{};
  const auto algorithm = parse_digest_algorithm(challenge.param("algorithm"));
  if (!algorithm) {
    return {ErrorCode::InvalidArgument,
            "Digest algorithm '" + std::string(*challenge.param("algorithm")) +
                "' is not supported (MD5, SHA-256 and SHA-512-256 and their -sess forms are)"};
  }
  digest.algorithm = *algorithm;
  const auto nonce = challenge.param("nonce");
  if (!nonce || nonce->empty())
    return {ErrorCode::InvalidArgument, "Digest challenge without a nonce"};
  digest.nonce = std::string(*nonce);
  digest.realm = challenge.realm();
  if (const auto opaque = challenge.param("opaque")) digest.opaque = std::string(*opaque);
  if (const auto qop = challenge.param("qop")) {
    if (!list_contains(*qop, "auth")) {
      return {ErrorCode::InvalidArgument,
              "Digest qop=\"" + std::string(*qop) + "\" is not supported (only qop=auth is)"};
    }
    digest.qop_auth = true;
  }
  digest.userhash = http::ascii_iequals(challenge.param("userhash").value_or(""), "true");
  digest.stale = http::ascii_iequals(challenge.param("stale").value_or(""), "true");
  return {};
}

std::string digest_realm_key(DigestHash hash, std::string_view user_name, std::string_view realm,
                             std::string_view password) {
  return hash_joined(
      hash, std::string(user_name) + ":" + std::string(realm) + ":" + std::string(password));
}

std::string digest_authorization(const DigestChallenge& challenge, std::string_view user_name,
                                 std::string_view realm_key, const DigestExchange& exchange) {
  const DigestHash hash = challenge.algorithm.hash;
  char nonce_count[9];
  std::snprintf(nonce_count, sizeof nonce_count, "%08x", exchange.nonce_count);

  std::string session_key = challenge.algorithm.session
                                ? hash_joined(hash, std::string(realm_key) + ":" + challenge.nonce +
                                                        ":" + exchange.cnonce)
                                : std::string(realm_key);
  const std::string request_digest = hex_digest(hash, exchange.method + ":" + exchange.uri);
  const std::string response =
      challenge.qop_auth
          ? hash_joined(hash, session_key + ":" + challenge.nonce + ":" + nonce_count + ":" +
                                  exchange.cnonce + ":auth:" + request_digest)
          : hash_joined(hash, session_key + ":" + challenge.nonce + ":" + request_digest);
  const bool hashed =
      !realm_key.empty() && !session_key.empty() && !request_digest.empty() && !response.empty();
  wipe(session_key);
  const std::string username = username_directive(challenge, user_name);
  if (!hashed || username.empty()) return {};

  std::string header = "Digest " + username + ", realm=" + quoted(challenge.realm) +
                       ", uri=" + quoted(exchange.uri) +
                       ", algorithm=" + std::string(digest_algorithm_name(challenge.algorithm)) +
                       ", nonce=" + quoted(challenge.nonce);
  if (challenge.qop_auth) {
    header +=
        ", nc=" + std::string(nonce_count) + ", cnonce=" + quoted(exchange.cnonce) + ", qop=auth";
  }
  header += ", response=" + quoted(response);
  if (challenge.opaque) header += ", opaque=" + quoted(*challenge.opaque);
  if (challenge.userhash) header += ", userhash=true";
  return header;
}

}  // namespace tether::auth
