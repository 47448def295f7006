#pragma once
// Where Tether's values meet QWebSocket's: its socket states and errors, and Qt value types.
// docs/qt.md has the tables.

#include <QAbstractSocket>

#include "tether/error.hpp"
#include "tether/qt/tls_details.hpp"
#include "tether/state.hpp"
#include "tether/tls_info.hpp"

namespace tether::qt {

/// Authenticating and Reconnecting are ConnectingState, Revalidating still ConnectedState,
/// Closed is UnconnectedState again.
QAbstractSocket::SocketState socket_state_of(State state);

/// The QAbstractSocket error a QWebSocket would report for the same failure.
QAbstractSocket::SocketError socket_error_of(const Error& error);

TlsDetails tls_details_of(const TlsInfo& info);

}  // namespace tether::qt
