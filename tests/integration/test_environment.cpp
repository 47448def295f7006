#include "test_environment.hpp"

#include <gtest/gtest.h>

#include "tether_test/gateway.hpp"

namespace tether::test {

ConnectOptions trusting_options(const std::string& url) {
  ConnectOptions options;
  options.url = url;
  options.tls.ca_file = shared_pki().ca_cert.string();
  options.use_proxy_environment = false;
  return options;
}

ConnectOptions trusting_options(const std::string& url, TransportPolicy transport) {
  auto options = trusting_options(url);
  options.transport = transport;
  return options;
}

ConnectOptions emulated_options(const std::string& url) {
  return trusting_options(url, TransportPolicy::Emulated);
}

TransportKind transport_of(TransportPolicy policy) {
  return policy == TransportPolicy::Emulated ? TransportKind::Emulated : TransportKind::Native;
}

std::string transport_name(TransportPolicy policy) {
  return policy == TransportPolicy::Emulated ? "Emulated" : "Native";
}

std::string opened_connections_key(TransportPolicy policy) {
  return policy == TransportPolicy::Emulated ? "emulated_sessions_created" : "upgrades_accepted";
}

std::string open_connections_key(TransportPolicy policy) {
  return policy == TransportPolicy::Emulated ? "emulated_sessions_open" : "open_connections";
}

std::string transport_and_scheme_name(const TransportAndScheme& parameter) {
  return transport_name(std::get<0>(parameter)) + (std::get<1>(parameter) ? "Wss" : "Ws");
}

http::Response post_alice_form(const Gateway& gateway, const std::string& path,
                               std::shared_ptr<CookieJar> jar) {
  http::Request request;
  request.method = "POST";
  request.url = "https://localhost:" + std::to_string(gateway.wss_port()) + path;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "username=alice&password=secret";
  request.tls.ca_file = shared_pki().ca_cert.string();
  request.use_proxy_environment = false;
  request.cookie_jar = std::move(jar);
  http::Response response;
  const Error error = http::request(request, response);
  EXPECT_FALSE(error) << error.message;
  return response;
}

}  // namespace tether::test
