#include "auth/credentials.hpp"

#include <cctype>

namespace tether::gateway {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& character : result) {
    character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  }
  return result;
}

bool is_space(char character) { return character == ' ' || character == '\t'; }

// Reads the credentials text left to right; each read_ member consumes what it returns.
class CredentialsReader {
 public:
  explicit CredentialsReader(std::string_view text) : text_(text) {}

  bool at_end() {
    skip_spaces();
    return position_ == text_.size();
  }

  std::string_view read_token() {
    skip_spaces();
    const auto start = position_;
    while (position_ < text_.size() && !is_space(text_[position_]) && text_[position_] != '=' &&
           text_[position_] != ',') {
      ++position_;
    }
    return text_.substr(start, position_ - start);
  }

  bool consume(char expected) {
    skip_spaces();
    if (position_ == text_.size() || text_[position_] != expected) return false;
    ++position_;
    return true;
  }

  // A quoted-string (unescaped) or a token; nullopt for an unterminated quoted-string.
  std::optional<std::string> read_value() {
    skip_spaces();
    if (position_ == text_.size() || text_[position_] != '"') return std::string(read_token());
    std::string value;
    for (++position_; position_ < text_.size(); ++position_) {
      const char character = text_[position_];
      if (character == '"') {
        ++position_;
        return value;
      }
      if (character == '\\' && position_ + 1 < text_.size()) ++position_;
      value += text_[position_];
    }
    return std::nullopt;
  }

  std::string_view rest() {
    skip_spaces();
    return text_.substr(position_);
  }

 private:
  void skip_spaces() {
    while (position_ < text_.size() && is_space(text_[position_])) ++position_;
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

// token68 is a run of token68 characters possibly ending in '=' padding, with nothing after it.
bool looks_like_token68(std::string_view rest) {
  const auto equals = rest.find('=');
  if (equals == std::string_view::npos) return rest.find_first_of(" ,\t") == std::string_view::npos;
  return rest.find_first_not_of('=', equals) == std::string_view::npos;
}

}  // namespace

std::string_view Credentials::param(const std::string& name) const {
  const auto found = params.find(name);
  return found == params.end() ? std::string_view{} : std::string_view(found->second);
}

std::optional<Credentials> parse_credentials(std::string_view header) {
  CredentialsReader reader(header);
  Credentials credentials;
  credentials.scheme = lower(reader.read_token());
  if (credentials.scheme == "application") credentials.scheme = lower(reader.read_token());
  if (credentials.scheme.empty()) return std::nullopt;
  if (looks_like_token68(reader.rest())) {
    credentials.token68 = std::string(reader.rest());
    return credentials;
  }
  do {
    const auto name = lower(reader.read_token());
    if (name.empty() || !reader.consume('=')) return std::nullopt;
    auto value = reader.read_value();
    if (!value) return std::nullopt;
    credentials.params[name] = std::move(*value);
  } while (reader.consume(','));
  if (!reader.at_end()) return std::nullopt;
  return credentials;
}

std::string quoted_string(std::string_view value) {
  std::string result = "\"";
  for (const char character : value) {
    if (character == '"' || character == '\\') result += '\\';
    result += character;
  }
  return result + "\"";
}

}  // namespace tether::gateway
