#include "tether_test/pki.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "tether_test/temp_dir.hpp"

namespace tether::test {
namespace {

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using Certificate = std::unique_ptr<X509, X509Free>;

Certificate load_certificate(const std::filesystem::path& file) {
  std::unique_ptr<FILE, int (*)(FILE*)> stream(std::fopen(file.c_str(), "r"), &std::fclose);
  if (!stream) return nullptr;
  return Certificate(PEM_read_X509(stream.get(), nullptr, nullptr, nullptr));
}

bool matches_host(X509* certificate, const char* host) {
  return X509_check_host(certificate, host, 0, 0, nullptr) == 1;
}

bool matches_ip(X509* certificate, const char* address) {
  return X509_check_ip_asc(certificate, address, 0) == 1;
}

// Verifies certificate against trusted_ca alone, at the current time.
int verification_error(X509* certificate, const std::filesystem::path& trusted_ca) {
  std::unique_ptr<X509_STORE, void (*)(X509_STORE*)> store(X509_STORE_new(), &X509_STORE_free);
  X509_STORE_load_file(store.get(), trusted_ca.c_str());
  std::unique_ptr<X509_STORE_CTX, void (*)(X509_STORE_CTX*)> context(X509_STORE_CTX_new(),
                                                                     &X509_STORE_CTX_free);
  X509_STORE_CTX_init(context.get(), store.get(), certificate, nullptr);
  X509_verify_cert(context.get());
  return X509_STORE_CTX_get_error(context.get());
}

class PkiTest : public ::testing::Test {
 protected:
  TempDir directory_;
  Pki pki_ = Pki::generate(directory_.path());
};

TEST_F(PkiTest, ServerCertificateNamesLocalhostAndLoopbackAddresses) {
  const auto server = load_certificate(pki_.server_cert);
  ASSERT_TRUE(server);
  EXPECT_TRUE(matches_host(server.get(), "localhost"));
  EXPECT_TRUE(matches_ip(server.get(), "127.0.0.1"));
  EXPECT_TRUE(matches_ip(server.get(), "::1"));
}

TEST_F(PkiTest, ServerCertificateVerifiesAgainstTheTestCa) {
  const auto server = load_certificate(pki_.server_cert);
  EXPECT_EQ(verification_error(server.get(), pki_.ca_cert), X509_V_OK);
}

TEST_F(PkiTest, ServerCertificateIsUntrustedByTheOtherCa) {
  const auto server = load_certificate(pki_.server_cert);
  EXPECT_NE(verification_error(server.get(), pki_.other_ca_cert), X509_V_OK);
}

TEST_F(PkiTest, WrongHostCertificateIsValidButDoesNotNameLocalhost) {
  const auto wrong_host = load_certificate(pki_.wrong_host_cert);
  EXPECT_EQ(verification_error(wrong_host.get(), pki_.ca_cert), X509_V_OK);
  EXPECT_FALSE(matches_host(wrong_host.get(), "localhost"));
  EXPECT_FALSE(matches_ip(wrong_host.get(), "127.0.0.1"));
  EXPECT_TRUE(matches_host(wrong_host.get(), "wrong-host.invalid"));
}

TEST_F(PkiTest, ExpiredCertificateEndedInThePastAndFailsVerificationAsExpired) {
  const auto expired = load_certificate(pki_.expired_cert);
  EXPECT_LT(X509_cmp_current_time(X509_get0_notAfter(expired.get())), 0);
  EXPECT_TRUE(matches_host(expired.get(), "localhost"));
  EXPECT_EQ(verification_error(expired.get(), pki_.ca_cert), X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_F(PkiTest, ClientCertificateIsForClientAuthentication) {
  const auto client = load_certificate(pki_.client_cert);
  EXPECT_EQ(verification_error(client.get(), pki_.ca_cert), X509_V_OK);
  EXPECT_EQ(X509_check_purpose(client.get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
  EXPECT_NE(X509_get_extended_key_usage(client.get()) & XKU_SSL_CLIENT, 0U);
}

// Computed here from the certificates, independently of how Pki computed it.
std::string spki_pin_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(X509_get0_pubkey(certificate), &der);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(length), digest);
  OPENSSL_free(der);
  unsigned char encoded[64] = {};
  EVP_EncodeBlock(encoded, digest, sizeof digest);
  return reinterpret_cast<const char*>(encoded);
}

TEST_F(PkiTest, SpkiPinsAreBase64Sha256OfTheCertificatesPublicKeys) {
  EXPECT_EQ(pki_.server_spki_sha256, spki_pin_of(load_certificate(pki_.server_cert).get()));
  EXPECT_EQ(pki_.ca_spki_sha256, spki_pin_of(load_certificate(pki_.ca_cert).get()));
}

}  // namespace
}  // namespace tether::test
