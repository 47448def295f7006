#include "http/challenge_parser.hpp"

#include <string_view>

#include "http/ascii.hpp"
#include "http/token.hpp"

namespace tether::http {
namespace {

bool is_alpha_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 7235 section 2.1.
bool is_token68_char(char c) {
  return is_alpha_or_digit(c) || std::string_view("-._~+/").find(c) != std::string_view::npos;
}

bool is_whitespace(char c) { return c == ' ' || c == '\t'; }

// qdtext and the characters a quoted-pair may escape, HTAB / SP / VCHAR / obs-text, are the same
// set but for the quote and backslash, which qdtext excludes and the caller handles first.
bool is_quotable(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
}

/// Reads one header value: a comma-separated list of challenges, each with either a token68 or a
/// comma-separated list of auth-params, which is why a comma may end a parameter or a challenge.
class ChallengeListParser {
 public:
  ChallengeListParser(std::string_view text, std::size_t value_index)
      : text_(text), value_index_(value_index) {}

  Error parse(std::vector<auth::Challenge>& challenges) {
    for (skip_list_separators(); !at_end(); skip_list_separators()) {
      auth::Challenge challenge;
      if (auto error = parse_challenge(challenge)) return error;
      challenges.push_back(std::move(challenge));
    }
    return {};
  }

 private:
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return text_[position_]; }

  std::size_t skip_whitespace() {
    const std::size_t start = position_;
    while (!at_end() && is_whitespace(peek())) ++position_;
    return position_ - start;
  }

  // Empty list elements are allowed (RFC 7230 section 7).
  void skip_list_separators() {
    while (!at_end() && (is_whitespace(peek()) || peek() == ',')) ++position_;
  }

  std::size_t token_length_at(std::size_t position) const {
    std::size_t end = position;
    while (end < text_.size() && is_token_char(text_[end])) ++end;
    return end - position;
  }

  std::string_view read_token() {
    const std::size_t length = token_length_at(position_);
    const std::string_view token = text_.substr(position_, length);
    position_ += length;
    return token;
  }

  std::size_t skip_whitespace_from(std::size_t position) const {
    while (position < text_.size() && is_whitespace(text_[position])) ++position;
    return position;
  }

  // A token followed by optional whitespace and "=": the start of an auth-param.
  bool auth_param_starts_at(std::size_t position) const {
    const std::size_t length = token_length_at(position);
    if (length == 0) return false;
    const std::size_t after = skip_whitespace_from(position + length);
    return after < text_.size() && text_[after] == '=';
  }

  // token68 is only what is followed by the end of the element, so "a=b" is a parameter.
  std::size_t token68_length_at(std::size_t position) const {
    std::size_t end = position;
    while (end < text_.size() && is_token68_char(text_[end])) ++end;
    if (end == position) return 0;
    while (end < text_.size() && text_[end] == '=') ++end;
    const std::size_t after = skip_whitespace_from(end);
    return (after == text_.size() || text_[after] == ',') ? end - position : 0;
  }

  Error malformed(std::string_view expected) const {
    return {ErrorCode::InvalidArgument,
            "malformed authentication challenge (header value " + std::to_string(value_index_ + 1) +
                ", offset " + std::to_string(position_) + "): " + std::string(expected)};
  }

  Error parse_challenge(auth::Challenge& challenge) {
    std::string_view scheme = read_token();
    if (scheme.empty()) return malformed("expected an authentication scheme");
    std::size_t spaces = skip_whitespace();
    // "Application Basic realm=..." (Kaazing): the prefix is followed by a scheme, not by "=".
    if (ascii_iequals(scheme, "application") && spaces > 0 && token_length_at(position_) > 0 &&
        !auth_param_starts_at(position_)) {
      challenge.application_prefix = true;
      scheme = read_token();
      spaces = skip_whitespace();
    }
    challenge.scheme = std::string(scheme);
    if (at_end() || peek() == ',') return {};
    if (spaces == 0) return malformed("expected a space or ',' after the scheme");
    if (const std::size_t length = token68_length_at(position_); length > 0) {
      challenge.token68 = std::string(text_.substr(position_, length));
      position_ += length;
      skip_whitespace();
      return {};
    }
    return parse_auth_params(challenge);
  }

  Error parse_auth_params(auth::Challenge& challenge) {
    while (true) {
      const std::string name = ascii_lower(read_token());
      if (name.empty()) return malformed("expected a parameter name or a token68");
      skip_whitespace();
      if (at_end() || peek() != '=')
        return malformed("expected '=' after parameter '" + name + "'");
      ++position_;
      skip_whitespace();
      std::string value;
      if (auto error = parse_value(name, value)) return error;
      if (challenge.param(name)) {
        return malformed("parameter '" + name + "' appears twice (RFC 7235 section 2.1)");
      }
      challenge.params.emplace_back(name, std::move(value));
      skip_whitespace();
      if (at_end()) return {};
      if (peek() != ',') return malformed("expected ',' after the value of '" + name + "'");
      skip_list_separators();
      // After the comma comes either another parameter or the next challenge's scheme.
      if (at_end() || !auth_param_starts_at(position_)) return {};
    }
  }

  Error parse_value(const std::string& name, std::string& value) {
    if (at_end() || peek() != '"') {
      value = std::string(read_token());
      if (value.empty()) return malformed("expected a token or a quoted string for '" + name + "'");
      return {};
    }
    ++position_;
    while (!at_end()) {
      char c = text_[position_++];
      if (c == '"') return {};
      if (c == '\\') {
        if (at_end()) break;
        c = text_[position_++];
      }
      if (!is_quotable(c)) {
        --position_;
        return malformed("control character in the quoted value of '" + name + "'");
      }
      value += c;
    }
    return malformed("unterminated quoted string in the value of '" + name + "'");
  }

  std::string_view text_;
  std::size_t value_index_;
  std::size_t position_ = 0;
};

}  // namespace

Error parse_challenges(const std::vector<std::string>& header_values,
                       std::vector<auth::Challenge>& challenges) {
  challenges.clear();
  for (std::size_t index = 0; index < header_values.size(); ++index) {
    if (auto error = ChallengeListParser(header_values[index], index).parse(challenges)) {
      challenges.clear();
      return error;
    }
  }
  return {};
}

}  // namespace tether::http
