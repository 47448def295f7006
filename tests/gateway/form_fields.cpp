#include "form_fields.hpp"

#include <cctype>

namespace tether::gateway {
namespace {

int hex_value(char digit) {
  if (std::isdigit(static_cast<unsigned char>(digit))) return digit - '0';
  const int lower = std::tolower(static_cast<unsigned char>(digit));
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string url_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    if (character == '+') {
      decoded += ' ';
    } else if (character == '%' && index + 2 < text.size() && hex_value(text[index + 1]) >= 0 &&
               hex_value(text[index + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[index + 1]) * 16 + hex_value(text[index + 2]));
      index += 2;
    } else {
      decoded += character;
    }
  }
  return decoded;
}

}  // namespace

std::map<std::string, std::string> parse_form_fields(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto ampersand = body.find('&');
    const auto pair = body.substr(0, ampersand);
    const auto equals = pair.find('=');
    fields.emplace(url_decode(pair.substr(0, equals)), equals == std::string_view::npos
                                                           ? std::string()
                                                           : url_decode(pair.substr(equals + 1)));
    body = ampersand == std::string_view::npos ? std::string_view{} : body.substr(ampersand + 1);
  }
  return fields;
}

}  // namespace tether::gateway
