#include "certificate_builder.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "base64.hpp"

namespace tether::test {
namespace {

// Throws std::runtime_error saying what failed, with OpenSSL's queued error text.
[[noreturn]] void throw_openssl_error(std::string_view what) {
  std::string message = "OpenSSL: " + std::string(what) + " failed";
  if (const unsigned long code = ERR_get_error(); code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += std::string(": ") + text;
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

using ExtensionHandle = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using KeyContextHandle = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
  return joined;
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  ExtensionHandle extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    throw_openssl_error("adding the extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  }
}

void set_subject(X509* certificate, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(certificate);
  const auto add = [name](const char* field, const std::string& value) {
    if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0) != 1) {
      throw_openssl_error("setting the subject name");
    }
  };
  add("O", "Tether tests");
  add("CN", common_name);
}

// Random serials, so that no two certificates of one run (or of two runs) share one.
void set_random_serial(X509* certificate) {
  std::uint64_t serial = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial) != 1) {
    throw_openssl_error("generating a serial number");
  }
  serial >>= 1;  // positive
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), serial);
}

void add_extensions(X509* certificate, X509* issuer, const CertificateProfile& profile) {
  if (profile.is_ca) {
    add_extension(certificate, issuer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(certificate, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(certificate, issuer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(certificate, issuer, NID_key_usage, "critical,digitalSignature");
  }
  add_extension(certificate, issuer, NID_subject_key_identifier, "hash");
  if (issuer != certificate) {
    add_extension(certificate, issuer, NID_authority_key_identifier, "keyid:always");
  }
  if (!profile.extended_key_usage.empty()) {
    add_extension(certificate, issuer, NID_ext_key_usage, profile.extended_key_usage);
  }
  if (!profile.subject_alt_names.empty()) {
    add_extension(certificate, issuer, NID_subject_alt_name, join(profile.subject_alt_names));
  }
}

BioHandle open_for_writing(const std::filesystem::path& file) {
  BioHandle bio(BIO_new_file(file.c_str(), "w"));
  if (!bio) throw_openssl_error("opening '" + file.string() + "' for writing");
  return bio;
}

}  // namespace

KeyHandle generate_key() {
  KeyContextHandle context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(context.get(), "P-256") != 1 ||
      EVP_PKEY_generate(context.get(), &key) != 1) {
    throw_openssl_error("generating a P-256 key");
  }
  return KeyHandle(key);
}

CertificateHandle issue_certificate(const CertificateProfile& profile, EVP_PKEY* subject_key,
                                    X509* issuer, EVP_PKEY* issuer_key) {
  CertificateHandle certificate(X509_new());
  if (!certificate) throw_openssl_error("allocating a certificate");
  X509* const signer = issuer != nullptr ? issuer : certificate.get();
  X509_set_version(certificate.get(), 2);  // v3
  set_random_serial(certificate.get());
  set_subject(certificate.get(), profile.common_name);
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer));
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), profile.valid_from.count());
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), profile.valid_until.count());
  if (X509_set_pubkey(certificate.get(), subject_key) != 1) throw_openssl_error("setting the key");
  add_extensions(certificate.get(), signer, profile);
  if (X509_sign(certificate.get(), issuer_key, EVP_sha256()) == 0) {
    throw_openssl_error("signing the certificate for " + profile.common_name);
  }
  return certificate;
}

void write_certificate_pem(X509* certificate, const std::filesystem::path& file) {
  auto bio = open_for_writing(file);
  if (PEM_write_bio_X509(bio.get(), certificate) != 1) {
    throw_openssl_error("writing '" + file.string() + "'");
  }
}

void write_private_key_pem(EVP_PKEY* key, const std::filesystem::path& file) {
  auto bio = open_for_writing(file);
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw_openssl_error("writing '" + file.string() + "'");
  }
}

std::string spki_sha256_base64(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) throw_openssl_error("encoding a public key");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(length), digest);
  OPENSSL_free(der);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace tether::test
