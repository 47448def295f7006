#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace tether::qt {

/// The TLS session of an open wss:// connection (or of the https:// requests of the emulated
/// transport), as WebSocket::tlsDetails() gives it: what a connection panel shows.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct TlsDetails {
  /// The negotiated protocol version, e.g. "TLSv1.3".
  QString protocol;
  /// The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".
  QString cipher;
  /// The peer certificate's subject and issuer, RFC 2253 style, e.g. "CN=localhost".
  QString peerSubject;
  QString peerIssuer;
  /// When the peer certificate expires (its notAfter), in UTC.
  QDateTime peerExpiry;

  /// True when there is no TLS session: a ws:// connection, or none open yet.
  bool isNull() const { return protocol.isEmpty(); }
};

}  // namespace tether::qt

Q_DECLARE_METATYPE(tether::qt::TlsDetails)
