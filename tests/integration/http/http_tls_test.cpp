// https:// through tether::http is verified as wss:// is: the chain, the host name, the dates
// and the pins, each failure with its own error code.

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "http_test_support.hpp"
#include "scripted_http_server.hpp"
#include "tether/log.hpp"

namespace tether::test {
namespace {

ScriptedResponse ok(const ReceivedRequest&) { return {200, {}, "secure"}; }

std::string https_url(const ScriptedHttpServer& server, const std::string& host = "localhost") {
  return "https://" + host + ":" + std::to_string(server.port()) + "/";
}

TEST(HttpTls, AServerCertificateFromTheTrustedCaIsAccepted) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  http::Response response;
  const Error error = http::request(trusting_request(https_url(server)), response);

  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.body, "secure");
}

TEST(HttpTls, ACertificateFromAnotherCaIsTlsUntrustedCertificate) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.ca_file = shared_pki().other_ca_cert.string();
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::TlsUntrustedCertificate);
}

TEST(HttpTls, TheSystemStoreDoesNotTrustTheTestCa) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.ca_file.clear();
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::TlsUntrustedCertificate);
}

TEST(HttpTls, ACertificateForAnotherHostIsTlsHostnameMismatch) {
  ScriptedHttpServer server(ok, shared_pki().wrong_host_cert, shared_pki().wrong_host_key);
  http::Response response;

  EXPECT_EQ(http::request(trusting_request(https_url(server)), response).code,
            ErrorCode::TlsHostnameMismatch);
}

TEST(HttpTls, AnExpiredCertificateIsTlsCertificateExpired) {
  ScriptedHttpServer server(ok, shared_pki().expired_cert, shared_pki().expired_key);
  http::Response response;

  EXPECT_EQ(http::request(trusting_request(https_url(server)), response).code,
            ErrorCode::TlsCertificateExpired);
}

TEST(HttpTls, APinOfTheServerKeyIsAccepted) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.pinned_public_keys = {"sha256//" + shared_pki().server_spki_sha256};
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_FALSE(error) << error.message;
}

TEST(HttpTls, APinOfTheCaKeyIsAccepted) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.pinned_public_keys = {shared_pki().ca_spki_sha256};
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_FALSE(error) << error.message;
}

TEST(HttpTls, AKeyMatchingNoPinIsTlsPinMismatch) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.pinned_public_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::TlsPinMismatch);
}

TEST(HttpTls, AMalformedPinIsInvalidArgument) {
  auto request = trusting_request("https://localhost:1/");
  request.tls.pinned_public_keys = {"not-a-pin"};
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::InvalidArgument);
}

TEST(HttpTls, AMissingCaFileIsTlsConfiguration) {
  ScriptedHttpServer server(ok, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_url(server));
  request.tls.ca_file = "/nonexistent/ca.pem";
  http::Response response;

  EXPECT_EQ(http::request(request, response).code, ErrorCode::TlsConfiguration);
}

TEST(HttpTls, TurningVerificationOffAcceptsAnyCertificateAndLogsAWarning) {
  ScriptedHttpServer server(ok, shared_pki().wrong_host_cert, shared_pki().wrong_host_key);
  std::mutex mutex;
  std::vector<std::string> warnings;
  set_log_sink([&](LogLevel, std::string_view line) {
    const std::lock_guard lock(mutex);
    warnings.emplace_back(line);
  });
  auto request = trusting_request(https_url(server));
  request.tls.ca_file = shared_pki().other_ca_cert.string();
  request.tls.verify_peer = false;
  http::Response response;

  const Error error = http::request(request, response);
  set_log_sink({});
  EXPECT_FALSE(error) << error.message;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("verify_peer = false"), std::string::npos);
}

}  // namespace
}  // namespace tether::test
