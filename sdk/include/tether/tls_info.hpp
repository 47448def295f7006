#pragma once

#include <chrono>
#include <string>

namespace tether {

/// The TLS session of a connection that opened over wss (the native transport) or https (the
/// emulated transport's create request): what an application shows to say how it is protected.
/// Client::tls_info() gives it.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct TlsInfo {
  /// The negotiated protocol version as OpenSSL names it, e.g. "TLSv1.3".
  std::string protocol;
  /// The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".
  std::string cipher;
  /// The peer certificate's subject and issuer in RFC 2253 form, e.g. "CN=localhost,O=Tether".
  std::string peer_subject;
  std::string peer_issuer;
  /// The end of the peer certificate's validity (notAfter).
  std::chrono::system_clock::time_point peer_not_after;
};

}  // namespace tether
