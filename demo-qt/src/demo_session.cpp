#include "demo_session.hpp"

#include <QLocale>
#include <chrono>

#include "background_http.hpp"
#include "hex_text.hpp"

namespace tether::demo {
namespace {

QString error_text(const Error& error) {
  QString text = QStringLiteral("%1: %2").arg(QString::fromLatin1(to_string(error.code)),
                                              QString::fromStdString(error.message));
  if (error.http_status != 0) text += QStringLiteral(" (HTTP %1)").arg(error.http_status);
  if (error.message_id != 0) text += QStringLiteral(" (message #%1)").arg(error.message_id);
  return text;
}

QString revalidation_text(const Revalidation& revalidation) {
  QString url = QString::fromStdString(revalidation.url);
  switch (revalidation.phase) {
    case Revalidation::Phase::Started:
      return QStringLiteral("started: %1").arg(url);
    case Revalidation::Phase::Succeeded:
      return QStringLiteral("succeeded: %1 answered %2")
          .arg(url, QString::number(revalidation.http_status));
    case Revalidation::Phase::Failed:
      return QStringLiteral("failed: %1: %2").arg(url, error_text(revalidation.error));
  }
  return url;
}

QString reconnected_text(const Reconnected& reconnected) {
  const QString transport = QString::fromLatin1(to_string(reconnected.transport));
  if (reconnected.resumed) {
    return QObject::tr("session resumed over %1 at attempt %2: nothing lost")
        .arg(transport)
        .arg(reconnected.attempts);
  }
  QString text =
      QObject::tr("new session over %1 at attempt %2").arg(transport).arg(reconnected.attempts);
  if (reconnected.first_unconfirmed != 0) {
    text += QObject::tr("; messages #%1 to #%2 may not have been delivered")
                .arg(reconnected.first_unconfirmed)
                .arg(reconnected.last_unconfirmed);
  }
  return text;
}

// The gateway's /login on the host and port of a ws:// or wss:// service URL, over http or
// https to match.
QUrl login_url(const QUrl& service_url) {
  QUrl url = service_url;
  url.setScheme(service_url.scheme() == QLatin1String("wss") ? QStringLiteral("https")
                                                             : QStringLiteral("http"));
  url.setPath(QStringLiteral("/login"));
  url.setQuery(QString());
  return url;
}

QByteArray form_value(const QString& value) { return QUrl::toPercentEncoding(value); }

}  // namespace

DemoSession::DemoSession(QObject* parent) : QObject(parent), jar_(std::make_shared<CookieJar>()) {
  socket_.setCookieJar(jar_);
  connect(&socket_, &qt::WebSocket::tetherStateChanged, this, &DemoSession::onTetherStateChanged);
  connect(&socket_, &qt::WebSocket::transportChanged, this, &DemoSession::onTransportChanged);
  connect(&socket_, &qt::WebSocket::authenticationRequired, this,
          &DemoSession::onAuthenticationRequired);
  connect(&socket_, &qt::WebSocket::errorOccurred, this, &DemoSession::onErrorOccurred);
  connect(&socket_, &qt::WebSocket::revalidation, this, &DemoSession::onRevalidation);
  connect(&socket_, &qt::WebSocket::reconnecting, this, &DemoSession::onReconnecting);
  connect(&socket_, &qt::WebSocket::reconnected, this, &DemoSession::onReconnected);
  connect(&diagram_, &StateDiagramModel::countdownChanged, this, &DemoSession::statusChanged);
  connect(&socket_, &qt::WebSocket::textMessageReceived, this, &DemoSession::onTextMessage);
  connect(&socket_, &qt::WebSocket::binaryMessageReceived, this, &DemoSession::onBinaryMessage);
  connect(&socket_, &qt::WebSocket::connected, this, [this] {
    const qt::TlsDetails tls = socket_.tlsDetails();
    if (!tls.isNull()) {
      timeline_.append(QStringLiteral("tls"),
                       QStringLiteral("%1 %2, peer %3, issued by %4")
                           .arg(tls.protocol, tls.cipher, tls.peerSubject, tls.peerIssuer));
    }
    emit statusChanged();
  });
  connect(&socket_, &qt::WebSocket::disconnected, this, [this] {
    timeline_.append(
        QStringLiteral("closed"),
        QStringLiteral("code %1 %2").arg(socket_.closeCode()).arg(socket_.closeReason()).trimmed());
  });
}

DemoSession::~DemoSession() = default;

QString DemoSession::stateText() const {
  const QString state = QString::fromLatin1(to_string(socket_.tetherState()));
  const QString countdown = diagram_.countdownText();
  return countdown.isEmpty() ? state : QStringLiteral("%1: %2").arg(state, countdown);
}

QString DemoSession::transportText() const {
  const TransportKind transport = socket_.transport();
  const QString reason = socket_.fallbackReason();
  if (transport == TransportKind::Emulated && !reason.isEmpty()) {
    return tr("Emulated (HTTP), because %1").arg(reason);
  }
  switch (transport) {
    case TransportKind::None:
      return tr("None");
    case TransportKind::Native:
      return tr("Native WebSocket");
    case TransportKind::Emulated:
      return tr("Emulated (HTTP)");
  }
  return {};
}

QString DemoSession::tlsText() const {
  const qt::TlsDetails tls = socket_.tlsDetails();
  if (tls.isNull()) {
    return socket_.requestUrl().scheme() == QLatin1String("ws") ? tr("Not encrypted (ws://)")
                                                                : tr("No TLS session");
  }
  return tr("%1, %2\nPeer: %3\nIssuer: %4\nExpires: %5")
      .arg(tls.protocol, tls.cipher, tls.peerSubject, tls.peerIssuer,
           QLocale().toString(tls.peerExpiry.toLocalTime(), QLocale::ShortFormat));
}

bool DemoSession::isOpen() const {
  // Revalidating is Open's sub-state: messages flow meanwhile. Reconnecting is not open: what is
  // sent then waits for the connection.
  return socket_.tetherState() == State::Open || socket_.tetherState() == State::Revalidating;
}

void DemoSession::connectTo(const ConnectionSettings& settings) {
  settings_ = settings;
  quotes_.clear();
  ConnectOptions options = socket_.connectOptions();
  options.transport = settings.transport;
  options.tls.ca_file = settings.caFile.toStdString();
  options.handshake_timeout = settings.handshakeTimeout;
  options.reconnect.enabled = settings.reconnect;
  // Long enough for a person to watch the countdown, short enough not to wait for long.
  options.reconnect.initial_delay = std::chrono::seconds{2};
  options.reconnect.max_delay = std::chrono::seconds{15};
  // The bundled gateways are on loopback, where a proxy from the environment would only be in
  // the way.
  options.use_proxy_environment = false;
  socket_.setConnectOptions(options);
  timeline_.append(QStringLiteral("connect"), settings.url.toString());
  socket_.open(settings.url);
}

void DemoSession::disconnectFromGateway() { socket_.close(); }

bool DemoSession::sendText(const QString& text) {
  if (socket_.sendTextMessage(text) < 0) return false;
  messages_.append(
      QStringLiteral("sent text"),
      QStringLiteral("#%1 %2").arg(QString::number(socket_.lastMessageNumber()), text));
  return true;
}

bool DemoSession::sendBinary(const QByteArray& bytes) {
  if (socket_.sendBinaryMessage(bytes) < 0) return false;
  messages_.append(QStringLiteral("sent binary"),
                   QStringLiteral("#%1 %2").arg(QString::number(socket_.lastMessageNumber()),
                                                bytes_as_hex(bytes)));
  return true;
}

void DemoSession::answerChallenge(qt::Challenge* challenge, const QString& user,
                                  const QString& password) {
  if (settings_.credentials == CredentialsMode::SavedForSession) {
    saved_ = SavedCredentials{user, password};
  }
  if (challenge->expectedAnswer() == qt::Challenge::Answer::Token) {
    timeline_.append(QStringLiteral("answer"),
                     tr("%1 answered with a token").arg(challenge->scheme()));
    challenge->answerToken(password);
    return;
  }
  timeline_.append(QStringLiteral("answer"),
                   tr("%1 answered as %2").arg(challenge->scheme(), user));
  challenge->answer(user, password);
}

void DemoSession::cancelChallenge(qt::Challenge* challenge) {
  timeline_.append(QStringLiteral("answer"), tr("%1 challenge cancelled").arg(challenge->scheme()));
  challenge->cancel();
}

void DemoSession::loginWithSso(const QUrl& serviceUrl, const QString& caFile, const QString& user,
                               const QString& password) {
  http::Request request;
  request.method = "POST";
  request.url = login_url(serviceUrl).toString().toStdString();
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body =
      ("username=" + form_value(user) + "&password=" + form_value(password)).toStdString();
  request.tls.ca_file = caFile.toStdString();
  request.use_proxy_environment = false;
  request.cookie_jar = jar_;
  const QString url = QString::fromStdString(request.url);
  timeline_.append(QStringLiteral("sso"), tr("POST %1 as %2").arg(url, user));
  request_in_background(
      this, std::move(request), [this, url](const Error& error, const http::Response& response) {
        if (error) {
          timeline_.append(QStringLiteral("error"), error_text(error));
          emit ssoLoginFinished(false, error_text(error));
          return;
        }
        const bool ok = response.status == 200;
        timeline_.append(QStringLiteral("sso"), tr("%1 answered %2").arg(url).arg(response.status));
        noteStoredCookies();
        emit ssoLoginFinished(ok,
                              ok ? tr("Signed in") : tr("Refused (HTTP %1)").arg(response.status));
      });
}

void DemoSession::onTetherStateChanged(State state) {
  diagram_.recordTransition(lastState_, state);
  timeline_.append(QStringLiteral("state"),
                   QStringLiteral("%1 → %2").arg(QString::fromLatin1(to_string(lastState_)),
                                                 QString::fromLatin1(to_string(state))));
  lastState_ = state;
  noteStoredCookies();
  emit statusChanged();
}

void DemoSession::onTransportChanged(TransportKind transport, const QString& reason) {
  // None, when the connection ended, is already in the timeline as a state change.
  if (transport != TransportKind::None && reason.isEmpty()) {
    timeline_.append(QStringLiteral("transport"), QString::fromLatin1(to_string(transport)));
  } else if (transport != TransportKind::None) {
    timeline_.append(
        QStringLiteral("fallback"),
        QStringLiteral("%1: %2").arg(QString::fromLatin1(to_string(transport)), reason));
  }
  emit statusChanged();
}

void DemoSession::onAuthenticationRequired(qt::Challenge* challenge) {
  timeline_.append(QStringLiteral("challenge"),
                   tr("%1, realm \"%2\", %3, attempt %4")
                       .arg(challenge->scheme(), challenge->realm(),
                            challenge->isEncrypted() ? tr("encrypted") : tr("NOT encrypted"))
                       .arg(challenge->attempt()));
  noteStoredCookies();
  switch (settings_.credentials) {
    case CredentialsMode::None:
      cancelChallenge(challenge);
      return;
    case CredentialsMode::SavedForSession:
      // A second challenge in one attempt means the saved answer was refused: ask again.
      if (saved_ && challenge->attempt() == 1) {
        timeline_.append(QStringLiteral("answer"), tr("%1 answered as %2 (saved for this session)")
                                                       .arg(challenge->scheme(), saved_->user));
        challenge->answer(saved_->user, saved_->password);
        return;
      }
      break;
    case CredentialsMode::Ask:
      break;
  }
  emit loginRequested(challenge);
}

void DemoSession::onErrorOccurred() {
  timeline_.append(QStringLiteral("error"), error_text(socket_.tetherError()));
  emit statusChanged();
}

void DemoSession::onRevalidation(const Revalidation& revalidation) {
  timeline_.append(QStringLiteral("revalidation"), revalidation_text(revalidation));
  noteStoredCookies();  // the gateway may have refreshed a single sign-on cookie
  emit statusChanged();
}

void DemoSession::onReconnecting(int attempt, int delayMs) {
  diagram_.recordReconnectAttempt(attempt, std::chrono::milliseconds{delayMs});
  timeline_.append(QStringLiteral("reconnecting"),
                   tr("attempt %1 in %2 ms, after %3")
                       .arg(attempt)
                       .arg(delayMs)
                       .arg(error_text(socket_.lastReconnectAttempt().reason)));
  emit statusChanged();
}

void DemoSession::onReconnected(bool) {
  timeline_.append(QStringLiteral("reconnected"), reconnected_text(socket_.lastReconnected()));
  noteStoredCookies();
  emit statusChanged();
}

void DemoSession::onTextMessage(const QString& text) {
  if (settings_.url.path() == QLatin1String("/ticker") && quotes_.addQuoteMessage(text)) return;
  messages_.append(QStringLiteral("received text"), text);
}

void DemoSession::onBinaryMessage(const QByteArray& bytes) {
  messages_.append(QStringLiteral("received binary"), bytes_as_hex(bytes));
}

void DemoSession::noteStoredCookies() {
  for (const QString& cookie : cookies_.update(jar_->cookies())) {
    timeline_.append(QStringLiteral("cookie"), tr("stored %1").arg(cookie));
  }
}

}  // namespace tether::demo
