#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

#include "tether/error.hpp"

namespace tether::tls {

/// base64(SHA-256(DER SubjectPublicKeyInfo)) of the certificate's key: the pin format of HPKP
/// (RFC 7469) and of curl's --pinnedpubkey "sha256//".
std::string public_key_sha256(X509* certificate);

/// Checks and normalises pins as the application gave them (with or without "sha256//").
/// A pin that is not the base64 of 32 bytes gives InvalidArgument naming it.
Error normalize_pins(const std::vector<std::string>& pins, std::vector<std::string>& normalized);

}  // namespace tether::tls
