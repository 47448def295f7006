#include "cookies/netscape_cookie_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "http/ascii.hpp"

namespace tether::cookies {
namespace {

constexpr std::string_view http_only_prefix = "#HttpOnly_";

// Host names (curl writes international ones as punycode), IPv4 and IPv6 addresses.
bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == ':';
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return fields;
    line.remove_prefix(tab + 1);
  }
}

std::optional<bool> parse_flag(std::string_view text) {
  if (http::ascii_iequals(text, "TRUE")) return true;
  if (http::ascii_iequals(text, "FALSE")) return false;
  return std::nullopt;
}

// Fills `cookie` from one cookie line; returns why the line is malformed, or empty.
std::string parse_line(std::string_view line, Cookie& cookie) {
  if (line.substr(0, http_only_prefix.size()) == http_only_prefix) {
    cookie.http_only = true;
    line.remove_prefix(http_only_prefix.size());
  }
  if (std::any_of(line.begin(), line.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t') || byte == 0x7F;
      })) {
    return "the line has a control character";
  }
  const auto fields = split_fields(line);
  if (fields.size() != 6 && fields.size() != 7) {
    return "expected 7 tab-separated fields, found " + std::to_string(fields.size());
  }
  std::string_view domain = fields[0];
  if (!domain.empty() && domain.front() == '.') domain.remove_prefix(1);
  if (domain.empty()) return "the domain is empty";
  if (domain.front() == '.') return "the domain starts with more than one dot";
  if (!std::all_of(domain.begin(), domain.end(), is_host_char)) {
    return "the domain has characters a host name cannot have";
  }
  cookie.domain = http::ascii_lower(domain);

  const auto include_subdomains = parse_flag(fields[1]);
  if (!include_subdomains) return "the include-subdomains field must be TRUE or FALSE";
  cookie.host_only = !*include_subdomains;

  if (fields[2].empty() || fields[2].front() != '/') return "the path must start with '/'";
  cookie.path = std::string(fields[2]);

  const auto secure = parse_flag(fields[3]);
  if (!secure) return "the secure field must be TRUE or FALSE";
  cookie.secure = *secure;

  std::int64_t expiry = 0;
  const auto [end, error] =
      std::from_chars(fields[4].data(), fields[4].data() + fields[4].size(), expiry);
  if (error != std::errc{} || end != fields[4].data() + fields[4].size() || expiry < 0) {
    return "the expiry must be a number of seconds since 1970, or 0";
  }
  if (expiry != 0) cookie.expires = CookieTime{std::chrono::seconds{expiry}};

  cookie.name = std::string(fields[5]);
  cookie.value = fields.size() == 7 ? std::string(fields[6]) : std::string();
  return {};
}

}  // namespace

Error parse_netscape_cookie_file(std::string_view contents, std::string_view file_name,
                                 std::vector<Cookie>& cookies) {
  cookies.clear();
  std::size_t line_number = 0;
  while (!contents.empty()) {
    const auto newline = contents.find('\n');
    std::string_view line = contents.substr(0, newline);
    contents =
        newline == std::string_view::npos ? std::string_view{} : contents.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank =
        std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
    const bool comment = !line.empty() && line.front() == '#' &&
                         line.substr(0, http_only_prefix.size()) != http_only_prefix;
    if (blank || comment) continue;

    Cookie cookie;
    if (auto why = parse_line(line, cookie); !why.empty()) {
      cookies.clear();
      return {ErrorCode::CookieFileCorrupt, "cookie file '" + std::string(file_name) + "' line " +
                                                std::to_string(line_number) + ": " + why +
                                                "; nothing was loaded from it"};
    }
    cookies.push_back(std::move(cookie));
  }
  return {};
}

std::string format_netscape_cookie_file(const std::vector<Cookie>& cookies) {
  std::string text =
      "# Netscape HTTP Cookie File\n"
      "# https://curl.se/docs/http-cookies.html\n"
      "# Written by Tether. Fields: domain, include subdomains, path, secure, expiry, name, "
      "value.\n\n";
  for (const Cookie& cookie : cookies) {
    if (cookie.http_only) text += http_only_prefix;
    text += (cookie.host_only ? "" : ".") + cookie.domain + '\t';
    text += cookie.host_only ? "FALSE\t" : "TRUE\t";
    text += cookie.path + '\t';
    text += cookie.secure ? "TRUE\t" : "FALSE\t";
    text += std::to_string(cookie.expires ? cookie.expires->time_since_epoch().count() : 0);
    text += '\t' + cookie.name + '\t' + cookie.value + '\n';
  }
  return text;
}

}  // namespace tether::cookies
