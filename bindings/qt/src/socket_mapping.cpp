#include "socket_mapping.hpp"

#include <QTimeZone>
#include <chrono>

namespace tether::qt {

QAbstractSocket::SocketState socket_state_of(State state) {
  switch (state) {
    case State::Idle:
    case State::Closed:
      return QAbstractSocket::UnconnectedState;
    case State::Connecting:
    case State::Authenticating:
    // Coming back by itself: QWebSocket would be connecting again.
    case State::Reconnecting:
      return QAbstractSocket::ConnectingState;
    // Revalidating is an Open sub-state: messages keep flowing, as QWebSocket has no such state.
    case State::Open:
    case State::Revalidating:
      return QAbstractSocket::ConnectedState;
    case State::Closing:
      return QAbstractSocket::ClosingState;
  }
  return QAbstractSocket::UnconnectedState;
}

QAbstractSocket::SocketError socket_error_of(const Error& error) {
  switch (error.code) {
    case ErrorCode::None:
      return QAbstractSocket::UnknownSocketError;
    case ErrorCode::InvalidArgument:
      return QAbstractSocket::UnsupportedSocketOperationError;
    case ErrorCode::InvalidState:
    case ErrorCode::Cancelled:
      return QAbstractSocket::OperationError;
    case ErrorCode::ResolveFailed:
      return QAbstractSocket::HostNotFoundError;
    case ErrorCode::ConnectFailed:
      return QAbstractSocket::ConnectionRefusedError;
    case ErrorCode::ConnectTimeout:
    case ErrorCode::HandshakeTimeout:
    case ErrorCode::PongTimeout:
    case ErrorCode::PeerUnresponsive:
      return QAbstractSocket::SocketTimeoutError;
    case ErrorCode::TlsConfiguration:
      return QAbstractSocket::SslInvalidUserDataError;
    case ErrorCode::TlsFailed:
    case ErrorCode::TlsUntrustedCertificate:
    case ErrorCode::TlsHostnameMismatch:
    case ErrorCode::TlsCertificateExpired:
    case ErrorCode::TlsPinMismatch:
      return QAbstractSocket::SslHandshakeFailedError;
    case ErrorCode::ProxyFailed:
      return error.http_status == 407 ? QAbstractSocket::ProxyAuthenticationRequiredError
                                      : QAbstractSocket::ProxyConnectionRefusedError;
    // QWebSocket reports an upgrade answered with anything but 101 as a refused connection.
    case ErrorCode::HandshakeRejected:
    case ErrorCode::SubprotocolMismatch:
    case ErrorCode::AuthFailed:
      return QAbstractSocket::ConnectionRefusedError;
    case ErrorCode::MessageTooBig:
      return QAbstractSocket::DatagramTooLargeError;
    // The server ended an open connection whose credentials expired.
    case ErrorCode::ConnectionLost:
    case ErrorCode::AuthExpired:
      return QAbstractSocket::RemoteHostClosedError;
    case ErrorCode::ProtocolError:
    case ErrorCode::CookieRejected:
    case ErrorCode::CookieFileCorrupt:
    case ErrorCode::FileAccessFailed:
      return QAbstractSocket::UnknownSocketError;
    // Qt's own word for "the operation would block": the connection goes on.
    case ErrorCode::WouldBlock:
      return QAbstractSocket::TemporaryError;
    // Qt's words for it, "the application lacked the required privileges"; the connection goes
    // on. Not OperationError, which stays the application's own misuse (InvalidState), so that
    // a slot can tell "called at the wrong time" from "the gateway refused it".
    case ErrorCode::NotAuthorized:
      return QAbstractSocket::SocketAccessError;
  }
  return QAbstractSocket::UnknownSocketError;
}

TlsDetails tls_details_of(const TlsInfo& info) {
  TlsDetails details;
  details.protocol = QString::fromStdString(info.protocol);
  details.cipher = QString::fromStdString(info.cipher);
  details.peerSubject = QString::fromStdString(info.peer_subject);
  details.peerIssuer = QString::fromStdString(info.peer_issuer);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(info.peer_not_after.time_since_epoch());
  details.peerExpiry = QDateTime::fromSecsSinceEpoch(seconds.count(), QTimeZone::utc());
  return details;
}

}  // namespace tether::qt
