// TLS is verified by default, and every way it can fail is its own typed error.
#include <gtest/gtest.h>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/log.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

nlohmann::json serving(const std::filesystem::path& certificate, const std::filesystem::path& key) {
  return gateway_config(
      {{"tls", {{"certificate", certificate.string()}, {"private_key", key.string()}}}});
}

/// Connects with `options` and returns the one error the attempt ended with; fails the test if
/// the connection ever opened.
Error failure_of(ConnectOptions options) {
  Client client;
  EventRecorder recorder(client);
  if (auto error = client.connect(std::move(options))) return error;
  EXPECT_TRUE(recorder.wait_for_close());
  EXPECT_FALSE(recorder.ever_opened());
  const auto errors = recorder.errors();
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(recorder.close_info().error.code, errors.empty() ? ErrorCode::None : errors[0].code);
  return errors.empty() ? Error{} : errors[0];
}

bool opens(ConnectOptions options) {
  Client client;
  EventRecorder recorder(client);
  if (client.connect(std::move(options))) return false;
  const bool opened = recorder.wait_for_open_or_close();
  for (const auto& error : recorder.errors()) ADD_FAILURE() << error.message;
  return opened;
}

const std::string any_other_pin = "sha256//" + std::string(43, 'A') + "=";

TEST(Tls, TrustedCertificateForTheHostOpens) {
  Gateway gateway(gateway_config());
  EXPECT_TRUE(opens(trusting_options(gateway.wss_url("/echo"))));
}

TEST(Tls, IpLiteralIsCheckedAgainstTheIpSubjectAltName) {
  Gateway gateway(gateway_config());
  EXPECT_TRUE(opens(trusting_options(gateway.wss_url("/echo", "127.0.0.1"))));
}

TEST(Tls, CertificateFromAnUntrustedCaIsRejected) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.ca_file = shared_pki().other_ca_cert.string();
  const Error error = failure_of(options);
  EXPECT_EQ(error.code, ErrorCode::TlsUntrustedCertificate) << error.message;
  EXPECT_NE(error.message.find("localhost"), std::string::npos) << error.message;
}

TEST(Tls, SystemStoreDoesNotTrustTheTestCaByDefault) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.ca_file.clear();
  EXPECT_EQ(failure_of(options).code, ErrorCode::TlsUntrustedCertificate);
}

TEST(Tls, CertificateForAnotherHostIsRejected) {
  const Pki& pki = shared_pki();
  Gateway gateway(serving(pki.wrong_host_cert, pki.wrong_host_key));
  const Error error = failure_of(trusting_options(gateway.wss_url("/echo")));
  EXPECT_EQ(error.code, ErrorCode::TlsHostnameMismatch) << error.message;
  EXPECT_NE(
      error.message.find("certificate for wrong-host.invalid does not match host 'localhost'"),
      std::string::npos)
      << error.message;
}

TEST(Tls, ExpiredCertificateIsRejected) {
  const Pki& pki = shared_pki();
  Gateway gateway(serving(pki.expired_cert, pki.expired_key));
  const Error error = failure_of(trusting_options(gateway.wss_url("/echo")));
  EXPECT_EQ(error.code, ErrorCode::TlsCertificateExpired) << error.message;
}

TEST(Tls, PinOfTheServerKeyOpens) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {any_other_pin, shared_pki().server_spki_sha256};
  EXPECT_TRUE(opens(options));
}

TEST(Tls, PinOfTheCaKeyOpens) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {"sha256//" + shared_pki().ca_spki_sha256};
  EXPECT_TRUE(opens(options));
}

TEST(Tls, PinMismatchIsRejectedEvenWithAValidChain) {
  Gateway gateway(gateway_config());
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {any_other_pin};
  const Error error = failure_of(options);
  EXPECT_EQ(error.code, ErrorCode::TlsPinMismatch) << error.message;
}

TEST(Tls, DisabledVerificationAcceptsAWrongHostButStillEnforcesPins) {
  const Pki& pki = shared_pki();
  Gateway gateway(serving(pki.wrong_host_cert, pki.wrong_host_key));
  set_log_sink([](LogLevel, std::string_view) {});
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.verify_peer = false;
  EXPECT_TRUE(opens(options));
  options.tls.pinned_public_keys = {any_other_pin};
  EXPECT_EQ(failure_of(options).code, ErrorCode::TlsPinMismatch);
  set_log_sink([](LogLevel, std::string_view) {}, LogLevel::Error);
}

TEST(Tls, ServerRequiringAClientCertificateRefusesOneWithout) {
  const Pki& pki = shared_pki();
  Gateway gateway(gateway_config(
      {{"tls", {{"client_ca", pki.ca_cert.string()}, {"require_client_certificate", true}}}}));
  const Error error = failure_of(trusting_options(gateway.wss_url("/echo")));
  EXPECT_TRUE(error.is_tls()) << to_string(error.code) << ": " << error.message;
}

TEST(Tls, ClientCertificateIsPresented) {
  const Pki& pki = shared_pki();
  Gateway gateway(gateway_config(
      {{"tls", {{"client_ca", pki.ca_cert.string()}, {"require_client_certificate", true}}}}));
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.tls.certificate_file = pki.client_cert.string();
  options.tls.private_key_file = pki.client_key.string();
  EXPECT_TRUE(opens(options));
}

}  // namespace
}  // namespace tether::test
