#pragma once

#include <openssl/ssl.h>

#include <optional>

#include "tether/tls_info.hpp"

namespace tether::tls {

/// The details of the TLS session on `ssl` once its handshake has completed; nullopt when `ssl`
/// is null or has no session yet. Both transports read their connection's SSL object with it.
///
/// Thread-safety: safe from any thread, provided nothing else uses `ssl` at the same time.
std::optional<TlsInfo> session_info(const SSL* ssl);

}  // namespace tether::tls
