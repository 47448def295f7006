#pragma once

#include <boost/asio/ssl/context.hpp>

#include "gateway_config.hpp"

namespace tether::gateway {

// The wss listener's TLS policy: TLS 1.2 or later, the configured certificate chain and key, and,
// when client_ca is set, a request for a client certificate (required with
// require_client_certificate). Throws std::runtime_error naming the file that cannot be used.
boost::asio::ssl::context make_server_tls_context(const TlsConfig& tls);

}  // namespace tether::gateway
