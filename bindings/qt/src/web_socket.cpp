#include "tether/qt/web_socket.hpp"

#include <QList>
#include <QPointer>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "asking_handler.hpp"
#include "challenge_private.hpp"
#include "socket_mapping.hpp"
#include "tether/client.hpp"
#include "thread_bridge.hpp"

namespace tether::qt {

/// The adapter's side of one WebSocket. The SDK's callbacks run on Tether's I/O thread and only
/// copy what they report into work posted through the bridge; everything else, every member and
/// every signal, happens on the thread the WebSocket lives in.
///
/// A slot may delete the WebSocket during any emit, so each handler below touches no member
/// after an emit unless `alive` says the object still exists.
struct WebSocket::Private {
  explicit Private(WebSocket* owner) : q(owner), bridge(std::make_shared<ThreadBridge>(owner)) {
    options.cookie_jar = std::make_shared<CookieJar>();
    asking_handler = make_asking_handler([bridge = bridge, this](Challenge::Private question) {
      auto holder = std::make_shared<Challenge::Private>(std::move(question));
      bridge->post([this, holder] { ask(std::move(*holder)); });
    });
    listen();
  }

  /// Installs the client's handlers, each posting to this object's thread.
  void listen() {
    Client* sdk = &client;
    client.on_state_changed([this, bridge = bridge, sdk](State, State to) {
      // Read here, on the I/O thread, when they belong to the transition being reported.
      std::optional<TlsInfo> tls;
      QString selected;
      if (to == State::Open) {
        tls = sdk->tls_info();
        selected = QString::fromStdString(sdk->subprotocol());
      }
      bridge->post([this, to, tls, selected] { on_state(to, tls, selected); });
    });
    client.on_transport_changed([this, bridge = bridge](TransportKind kind, const Error& reason) {
      bridge->post(
          [this, kind, why = QString::fromStdString(reason.message)] { on_transport(kind, why); });
    });
    client.on_message([this, bridge = bridge](const Message& message) {
      QByteArray data(message.data.data(), static_cast<qsizetype>(message.data.size()));
      bridge->post([this, kind = message.kind, data] { on_message(kind, data); });
    });
    client.on_pong([this, bridge = bridge](const Pong& pong) {
      QByteArray payload(pong.payload.data(), static_cast<qsizetype>(pong.payload.size()));
      const auto elapsed_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(pong.elapsed).count();
      bridge->post(
          [this, elapsed_ms, payload] { emit q->pong(static_cast<quint64>(elapsed_ms), payload); });
    });
    client.on_error([this, bridge = bridge](const Error& reported) {
      bridge->post([this, reported] { on_error(reported); });
    });
    client.on_closed([this, bridge = bridge](const CloseInfo& close) {
      bridge->post([this, close] { on_closed(close); });
    });
    client.on_revalidation([this, bridge = bridge](const Revalidation& revalidation) {
      bridge->post([this, revalidation] { emit q->revalidation(revalidation); });
    });
    client.on_reconnecting([this, bridge = bridge](const ReconnectAttempt& attempt) {
      bridge->post([this, attempt] {
        last_reconnect_attempt = attempt;
        emit q->reconnecting(static_cast<int>(attempt.attempt),
                             static_cast<int>(attempt.delay.count()));
      });
    });
    client.on_reconnected([this, bridge = bridge](const Reconnected& reconnected) {
      bridge->post([this, reconnected] {
        last_reconnected = reconnected;
        emit q->reconnected(reconnected.resumed);
      });
    });
    client.on_writable([this, bridge = bridge] { bridge->post([this] { emit q->writable(); }); });
  }

  // ---- the SDK's events, on this object's thread ----

  void on_state(State to, const std::optional<TlsInfo>& tls, const QString& selected) {
    QPointer<WebSocket> alive(q);
    const State from = std::exchange(tether_state, to);
    const QAbstractSocket::SocketState before = socket_state_of(from);
    if (to == State::Open) {
      tls_details = tls ? tls_details_of(*tls) : TlsDetails{};
      subprotocol = selected;
    }
    if (to == State::Closed) {
      abandon_challenges();  // emits Challenge::finished, whose slot may delete this object
      if (!alive) return;
    }
    emit q->tetherStateChanged(to);
    if (!alive) return;
    if (socket_state_of(to) == before) return;  // Open and Revalidating are both connected
    emit q->stateChanged(socket_state_of(to));
    if (!alive) return;
    // The end of a reconnect is no new connection: reconnected() reports it.
    if (to == State::Open && from != State::Reconnecting) emit q->connected();
  }

  void on_transport(TransportKind kind, const QString& reason) {
    transport = kind;
    fallback_reason = reason;
    emit q->transportChanged(kind, reason);
  }

  void on_message(MessageKind kind, const QByteArray& data) {
    if (kind == MessageKind::Text) {
      emit q->textMessageReceived(QString::fromUtf8(data));
    } else {
      emit q->binaryMessageReceived(data);
    }
  }

  void on_error(const Error& reported) {
    error = reported;
    emit q->errorOccurred(socket_error_of(reported));
  }

  void on_closed(const CloseInfo& close) {
    QPointer<WebSocket> alive(q);
    close_code = static_cast<QWebSocketProtocol::CloseCode>(close.code);
    close_reason = QString::fromStdString(close.reason);
    if (transport != TransportKind::None) {
      transport = TransportKind::None;
      emit q->transportChanged(TransportKind::None, QString());
      if (!alive) return;
    }
    emit q->disconnected();
  }

  // ---- challenges ----

  void ask(Challenge::Private question) {
    auto* challenge = new Challenge(std::make_unique<Challenge::Private>(std::move(question)), q);
    challenges.append(challenge);
    emit q->authenticationRequired(challenge);
  }

  /// The connection ended while the application was still being asked.
  void abandon_challenges() {
    // A local list: a slot of Challenge::finished may delete this object, and its challenges.
    const QList<QPointer<Challenge>> asked = std::exchange(challenges, {});
    for (const QPointer<Challenge>& challenge : asked) {
      if (challenge) challenge->decline("the connection ended before the challenge was answered");
    }
  }

  // ---- called by WebSocket's members ----

  /// Reports a failure of a call made on this thread (open(), close()) as QWebSocket does.
  /// The caller returns right after: a slot may delete the object.
  void fail_now(const Error& reported) {
    error = reported;
    emit q->errorOccurred(socket_error_of(reported));
  }

  qint64 send(MessageKind kind, const QByteArray& data) {
    const std::string_view payload(data.constData(), static_cast<std::size_t>(data.size()));
    std::uint64_t number = 0;
    const Error failure = kind == MessageKind::Text ? client.send_text(payload, &number)
                                                    : client.send_binary(payload, &number);
    if (failure) {
      error = failure;
      return 0;
    }
    last_message_number = number;
    return data.size();
  }

  WebSocket* q;
  const std::shared_ptr<ThreadBridge> bridge;
  ConnectOptions options;  // of the next open()
  std::shared_ptr<auth::ChallengeHandler> asking_handler;
  QString origin;
  QUrl request_url;
  State tether_state = State::Idle;
  TransportKind transport = TransportKind::None;
  QString fallback_reason;
  QString subprotocol;
  TlsDetails tls_details;
  quint64 last_message_number = 0;
  ReconnectAttempt last_reconnect_attempt;
  Reconnected last_reconnected;
  Error error;
  QWebSocketProtocol::CloseCode close_code = QWebSocketProtocol::CloseCodeNormal;
  QString close_reason;
  QList<QPointer<Challenge>> challenges;
  // Last: destroyed first, so that no callback runs once the members above are gone.
  Client client;
};

WebSocket::WebSocket(const QString& origin, QWebSocketProtocol::Version, QObject* parent)
    : QObject(parent), d_(std::make_unique<Private>(this)) {
  d_->origin = origin;
}

WebSocket::~WebSocket() {
  d_->bridge->detach();
  // ~Client below waits for a callback in progress and guarantees no later one; the posted work
  // still queued for this object goes with ~QObject.
}

QAbstractSocket::SocketState WebSocket::state() const { return socket_state_of(d_->tether_state); }
QUrl WebSocket::requestUrl() const { return d_->request_url; }
QString WebSocket::origin() const { return d_->origin; }
QString WebSocket::subprotocol() const { return d_->subprotocol; }
QWebSocketProtocol::CloseCode WebSocket::closeCode() const { return d_->close_code; }
QString WebSocket::closeReason() const { return d_->close_reason; }
QAbstractSocket::SocketError WebSocket::error() const { return socket_error_of(d_->error); }
QString WebSocket::errorString() const { return QString::fromStdString(d_->error.message); }
bool WebSocket::isValid() const {
  return socket_state_of(d_->tether_state) == QAbstractSocket::ConnectedState;
}
State WebSocket::tetherState() const { return d_->tether_state; }
TransportKind WebSocket::transport() const { return d_->transport; }
QString WebSocket::fallbackReason() const { return d_->fallback_reason; }
tether::Error WebSocket::tetherError() const { return d_->error; }
TlsDetails WebSocket::tlsDetails() const { return d_->tls_details; }
quint64 WebSocket::lastMessageNumber() const { return d_->last_message_number; }
ReconnectAttempt WebSocket::lastReconnectAttempt() const { return d_->last_reconnect_attempt; }
Reconnected WebSocket::lastReconnected() const { return d_->last_reconnected; }

qint64 WebSocket::sendTextMessage(const QString& message) {
  return d_->send(MessageKind::Text, message.toUtf8());
}

qint64 WebSocket::sendBinaryMessage(const QByteArray& data) {
  return d_->send(MessageKind::Binary, data);
}

void WebSocket::setConnectOptions(const ConnectOptions& options) { d_->options = options; }
ConnectOptions WebSocket::connectOptions() const { return d_->options; }

void WebSocket::setCookieJar(std::shared_ptr<CookieJar> jar) {
  d_->options.cookie_jar = std::move(jar);
}
std::shared_ptr<CookieJar> WebSocket::cookieJar() const { return d_->options.cookie_jar; }

void WebSocket::setReconnectPolicy(const ReconnectPolicy& policy) {
  d_->options.reconnect = policy;
}
ReconnectPolicy WebSocket::reconnectPolicy() const { return d_->options.reconnect; }

void WebSocket::open(const QUrl& url) { open(QNetworkRequest(url)); }

void WebSocket::open(const QNetworkRequest& request) {
  d_->request_url = request.url();
  ConnectOptions options = d_->options;
  options.url = request.url().toString(QUrl::FullyEncoded).toStdString();
  if (!d_->origin.isEmpty()) options.origin = d_->origin.toStdString();
  for (const QByteArray& name : request.rawHeaderList()) {
    const QByteArray value = request.rawHeader(name);
    if (name.compare("Origin", Qt::CaseInsensitive) == 0) {
      options.origin = value.toStdString();
    } else if (name.compare("Sec-WebSocket-Protocol", Qt::CaseInsensitive) == 0) {
      for (const QByteArray& protocol : value.split(',')) {
        options.subprotocols.push_back(protocol.trimmed().toStdString());
      }
    } else {
      options.headers.emplace_back(name.toStdString(), value.toStdString());
    }
  }
  if (!options.challenge_handler) options.challenge_handler = d_->asking_handler;
  if (auto failure = d_->client.connect(std::move(options))) {
    d_->fail_now(failure);
    return;
  }
  d_->error = {};
  d_->fallback_reason.clear();
  d_->tls_details = {};
  d_->last_message_number = 0;
  d_->last_reconnect_attempt = {};
  d_->last_reconnected = {};
  d_->subprotocol.clear();
  d_->close_code = QWebSocketProtocol::CloseCodeNormal;
  d_->close_reason.clear();
}

void WebSocket::ping(const QByteArray& payload) {
  // QWebSocket cuts a longer payload to the 125 bytes a control frame may carry.
  const QByteArray sent = payload.left(125);
  const Error failure =
      d_->client.ping(std::string_view(sent.constData(), static_cast<std::size_t>(sent.size())));
  if (failure) d_->error = failure;
}

void WebSocket::close(QWebSocketProtocol::CloseCode closeCode, const QString& reason) {
  const Error failure =
      d_->client.close(static_cast<std::uint16_t>(closeCode), reason.toUtf8().toStdString());
  // Closing what is not connected does nothing, as with QWebSocket.
  if (failure && failure.code != ErrorCode::InvalidState) d_->fail_now(failure);
}

}  // namespace tether::qt
