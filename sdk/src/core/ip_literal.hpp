#pragma once

#include <string_view>

namespace tether::core {

/// True for an IPv4 or IPv6 address literal, without brackets: what URLs, cookies and TLS (no
/// SNI, an IP subjectAltName) treat apart from a host name.
/// Thread-safety: safe from any thread.
bool is_ip_literal(std::string_view host);

}  // namespace tether::core
