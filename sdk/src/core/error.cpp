#include "tether/error.hpp"

namespace tether {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::None:
      return "None";
    case ErrorCode::InvalidArgument:
      return "InvalidArgument";
    case ErrorCode::InvalidState:
      return "InvalidState";
    case ErrorCode::ResolveFailed:
      return "ResolveFailed";
    case ErrorCode::ConnectFailed:
      return "ConnectFailed";
    case ErrorCode::ConnectTimeout:
      return "ConnectTimeout";
    case ErrorCode::HandshakeTimeout:
      return "HandshakeTimeout";
    case ErrorCode::TlsConfiguration:
      return "TlsConfiguration";
    case ErrorCode::TlsFailed:
      return "TlsFailed";
    case ErrorCode::TlsUntrustedCertificate:
      return "TlsUntrustedCertificate";
    case ErrorCode::TlsHostnameMismatch:
      return "TlsHostnameMismatch";
    case ErrorCode::TlsCertificateExpired:
      return "TlsCertificateExpired";
    case ErrorCode::TlsPinMismatch:
      return "TlsPinMismatch";
    case ErrorCode::ProxyFailed:
      return "ProxyFailed";
    case ErrorCode::HandshakeRejected:
      return "HandshakeRejected";
    case ErrorCode::SubprotocolMismatch:
      return "SubprotocolMismatch";
    case ErrorCode::AuthFailed:
      return "AuthFailed";
    case ErrorCode::MessageTooBig:
      return "MessageTooBig";
    case ErrorCode::PongTimeout:
      return "PongTimeout";
    case ErrorCode::ProtocolError:
      return "ProtocolError";
    case ErrorCode::ConnectionLost:
      return "ConnectionLost";
    case ErrorCode::Cancelled:
      return "Cancelled";
    case ErrorCode::CookieRejected:
      return "CookieRejected";
    case ErrorCode::CookieFileCorrupt:
      return "CookieFileCorrupt";
    case ErrorCode::FileAccessFailed:
      return "FileAccessFailed";
    case ErrorCode::AuthExpired:
      return "AuthExpired";
    case ErrorCode::WouldBlock:
      return "WouldBlock";
    case ErrorCode::NotAuthorized:
      return "NotAuthorized";
    case ErrorCode::PeerUnresponsive:
      return "PeerUnresponsive";
  }
  return "Unknown";
}

bool Error::is_tls() const noexcept {
  switch (code) {
    case ErrorCode::TlsConfiguration:
    case ErrorCode::TlsFailed:
    case ErrorCode::TlsUntrustedCertificate:
    case ErrorCode::TlsHostnameMismatch:
    case ErrorCode::TlsCertificateExpired:
    case ErrorCode::TlsPinMismatch:
      return true;
    default:
      return false;
  }
}

namespace {

class TetherErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "tether"; }
  std::string message(int value) const override { return to_string(static_cast<ErrorCode>(value)); }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const TetherErrorCategory category;
  return category;
}

std::error_code make_error_code(ErrorCode code) noexcept {
  return {static_cast<int>(code), error_category()};
}

}  // namespace tether
