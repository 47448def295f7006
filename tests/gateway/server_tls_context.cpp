#include "server_tls_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>
#include <string>

namespace tether::gateway {
namespace {

namespace ssl = boost::asio::ssl;

template <class Load>
void load_file(const std::filesystem::path& file, const char* what, Load&& load) {
  boost::system::error_code error;
  load(file.string(), error);
  if (error) {
    throw std::runtime_error("cannot use '" + file.string() + "' as the " + what + ": " +
                             error.message());
  }
}

void request_client_certificate(ssl::context& context, const TlsConfig& tls) {
  load_file(tls.client_ca, "client CA", [&context](const std::string& file, auto& error) {
    context.load_verify_file(file, error);
  });
  // Tell clients which CA to pick a certificate for.
  STACK_OF(X509_NAME)* ca_names = SSL_load_client_CA_file(tls.client_ca.c_str());
  if (ca_names != nullptr) SSL_CTX_set_client_CA_list(context.native_handle(), ca_names);
  auto mode = ssl::verify_peer;
  if (tls.require_client_certificate) mode |= ssl::verify_fail_if_no_peer_cert;
  context.set_verify_mode(mode);
  // OpenSSL refuses to resume sessions of verified clients without a session id context.
  static constexpr unsigned char session_id_context[] = "tether-gateway";
  SSL_CTX_set_session_id_context(context.native_handle(), session_id_context,
                                 sizeof(session_id_context) - 1);
}

}  // namespace

ssl::context make_server_tls_context(const TlsConfig& tls) {
  ssl::context context(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  load_file(tls.certificate, "certificate", [&context](const std::string& file, auto& error) {
    context.use_certificate_chain_file(file, error);
  });
  load_file(tls.private_key, "private key", [&context](const std::string& file, auto& error) {
    context.use_private_key_file(file, ssl::context::pem, error);
  });
  if (!tls.client_ca.empty()) request_client_certificate(context, tls);
  return context;
}

}  // namespace tether::gateway
