#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace tether::test {

// Owning pointers for the OpenSSL objects the PKI code creates.
template <auto free_function>
struct OpenSslDeleter {
  template <class Object>
  void operator()(Object* object) const {
    free_function(object);
  }
};

using KeyHandle = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using CertificateHandle = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BioHandle = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;

}  // namespace tether::test
