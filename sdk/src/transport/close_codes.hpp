#pragma once
// Close codes of Tether's own (RFC 6455 section 7.4.2 leaves 4000-4999 to applications) that a
// transport turns into a typed error.

#include <cstdint>

namespace tether::transport {

/// The gateway ended the connection because the credentials that opened it expired, or a
/// revalidation's deadline passed without success (docs/control-channel.md section 5.1,
/// docs/emulation.md section 9). The SDK reports it as ErrorCode::AuthExpired.
inline constexpr std::uint16_t close_credentials_expired = 4401;

}  // namespace tether::transport
