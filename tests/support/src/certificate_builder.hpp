#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "openssl_handles.hpp"

namespace tether::test {

// What a test certificate says about its subject. Validity is relative to now, so that an
// expired certificate is just one whose window ended in the past.
struct CertificateProfile {
  std::string common_name;
  std::vector<std::string> subject_alt_names;  // OpenSSL syntax: "DNS:localhost", "IP:127.0.0.1"
  bool is_ca = false;
  std::string extended_key_usage;  // "serverAuth", "clientAuth" or empty
  std::chrono::seconds valid_from{-std::chrono::hours(1)};
  std::chrono::seconds valid_until{std::chrono::hours(24 * 30)};
};

// A fresh ECDSA P-256 key: quick to generate even under sanitizers.
KeyHandle generate_key();

// Issues a certificate for subject_key signed by issuer_key; issuer is the issuer's certificate,
// or nullptr for a self-signed one.
CertificateHandle issue_certificate(const CertificateProfile& profile, EVP_PKEY* subject_key,
                                    X509* issuer, EVP_PKEY* issuer_key);

void write_certificate_pem(X509* certificate, const std::filesystem::path& file);
void write_private_key_pem(EVP_PKEY* key, const std::filesystem::path& file);

// base64(SHA-256(DER SubjectPublicKeyInfo)): the form public key pins take.
std::string spki_sha256_base64(EVP_PKEY* key);

}  // namespace tether::test
