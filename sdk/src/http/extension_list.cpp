#include "http/extension_list.hpp"

#include <cstddef>

#include "http/token.hpp"

namespace tether::http {
namespace {

bool is_whitespace(char c) noexcept { return c == ' ' || c == '\t'; }

// A cursor over the header value that knows how to describe where it failed.
class ListReader {
 public:
  ListReader(std::string_view header_name, std::string_view text)
      : header_name_(header_name), text_(text) {}

  bool at_end() const noexcept { return position_ >= text_.size(); }
  char peek() const noexcept { return text_[position_]; }
  void advance() noexcept { ++position_; }

  void skip_whitespace() noexcept {
    while (!at_end() && is_whitespace(peek())) advance();
  }

  std::string_view read_token() noexcept {
    const std::size_t start = position_;
    while (!at_end() && is_token_char(peek())) advance();
    return text_.substr(start, position_ - start);
  }

  // Reads a quoted-string (the opening quote is next) into `value`, unquoted.
  Error read_quoted(std::string& value) {
    advance();
    while (!at_end()) {
      const char c = peek();
      advance();
      if (c == '"') return {};
      if (c == '\\') {
        if (at_end()) break;
        value += peek();
        advance();
      } else {
        value += c;
      }
    }
    return fail("a closing '\"'");
  }

  Error fail(std::string_view expected) const {
    return Error(
        ErrorCode::ProtocolError,
        std::string(header_name_) + " \"" + std::string(text_) + "\": expected " +
            std::string(expected) + " at byte " + std::to_string(position_) +
            " (the syntax of RFC 6455 section 9.1); the peer sent a malformed extension list");
  }

 private:
  std::string_view header_name_;
  std::string_view text_;
  std::size_t position_ = 0;
};

Error read_parameter(ListReader& reader, ExtensionParameter& parameter) {
  reader.skip_whitespace();
  parameter.name = std::string(reader.read_token());
  if (parameter.name.empty()) return reader.fail("a parameter name");
  reader.skip_whitespace();
  if (reader.at_end() || reader.peek() != '=') return {};
  reader.advance();
  reader.skip_whitespace();
  parameter.has_value = true;
  if (!reader.at_end() && reader.peek() == '"') {
    if (Error error = reader.read_quoted(parameter.value)) return error;
    // RFC 6455 section 9.1: a quoted value must be a token once unquoted.
    if (!is_token(parameter.value)) return reader.fail("a quoted value that is a token");
    return {};
  }
  parameter.value = std::string(reader.read_token());
  if (parameter.value.empty()) return reader.fail("a parameter value");
  return {};
}

Error read_extension(ListReader& reader, Extension& extension) {
  extension.name = std::string(reader.read_token());
  if (extension.name.empty()) return reader.fail("an extension name");
  reader.skip_whitespace();
  while (!reader.at_end() && reader.peek() == ';') {
    reader.advance();
    ExtensionParameter parameter;
    if (Error error = read_parameter(reader, parameter)) return error;
    extension.parameters.push_back(std::move(parameter));
    reader.skip_whitespace();
  }
  return {};
}

}  // namespace

Error parse_extension_list(std::string_view header_name, std::string_view header_value,
                           std::vector<Extension>& extensions) {
  extensions.clear();
  ListReader reader(header_name, header_value);
  while (true) {
    reader.skip_whitespace();
    if (reader.at_end()) return {};
    if (reader.peek() != ',') {
      Extension extension;
      Error error = read_extension(reader, extension);
      if (!error && !reader.at_end() && reader.peek() != ',') error = reader.fail("',' or ';'");
      if (error) {
        extensions.clear();
        return error;
      }
      extensions.push_back(std::move(extension));
    }
    if (!reader.at_end()) reader.advance();  // the ','
  }
}

}  // namespace tether::http
