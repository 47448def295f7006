#include "tls/client_tls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>

#include "core/ip_literal.hpp"
#include "core/log.hpp"
#include "tls/context_key.hpp"
#include "tls/public_key_pin.hpp"
#include "tls/tls_stream.hpp"

namespace tether::tls {
namespace {

std::string last_openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

Error configuration_error(const std::string& what) {
  return {ErrorCode::TlsConfiguration, "TLS: " + what + ": " + last_openssl_error()};
}

/// The names a certificate is valid for, "a, b", from its subjectAltName (DNS and IP entries)
/// or, lacking one, its common name.
std::string certificate_names(X509* certificate) {
  std::string names;
  auto append = [&names](const std::string& name) {
    if (!names.empty()) names += ", ";
    names += name;
  };
  auto* alt_names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; alt_names != nullptr && i < sk_GENERAL_NAME_num(alt_names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(alt_names, i);
    if (name->type == GEN_DNS) {
      const auto* text = ASN1_STRING_get0_data(name->d.dNSName);
      append(std::string(reinterpret_cast<const char*>(text),
                         static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName))));
    } else if (name->type == GEN_IPADD) {
      const int length = ASN1_STRING_length(name->d.iPAddress);
      char text[INET6_ADDRSTRLEN] = {};
      if ((length == 4 || length == 16) &&
          inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(name->d.iPAddress),
                    text, sizeof text) != nullptr) {
        append(text);
      }
    }
  }
  GENERAL_NAMES_free(alt_names);
  if (names.empty()) {
    char common_name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, common_name,
                              sizeof common_name);
    names = common_name[0] != '\0' ? common_name : "no name";
  }
  return names;
}

}  // namespace

Error ClientTlsContext::create(const TlsOptions& options,
                               std::shared_ptr<ClientTlsContext>& context) {
  if (!options.verify_peer) {
    detail::log(LogLevel::Warning,
                "TLS certificate verification is disabled (TlsOptions::verify_peer = false): "
                "the connection can be intercepted; never ship this setting");
  }
  // One context for every connection with the same options and files: its SSL_CTX and parsed
  // trust store (hundreds of KiB for the system's) are made once, not at every connect().
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<ClientTlsContext>> made;
  const std::string key = context_key(options);
  {
    std::lock_guard lock(mutex);
    if (const auto found = made.find(key); found != made.end()) {
      if (auto alive = found->second.lock()) {
        context = std::move(alive);
        return {};
      }
    }
  }
  std::shared_ptr<ClientTlsContext> built;
  if (auto error = build(options, built)) return error;
  std::lock_guard lock(mutex);
  for (auto it = made.begin(); it != made.end();) {
    it = it->second.expired() ? made.erase(it) : std::next(it);
  }
  made[key] = built;
  context = std::move(built);
  return {};
}

Error ClientTlsContext::build(const TlsOptions& options,
                              std::shared_ptr<ClientTlsContext>& context) {
  auto result = std::make_shared<ClientTlsContext>(options.verify_peer);
  if (auto error = normalize_pins(options.pinned_public_keys, result->pins_)) return error;
  SSL_CTX* ctx = result->context_.native_handle();
  ERR_clear_error();

  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return configuration_error("cannot require TLS 1.2");
  }

  // OpenSSL's read and write buffers (about 17 KiB each) are freed while a connection has
  // nothing in them: an idle connection keeps neither.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);

  if (!options.ca_file.empty() || !options.ca_path.empty()) {
    const char* file = options.ca_file.empty() ? nullptr : options.ca_file.c_str();
    const char* path = options.ca_path.empty() ? nullptr : options.ca_path.c_str();
    if (SSL_CTX_load_verify_locations(ctx, file, path) != 1) {
      return configuration_error("cannot load the trusted CAs from '" +
                                 (file ? options.ca_file : options.ca_path) + "'");
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return configuration_error("cannot load the system CA store");
  }

  if (options.certificate_file.empty() != options.private_key_file.empty()) {
    return {ErrorCode::InvalidArgument,
            "TLS: a client certificate needs both certificate_file and private_key_file"};
  }
  if (!options.certificate_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, options.certificate_file.c_str()) != 1) {
      return configuration_error("cannot load the client certificate '" + options.certificate_file +
                                 "'");
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, options.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return configuration_error("cannot load the private key '" + options.private_key_file + "'");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
      return configuration_error("the private key '" + options.private_key_file +
                                 "' does not belong to the certificate '" +
                                 options.certificate_file + "'");
    }
  }

  // VERIFY_PEER always, so that a refusal from verify_chain (a pin mismatch) aborts the
  // handshake even when verify_peer is false.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, &ClientTlsContext::verify_chain, result.get());
  context = std::move(result);
  return {};
}

Error ClientTlsContext::new_stream(const std::shared_ptr<ClientTlsContext>& context,
                                   asio::io_context& io, const std::string& host,
                                   std::unique_ptr<TlsStream>& stream) {
  auto made = std::make_unique<TlsStream>(io, context->context_.native_handle(), context);
  SSL* ssl = made->native_handle();
  // RFC 6066 section 3: SNI carries DNS names only.
  // SSL_set_tlsext_host_name() is this call in a C cast.
  if (!core::is_ip_literal(host) &&
      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(host.c_str())) != 1) {
    return configuration_error("cannot send the server name '" + host + "'");
  }
  if (auto error = context->set_expected_host(SSL_get0_param(ssl), host)) return error;
  stream = std::move(made);
  return {};
}

Error ClientTlsContext::set_expected_host(X509_VERIFY_PARAM* parameters,
                                          const std::string& host) const {
  if (!verify_peer_) return {};
  X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int set = X509_VERIFY_PARAM_set1_ip_asc(parameters, host.c_str()) == 1
                      ? 1
                      : X509_VERIFY_PARAM_set1_host(parameters, host.c_str(), host.size());
  if (set != 1) return configuration_error("cannot verify the host name '" + host + "'");
  return {};
}

Error ClientTlsContext::configure_foreign(SSL_CTX* foreign, const std::string& host) const {
  // OpenSSL's getters for a context's chain are not const; this context is only read.
  SSL_CTX* own = const_cast<asio::ssl::context&>(context_).native_handle();
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(foreign, TLS1_2_VERSION) != 1) {
    return configuration_error("cannot require TLS 1.2");
  }
  SSL_CTX_set_mode(foreign, SSL_MODE_RELEASE_BUFFERS);  // as create() does
  SSL_CTX_set1_cert_store(foreign, SSL_CTX_get_cert_store(own));
  if (X509* certificate = SSL_CTX_get0_certificate(own)) {
    STACK_OF(X509)* chain = nullptr;
    SSL_CTX_get0_chain_certs(own, &chain);
    if (SSL_CTX_use_certificate(foreign, certificate) != 1 ||
        SSL_CTX_use_PrivateKey(foreign, SSL_CTX_get0_privatekey(own)) != 1 ||
        (chain != nullptr && SSL_CTX_set1_chain(foreign, chain) != 1)) {
      return configuration_error("cannot use the client certificate");
    }
  }
  SSL_CTX_set_verify(foreign, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_cert_verify_callback(foreign, &ClientTlsContext::verify_chain,
                                   const_cast<ClientTlsContext*>(this));
  return set_expected_host(SSL_CTX_get0_param(foreign), host);
}

int ClientTlsContext::verify_chain(X509_STORE_CTX* store, void* self) {
  const auto& context = *static_cast<const ClientTlsContext*>(self);
  const bool verified = X509_verify_cert(store) == 1;
  if (!verified && context.verify_peer_) return 0;
  if (!context.pins_.empty() && !context.chain_matches_pin(store, verified)) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  // verify_peer = false: accept whatever chain OpenSSL rejected.
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

bool ClientTlsContext::chain_matches_pin(X509_STORE_CTX* store, bool chain_verified) const {
  auto matches = [this](X509* certificate) {
    const auto hash = public_key_sha256(certificate);
    return std::find(pins_.begin(), pins_.end(), hash) != pins_.end();
  };
  if (matches(X509_STORE_CTX_get0_cert(store))) return true;
  // A verified chain reaches the trusted root; an unverified one is only what the server sent.
  STACK_OF(X509)* chain =
      chain_verified ? X509_STORE_CTX_get0_chain(store) : X509_STORE_CTX_get0_untrusted(store);
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    if (matches(sk_X509_value(chain, i))) return true;
  }
  return false;
}

Error ClientTlsContext::describe_failure(SSL* ssl, const std::string& host,
                                         const std::string& detail) const {
  STACK_OF(X509)* presented = SSL_get_peer_cert_chain(ssl);
  X509* leaf =
      presented != nullptr && sk_X509_num(presented) > 0 ? sk_X509_value(presented, 0) : nullptr;
  return describe_verify_result(SSL_get_verify_result(ssl), leaf, host, detail);
}

Error ClientTlsContext::describe_verify_result(long result, X509* leaf, const std::string& host,
                                               const std::string& detail) {
  const std::string reason = X509_verify_cert_error_string(result);
  switch (result) {
    case X509_V_OK:
      return {ErrorCode::TlsFailed, "TLS: handshake with '" + host + "' failed: " + detail};
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return {ErrorCode::TlsHostnameMismatch,
              "TLS: " + (leaf ? "certificate for " + certificate_names(leaf) : "the certificate") +
                  " does not match host '" + host + "'; connect with a name the certificate lists"};
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return {ErrorCode::TlsCertificateExpired,
              "TLS: the certificate of '" + host + "' is not valid now (" + reason +
                  "); renew it on the server or check this machine's clock"};
    case X509_V_ERR_APPLICATION_VERIFICATION:
      return {ErrorCode::TlsPinMismatch,
              "TLS: no certificate presented by '" + host +
                  "' matches the pinned public keys; the server's key changed or the "
                  "connection is intercepted"};
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
      return {ErrorCode::TlsUntrustedCertificate, "TLS: the certificate of '" + host +
                                                      "' is not issued by a trusted CA (" + reason +
                                                      "); pass the gateway's CA with ca_file"};
    default:
      return {ErrorCode::TlsUntrustedCertificate,
              "TLS: the certificate of '" + host + "' was rejected: " + reason};
  }
}

}  // namespace tether::tls
