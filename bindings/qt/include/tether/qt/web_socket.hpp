#pragma once
// The Qt adapter: a QObject shaped like QWebSocket over a tether::Client. docs/qt.md lists, line
// by line, where it matches QWebSocket and where it cannot.

#include <QAbstractSocket>
#include <QByteArray>
#include <QMetaType>
#include <QNetworkRequest>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QWebSocketProtocol>
#include <memory>

#include "tether/cookies.hpp"
#include "tether/error.hpp"
#include "tether/message.hpp"
#include "tether/options.hpp"
#include "tether/qt/challenge.hpp"
#include "tether/qt/tls_details.hpp"
#include "tether/state.hpp"

namespace tether::qt {

/// A WebSocket connection for Qt applications: the names, signatures and signal order of
/// QWebSocket where the concept is the same, so that code written for QWebSocket compiles against
/// it, plus what Tether adds: the fallback to the HTTP emulation, challenges answered from the
/// GUI thread, TLS details, a cookie jar and every tether::ConnectOptions.
///
/// ```
/// tether::qt::WebSocket socket;
/// connect(&socket, &tether::qt::WebSocket::connected, [&] { socket.sendTextMessage("hello"); });
/// connect(&socket, &tether::qt::WebSocket::textMessageReceived,
///         [](const QString& message) { qDebug() << message; });
/// socket.open(QUrl("wss://gateway.example.com/echo"));
/// ```
///
/// TLS verification cannot be switched off from here: there is no ignoreSslErrors(), and a TLS
/// failure arrives through errorOccurred() with its typed code (tetherError()).
///
/// Thread-safety: like any QObject, use it on the thread it lives in. Every signal is emitted on
/// that thread, never on Tether's I/O thread, and none is emitted once the object is destroyed.
/// The object may be deleted from any slot, including one connected to its own signal, with
/// delete or deleteLater(). Distinct objects: safe.
class WebSocket final : public QObject {
  Q_OBJECT
  Q_PROPERTY(QAbstractSocket::SocketState state READ state NOTIFY stateChanged)
  Q_PROPERTY(tether::State tetherState READ tetherState NOTIFY tetherStateChanged)
  Q_PROPERTY(tether::TransportKind transport READ transport NOTIFY transportChanged)

 public:
  /// `origin` is sent as the Origin header when not empty, as QWebSocket does. Only version 13
  /// of the protocol exists; the parameter is there so that QWebSocket's constructor calls
  /// compile.
  explicit WebSocket(const QString& origin = QString(),
                     QWebSocketProtocol::Version version = QWebSocketProtocol::VersionLatest,
                     QObject* parent = nullptr);
  /// Closes the connection (1001, going away) without waiting for the closing handshake. Any
  /// challenge still waiting for an answer is cancelled.
  ~WebSocket() override;

  // ---- as QWebSocket ----

  QAbstractSocket::SocketState state() const;
  /// The URL of the last open(), as given.
  QUrl requestUrl() const;
  QString origin() const;
  /// The subprotocol the server selected, empty when none.
  QString subprotocol() const;
  /// The close code and reason of the last connection that ended; 1006 (CloseCodeAbnormal
  /// Disconnection) when it ended without a closing handshake.
  QWebSocketProtocol::CloseCode closeCode() const;
  QString closeReason() const;
  /// The last error as a socket error (the mapping is in docs/qt.md) and its message.
  QAbstractSocket::SocketError error() const;
  QString errorString() const;
  /// True while connected; false while Tether reconnects (state() ConnectingState), though
  /// sends still work then.
  bool isValid() const;

  /// Queues a message; returns its size in bytes (UTF-8 for text), or 0 when the connection is
  /// not open (as QWebSocket does) or the send queue is full, tetherError() and errorString()
  /// then saying why. Works while Tether revalidates (tetherState() Revalidating, state()
  /// ConnectedState) and while it reconnects (tetherState() Reconnecting, state()
  /// ConnectingState: the message waits for the connection); lastMessageNumber() then gives the
  /// message's number.
  qint64 sendTextMessage(const QString& message);
  qint64 sendBinaryMessage(const QByteArray& data);

  // ---- what Tether adds ----

  /// The full state machine (tether/state.hpp); state() is its projection onto QAbstractSocket.
  tether::State tetherState() const;
  /// The transport of the current connection: None when closed, Native, or Emulated once
  /// TransportPolicy::Auto fell back (fallbackReason() says why).
  tether::TransportKind transport() const;
  /// Why this connection left the native WebSocket for the HTTP emulation, empty when it did not.
  QString fallbackReason() const;
  /// The last error with its typed code and, for a refused handshake, its HTTP status.
  tether::Error tetherError() const;
  /// The TLS session of the connection, from connected() until the next open(); null over ws://.
  TlsDetails tlsDetails() const;
  /// The number the connection gave the message that sendTextMessage() or sendBinaryMessage()
  /// last queued: 1 for the first since it opened, then 2, 3... (docs/control-channel.md section
  /// 4); 0 before the first, and again after open(). A NotAuthorized error names the message it
  /// refuses by this number (tetherError().message_id). A separate call, so that the send
  /// functions keep QWebSocket's signatures. Numbers go on across reconnects.
  quint64 lastMessageNumber() const;
  /// The latest reconnecting() in full: its attempt, delay and reason (why the connection
  /// dropped, or why the previous attempt failed). Default-constructed before the first.
  tether::ReconnectAttempt lastReconnectAttempt() const;
  /// The latest reconnected() in full: resumed or not, the attempts, the transport and, for a
  /// new session, the numbers of the messages that may be lost. Default-constructed before the
  /// first.
  tether::Reconnected lastReconnected() const;

  /// The options of the next open(): TLS (CA file, pins, client certificate), proxy, timeouts,
  /// transport policy, subprotocols, headers... open() fills in the URL (and the headers, origin
  /// and subprotocols of a QNetworkRequest). Without a challenge handler of its own, challenges
  /// arrive through authenticationRequired().
  void setConnectOptions(const tether::ConnectOptions& options);
  tether::ConnectOptions connectOptions() const;
  /// The cookie jar of the handshakes: a fresh one per WebSocket unless replaced; share one with
  /// tether::HttpClient so that a single sign-on cookie opens the WebSocket. Null: the SDK's own
  /// in-memory jar for this socket's lifetime (docs/cookies.md).
  /// The same jar as connectOptions().cookie_jar.
  void setCookieJar(std::shared_ptr<tether::CookieJar> jar);
  std::shared_ptr<tether::CookieJar> cookieJar() const;
  /// Whether and how a dropped connection comes back by itself from the next open() on
  /// (docs/reconnect.md); off by default. The same policy as connectOptions().reconnect.
  void setReconnectPolicy(const tether::ReconnectPolicy& policy);
  tether::ReconnectPolicy reconnectPolicy() const;

 public Q_SLOTS:
  /// Starts connecting to a ws:// or wss:// URL. A failure (a malformed URL, a CA file that does
  /// not load, a call while connected) arrives through errorOccurred(), as with QWebSocket.
  void open(const QUrl& url);
  /// Like open(url), also sending the request's raw headers; "Origin" and
  /// "Sec-WebSocket-Protocol" headers become the origin and the offered subprotocols.
  void open(const QNetworkRequest& request);
  /// Starts the closing handshake (or abandons the connection attempt); disconnected() follows.
  void close(QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal,
             const QString& reason = QString());
  /// Pings the server; pong() reports the answer. As with QWebSocket, a payload over 125 bytes is
  /// cut to 125, and nothing is sent unless the connection is open (tetherError() then says
  /// why).
  void ping(const QByteArray& payload = QByteArray());

 Q_SIGNALS:
  // ---- as QWebSocket, in QWebSocket's order ----
  void stateChanged(QAbstractSocket::SocketState state);
  void connected();
  void disconnected();
  void textMessageReceived(const QString& message);
  void binaryMessageReceived(const QByteArray& message);
  /// A pong came: `elapsedTime` milliseconds after the latest ping (ping() or the heartbeat's of
  /// ConnectOptions::ping_interval), carrying `payload`.
  void pong(quint64 elapsedTime, const QByteArray& payload);
  /// Qt 6.5's name (Qt 6.4 calls QWebSocket's signal error()). tetherError() holds the typed
  /// error when this is emitted.
  void errorOccurred(QAbstractSocket::SocketError error);

  // ---- what Tether adds ----
  /// Every transition of the state machine, e.g. Connecting -> Authenticating.
  void tetherStateChanged(tether::State state);
  /// The connection moved to another transport: Native or Emulated when an attempt starts,
  /// Emulated with the reason when TransportPolicy::Auto falls back, None when it ended.
  void transportChanged(tether::TransportKind transport, const QString& fallbackReason);
  /// The gateway (or the proxy) asked for credentials. Answer through `challenge`, now or later;
  /// it stays valid until it finishes (Challenge::finished).
  void authenticationRequired(tether::qt::Challenge* challenge);
  /// The gateway asked the connection to prove itself again without dropping it (phase Started,
  /// tetherState() Revalidating, state() still ConnectedState), and that ended (Succeeded or
  /// Failed, tetherState() back to Open), with the URL, status and error. Its challenges arrive
  /// through authenticationRequired() like the connection's. After a failure the gateway closes
  /// the connection when its grace period ends (AuthExpired through errorOccurred()).
  void revalidation(const tether::Revalidation& revalidation);
  /// With the reconnect policy on: the connection dropped (tetherState() Reconnecting, state()
  /// ConnectingState, no disconnected()), or an attempt failed, and attempt number `attempt`
  /// starts in `delayMs` milliseconds. lastReconnectAttempt() has the reason.
  void reconnecting(int attempt, int delayMs);
  /// The connection is back (tetherState() Open, state() ConnectedState, no second
  /// connected()): `resumed` when the gateway resumed the session and nothing was lost either
  /// way; otherwise a new session, lastReconnected() naming the messages that may be lost.
  void reconnected(bool resumed);
  /// A send returned 0 because the send queue was full (tetherError() WouldBlock), and the queue
  /// has room again: send the message again now. Once per full queue.
  void writable();

 private:
  struct Private;
  std::unique_ptr<Private> d_;
};

}  // namespace tether::qt

Q_DECLARE_METATYPE(tether::State)
Q_DECLARE_METATYPE(tether::TransportKind)
Q_DECLARE_METATYPE(tether::Error)
Q_DECLARE_METATYPE(tether::Revalidation)
