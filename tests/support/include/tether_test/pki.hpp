#pragma once

#include <filesystem>
#include <string>

namespace tether::test {

// A throw-away PKI, generated at run time (OpenSSL's C API, ECDSA P-256 keys, SHA-256
// signatures) into a directory the caller owns, usually a TempDir. Every path is absolute and
// every file is PEM. Unless said otherwise, certificates are valid from an hour ago for 30 days.
//
// Thread safety: generate() may run concurrently for distinct directories.
struct Pki {
  // Throws std::runtime_error naming the step that failed.
  static Pki generate(const std::filesystem::path& directory);

  std::filesystem::path ca_cert;  // the test root CA

  // SAN DNS:localhost, IP:127.0.0.1, IP:::1; extendedKeyUsage serverAuth; signed by the CA.
  std::filesystem::path server_cert;
  std::filesystem::path server_key;

  // Signed by the CA and valid, but its only SAN is DNS:wrong-host.invalid.
  std::filesystem::path wrong_host_cert;
  std::filesystem::path wrong_host_key;

  // Same names as the server certificate, signed by the CA, but notAfter was yesterday.
  std::filesystem::path expired_cert;
  std::filesystem::path expired_key;

  // extendedKeyUsage clientAuth, signed by the CA, for mutual TLS.
  std::filesystem::path client_cert;
  std::filesystem::path client_key;

  // A CA that signed none of the above, for "untrusted certificate" tests.
  std::filesystem::path other_ca_cert;

  // base64(SHA-256(DER SubjectPublicKeyInfo)), the form public key pins take.
  std::string server_spki_sha256;
  std::string ca_spki_sha256;
};

}  // namespace tether::test
