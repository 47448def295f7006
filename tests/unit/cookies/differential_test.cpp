// Feeds every case of set_cookie_cases.tsv to our jar and to libcurl's cookie engine, and checks
// both: our jar against the value RFC 6265 gives, libcurl against the same value unless the case
// names libcurl's own result and explains why it differs. An unexplained difference fails.
//
// Columns (tab-separated; '#' starts a comment line):
//   id           a C identifier naming the case
//   set_url      the URL whose response carries the Set-Cookie headers (ws/wss are sent to
//                libcurl as http/https, the same for cookies)
//   set_cookie   the Set-Cookie header values, separated by "\n"; escapes \t \\ \xHH
//   request_url  the URL of the request that follows
//   expected     its Cookie header by RFC 6265, "-" for none
//   curl         "=" when libcurl agrees, else libcurl's Cookie header ("-" for none)
//   reason       why libcurl differs; required exactly when curl is not "="

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <stdexcept>

#include "curl_client.hpp"
#include "echo_http_server.hpp"
#include "tether/cookies.hpp"

namespace tether {
namespace {

struct DifferentialCase {
  std::string id;
  std::string set_url;
  std::vector<std::string> set_cookies;
  std::string request_url;
  std::string expected;
  std::string curl;  // "=" or libcurl's result
  std::string reason;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// Decodes the table's escapes: \n (which separates Set-Cookie values), \t, \\ and \xHH.
std::string decode_escapes(const std::string& text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      decoded += text[i];
      continue;
    }
    const char kind = text[++i];
    if (kind == 'n') {
      decoded += '\n';
    } else if (kind == 't') {
      decoded += '\t';
    } else if (kind == 'x' && i + 2 < text.size()) {
      decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += kind;
    }
  }
  return decoded;
}

std::string none_as_empty(const std::string& header) {
  return header == "-" ? "" : decode_escapes(header);
}

std::vector<DifferentialCase> load_cases() {
  std::ifstream file(TETHER_COOKIE_CASES);
  if (!file) throw std::runtime_error("cannot read " TETHER_COOKIE_CASES);
  std::vector<DifferentialCase> cases;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto fields = split(line, '\t');
    if (fields.size() != 7) {
      throw std::runtime_error("set_cookie_cases.tsv: 7 fields expected in: " + line);
    }
    cases.push_back({fields[0], fields[1], split(decode_escapes(fields[2]), '\n'), fields[3],
                     none_as_empty(fields[4]), fields[5], fields[6]});
  }
  return cases;
}

std::string http_url(const std::string& url) {
  if (url.rfind("wss://", 0) == 0) return "https://" + url.substr(6);
  if (url.rfind("ws://", 0) == 0) return "http://" + url.substr(5);
  return url;
}

test::EchoHttpServer& shared_server() {
  static test::EchoHttpServer server;
  return server;
}

// gtest prints a parameter byte by byte unless told how.
void PrintTo(const DifferentialCase& c, std::ostream* os) { *os << c.id; }

class Differential : public ::testing::TestWithParam<DifferentialCase> {};

TEST_P(Differential, OurJarFollowsRfc6265AndLibcurlDiffersOnlyWhereExplained) {
  const DifferentialCase& c = GetParam();
  CookieJar jar;
  // Some cases are rejections on purpose: what counts is the header the jar then sends.
  for (const std::string& value : c.set_cookies) {
    static_cast<void>(jar.set_from_response(c.set_url, value));
  }
  EXPECT_EQ(jar.cookie_header(c.request_url), c.expected) << "our jar breaks RFC 6265";

  test::EchoHttpServer& server = shared_server();
  test::CurlClient curl(server);
  server.set_next_cookies(c.set_cookies);
  ASSERT_EQ(curl.get(http_url(c.set_url)), "");
  server.set_next_cookies({});
  ASSERT_EQ(curl.get(http_url(c.request_url)), "");
  const std::string from_curl = server.last_cookie_header();

  if (c.curl == "=") {
    EXPECT_EQ(from_curl, c.expected) << "libcurl differs and the table does not explain why";
  } else {
    EXPECT_FALSE(c.reason.empty()) << "a listed difference needs a reason";
    EXPECT_NE(none_as_empty(c.curl), c.expected) << "listed as a difference but agrees";
    EXPECT_EQ(from_curl, none_as_empty(c.curl)) << "libcurl's listed result is out of date";
  }
}

INSTANTIATE_TEST_SUITE_P(SetCookieCases, Differential, ::testing::ValuesIn(load_cases()),
                         [](const auto& test_case) { return test_case.param.id; });

TEST(DifferentialTable, HasAtLeast200CasesWithUniqueIds) {
  const auto cases = load_cases();
  EXPECT_GE(cases.size(), 200u);
  std::set<std::string> ids;
  for (const auto& c : cases) EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
}

}  // namespace
}  // namespace tether
