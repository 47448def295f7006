#include "tls/session_info.hpp"

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace tether::tls {
namespace {

std::string rfc2253(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string{};
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
  std::tm broken_down{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &broken_down) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&broken_down));
}

}  // namespace

std::optional<TlsInfo> session_info(const SSL* ssl) {
  if (ssl == nullptr || SSL_is_init_finished(ssl) != 1) return std::nullopt;
  TlsInfo info;
  info.protocol = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    info.cipher = SSL_CIPHER_get_name(cipher);
  }
  // get0: the certificate stays owned by the session.
  if (const X509* peer = SSL_get0_peer_certificate(ssl)) {
    info.peer_subject = rfc2253(X509_get_subject_name(peer));
    info.peer_issuer = rfc2253(X509_get_issuer_name(peer));
    info.peer_not_after = to_time_point(X509_get0_notAfter(peer));
  }
  return info;
}

}  // namespace tether::tls
