#pragma once

#include <asio/io_context.hpp>
#include <asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "tether/error.hpp"
#include "tether/options.hpp"

namespace tether::tls {

class TlsStream;

/// A client TLS configuration built from TlsOptions: trust store, TLS 1.2 minimum, client
/// certificate, and a chain check that adds SPKI pinning to OpenSSL's own verification. Every
/// connect() asks for one, and errors in the options surface there, before any connection is
/// attempted; connections with the same options and unchanged files share one.
///
/// Thread-safety: create() from any thread; immutable after it; distinct connections may use
/// one concurrently.
class ClientTlsContext {
 public:
  /// The context for `options`: the one a live connection already uses when its options and
  /// the files they name (tls/context_key.hpp) are the same, else a new one. Logs a warning
  /// when `options` turn verification off. TlsConfiguration when a file does not load,
  /// InvalidArgument when the options contradict each other or a pin is malformed.
  static Error create(const TlsOptions& options, std::shared_ptr<ClientTlsContext>& context);

  /// A stream on a new socket of `io` for a connection to `host` (a DNS name or an IP literal),
  /// verified by `context`, which it keeps alive: SNI names `host` when it is a DNS name, and
  /// the certificate must name it. TlsConfiguration when OpenSSL refuses the name.
  static Error new_stream(const std::shared_ptr<ClientTlsContext>& context, asio::io_context& io,
                          const std::string& host, std::unique_ptr<TlsStream>& stream);

  /// Makes `foreign`, an SSL_CTX another library created for one connection to `host` (libcurl,
  /// from its CURLOPT_SSL_CTX_FUNCTION), verify exactly as this context does: this trust store,
  /// TLS 1.2 at least, this client certificate, the chain and pin check and the host name check.
  /// This context must outlive every connection made with `foreign`.
  Error configure_foreign(SSL_CTX* foreign, const std::string& host) const;

  /// The typed error for a handshake with `host` that failed on `ssl`; `detail` is the transport's
  /// own description of the failure.
  Error describe_failure(SSL* ssl, const std::string& host, const std::string& detail) const;

  /// The same from the verification result alone (X509_V_OK when the chain was not the
  /// problem), for a library that keeps its SSL object to itself; `leaf` may be null.
  static Error describe_verify_result(long result, X509* leaf, const std::string& host,
                                      const std::string& detail);

  bool verifies_peer() const noexcept { return verify_peer_; }

  explicit ClientTlsContext(bool verify_peer) : verify_peer_(verify_peer) {}

 private:
  static Error build(const TlsOptions& options, std::shared_ptr<ClientTlsContext>& context);
  static int verify_chain(X509_STORE_CTX* store, void* self);
  Error set_expected_host(X509_VERIFY_PARAM* parameters, const std::string& host) const;
  bool chain_matches_pin(X509_STORE_CTX* store, bool chain_verified) const;

  asio::ssl::context context_{asio::ssl::context::tls_client};
  bool verify_peer_;
  std::vector<std::string> pins_;
};

}  // namespace tether::tls
