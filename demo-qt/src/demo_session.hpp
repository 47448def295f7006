#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <memory>
#include <optional>

#include "connection_settings.hpp"
#include "cookie_table.hpp"
#include "event_log.hpp"
#include "quote_table.hpp"
#include "state_diagram_model.hpp"
#include "tether/cookies.hpp"
#include "tether/qt/challenge.hpp"
#include "tether/qt/web_socket.hpp"

namespace tether::demo {

// Everything the demo shows about one connection, kept apart from the widgets so that it can be
// tested without a screen: a tether::qt::WebSocket, the state diagram it drives, the timeline
// (states, transport, challenges, cookies stored, TLS, errors with their typed code), the
// message log (sent messages with their numbers), the /ticker quotes and the cookie jar, which the
// SSO login shares. Revalidations the gateway asks for land in the timeline as they start and
// end, and so do reconnect attempts and the connection's return, the diagram counting down to
// the next attempt.
//
// Challenges are answered as the ConnectionSettings' CredentialsMode says: declined, or handed
// to the window through loginRequested() and answered later with answerChallenge(); nothing
// waits on the GUI thread meanwhile.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class DemoSession : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString stateText READ stateText NOTIFY statusChanged)
  Q_PROPERTY(QString transportText READ transportText NOTIFY statusChanged)
  Q_PROPERTY(QString tlsText READ tlsText NOTIFY statusChanged)

 public:
  explicit DemoSession(QObject* parent = nullptr);
  ~DemoSession() override;

  StateDiagramModel& diagram() { return diagram_; }
  EventLog& timeline() { return timeline_; }
  EventLog& messages() { return messages_; }
  QuoteTable& quotes() { return quotes_; }
  CookieTable& cookies() { return cookies_; }
  const std::shared_ptr<CookieJar>& cookieJar() const { return jar_; }

  // "Open", "Connecting"... the tether::State of the connection; while Reconnecting, with the
  // countdown to the next attempt ("Reconnecting: attempt 2 in 1.4 s").
  QString stateText() const;
  // "Native", or "Emulated" with the reason for the fallback.
  QString transportText() const;
  // The TLS protocol, cipher and peer certificate of the open connection, or why there is none.
  QString tlsText() const;
  bool isOpen() const;

  // Starts a connection with `settings`. An error the adapter reports at once (a bad URL, a CA
  // file that does not load) lands in the timeline like any other.
  void connectTo(const ConnectionSettings& settings);
  void disconnectFromGateway();
  // Queue a message on the open connection (while Reconnecting it waits for the connection to
  // come back); false (and a timeline entry) when not open.
  bool sendText(const QString& text);
  bool sendBinary(const QByteArray& bytes);

  // Answers a challenge from loginRequested(); with CredentialsMode::SavedForSession the answer
  // is kept in memory for the next challenges of this run (never on disk).
  void answerChallenge(qt::Challenge* challenge, const QString& user, const QString& password);
  // Declines it: the connection fails with AuthFailed.
  void cancelChallenge(qt::Challenge* challenge);

  // Signs in through the gateway's /login with the SDK's HTTP helper on a worker thread; the
  // cookie it sets goes into the shared jar, so the next connect to an SSO service needs no
  // dialog. `serviceUrl` names the gateway (its scheme, host and port); `caFile` verifies it.
  void loginWithSso(const QUrl& serviceUrl, const QString& caFile, const QString& user,
                    const QString& password);

 signals:
  // The gateway asked for credentials and the settings say to ask the user.
  void loginRequested(tether::qt::Challenge* challenge);
  void statusChanged();
  void ssoLoginFinished(bool ok, const QString& detail);

 private:
  void onTetherStateChanged(State state);
  void onTransportChanged(TransportKind transport, const QString& reason);
  void onAuthenticationRequired(qt::Challenge* challenge);
  void onErrorOccurred();
  void onRevalidation(const Revalidation& revalidation);
  void onReconnecting(int attempt, int delayMs);
  void onReconnected(bool resumed);
  void onTextMessage(const QString& text);
  void onBinaryMessage(const QByteArray& bytes);
  // Logs the cookies stored since the last look and refreshes the cookie table.
  void noteStoredCookies();

  std::shared_ptr<CookieJar> jar_;
  StateDiagramModel diagram_;
  EventLog timeline_;
  EventLog messages_;
  QuoteTable quotes_;
  CookieTable cookies_;
  qt::WebSocket socket_;
  State lastState_ = State::Idle;
  ConnectionSettings settings_;
  struct SavedCredentials {
    QString user;
    QString password;
  };
  std::optional<SavedCredentials> saved_;
};

}  // namespace tether::demo
