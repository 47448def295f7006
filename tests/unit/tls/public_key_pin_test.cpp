#include "tls/public_key_pin.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace tether::tls {
namespace {

struct Deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* certificate) const { X509_free(certificate); }
};

std::unique_ptr<EVP_PKEY, Deleter> make_key() {
  return std::unique_ptr<EVP_PKEY, Deleter>(EVP_EC_gen("P-256"));
}

std::unique_ptr<X509, Deleter> make_certificate(EVP_PKEY* key) {
  std::unique_ptr<X509, Deleter> certificate(X509_new());
  X509_set_pubkey(certificate.get(), key);
  X509_sign(certificate.get(), key, EVP_sha256());
  return certificate;
}

/// The pin computed another way: from the key (i2d_PUBKEY), with EVP digests and a BIO.
std::string reference_pin(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  EVP_Digest(der, static_cast<std::size_t>(length), digest, &digest_length, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  BIO* base64 = BIO_push(BIO_new(BIO_f_base64()), BIO_new(BIO_s_mem()));
  BIO_set_flags(base64, BIO_FLAGS_BASE64_NO_NL);
  BIO_write(base64, digest, static_cast<int>(digest_length));
  (void)BIO_flush(base64);
  BUF_MEM* memory = nullptr;
  BIO_get_mem_ptr(base64, &memory);
  std::string result(memory->data, memory->length);
  BIO_free_all(base64);
  return result;
}

TEST(PublicKeyPin, MatchesTheSpkiSha256OfTheKey) {
  auto key = make_key();
  auto certificate = make_certificate(key.get());
  EXPECT_EQ(public_key_sha256(certificate.get()), reference_pin(key.get()));
}

TEST(PublicKeyPin, DifferentKeysGiveDifferentPins) {
  auto first = make_key();
  auto second = make_key();
  EXPECT_NE(public_key_sha256(make_certificate(first.get()).get()),
            public_key_sha256(make_certificate(second.get()).get()));
}

TEST(PublicKeyPin, NormalizeAcceptsCurlPrefixAndBarePins) {
  auto key = make_key();
  const std::string pin = reference_pin(key.get());
  std::vector<std::string> normalized;
  ASSERT_FALSE(normalize_pins({"sha256//" + pin, pin}, normalized));
  EXPECT_EQ(normalized, (std::vector<std::string>{pin, pin}));
}

TEST(PublicKeyPin, NormalizeRejectsWhatIsNotASha256Digest) {
  std::vector<std::string> normalized;
  EXPECT_EQ(normalize_pins({"not-a-pin"}, normalized).code, ErrorCode::InvalidArgument);
  EXPECT_EQ(normalize_pins({"sha256//AAAA"}, normalized).code, ErrorCode::InvalidArgument);
  // 44 characters of base64, but of 33 bytes' worth without padding.
  EXPECT_EQ(normalize_pins({std::string(44, 'A')}, normalized).code, ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace tether::tls
