// One libcurl handle (curl/curl_http_client) serving requests to different URLs one after the
// other, as CurlMulti's spare handles serve an emulated session's requests: the handle keeps its
// URL between requests and, when only the query differs, sets only the query.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "curl/curl_http_client.hpp"
#include "http/url.hpp"
#include "scripted_http_server.hpp"

namespace tether::test {
namespace {

http::CurlExchange get(const ScriptedHttpServer& server, const std::string& target) {
  http::CurlExchange exchange;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + target;
  EXPECT_FALSE(http::parse_url(url, http::UrlKind::Http, exchange.url)) << url;
  return exchange;
}

std::vector<std::string> targets_of(const ScriptedHttpServer& server) {
  std::vector<std::string> targets;
  for (const auto& request : server.requests()) targets.push_back(request.target);
  return targets;
}

TEST(CurlHandleReuse, EachRequestGoesToItsOwnUrl) {
  const auto answer = [](const ReceivedRequest&) { return ScriptedResponse{204, {}, ""}; };
  ScriptedHttpServer first(answer);
  ScriptedHttpServer second(answer);
  http::CurlHttpClient client;
  const std::vector<std::pair<const ScriptedHttpServer*, std::string>> requests = {
      {&first, "/echo/;e/up?n=1"},         {&first, "/echo/;e/up?n=2"},    // only the query differs
      {&first, "/echo/;e/down?n=2"},                                       // the path differs
      {&first, "/echo/;e/down"},           {&first, "/echo/;e/down?n=3"},  // no query, then one
      {&second, "/echo/;e/down?n=3"},                                      // the port differs
      {&second, "/echo/;e/down?a=%20b&c"}, {&first, "/echo/;e/down?n=4"},
  };
  for (const auto& [server, target] : requests) {
    http::CurlOutcome outcome;
    const Error error = client.perform(get(*server, target), outcome);
    ASSERT_FALSE(error) << target << ": " << error.message;
    EXPECT_EQ(outcome.response.status, 204) << target;
  }
  EXPECT_EQ(targets_of(first),
            (std::vector<std::string>{"/echo/;e/up?n=1", "/echo/;e/up?n=2", "/echo/;e/down?n=2",
                                      "/echo/;e/down", "/echo/;e/down?n=3", "/echo/;e/down?n=4"}));
  EXPECT_EQ(targets_of(second),
            (std::vector<std::string>{"/echo/;e/down?n=3", "/echo/;e/down?a=%20b&c"}));
}

}  // namespace
}  // namespace tether::test
