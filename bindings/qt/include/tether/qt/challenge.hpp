#pragma once

#include <QObject>
#include <QString>
#include <QUrl>
#include <memory>

namespace tether::qt {

/// A gateway's (or a CONNECT proxy's) request for credentials, handed to the application by
/// WebSocket::authenticationRequired. The connection waits, without blocking anything, until the
/// application calls answer(), answerToken() or cancel(), now or much later (a login dialog may
/// stay open for a minute). cancel() fails the connection with the typed AuthFailed, reported
/// through WebSocket::errorOccurred.
///
/// ```
/// connect(&socket, &tether::qt::WebSocket::authenticationRequired, this,
///         [this](tether::qt::Challenge* challenge) {
///           auto* dialog = new LoginDialog(challenge->scheme(), challenge->realm(), this);
///           connect(dialog, &LoginDialog::accepted, challenge, [=] {
///             challenge->answer(dialog->user(), dialog->password());
///           });
///           connect(dialog, &LoginDialog::rejected, challenge, &tether::qt::Challenge::cancel);
///           dialog->open();
///         });
/// ```
///
/// Ownership: the WebSocket that asked owns the challenge (it is its child) and deletes it
/// (deleteLater) once it has finished; keep a QPointer to it, or connect to finished(). A
/// challenge that is never answered is cancelled when its WebSocket is destroyed or the
/// connection ends (close(), a timeout).
///
/// Thread-safety: like any QObject, use it on the thread it lives in, the thread of the WebSocket
/// that emitted it.
class Challenge final : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString scheme READ scheme CONSTANT)
  Q_PROPERTY(QString realm READ realm CONSTANT)
  Q_PROPERTY(QUrl url READ url CONSTANT)
  Q_PROPERTY(bool encrypted READ isEncrypted CONSTANT)
  Q_PROPERTY(bool forProxy READ isForProxy CONSTANT)
  Q_PROPERTY(int attempt READ attempt CONSTANT)
  Q_PROPERTY(bool pending READ isPending NOTIFY finished)

 public:
  /// What the challenge asks for: a user name and password (Basic, Digest) or a token (Bearer).
  enum class Answer { Credentials, Token };
  Q_ENUM(Answer)

  ~Challenge() override;

  /// The scheme that asked, as the server spelled it: "Basic", "Digest" or "Bearer".
  QString scheme() const;
  /// The realm the server named, empty when it named none.
  QString realm() const;
  /// The URL that was challenged: the WebSocket URL, or the proxy's URL for a proxy challenge.
  QUrl url() const;
  /// True when the answer travels encrypted (a wss:// gateway). A proxy's challenge is answered
  /// over plain HTTP to the proxy, so it is false there.
  bool isEncrypted() const;
  /// True for a 407 from the CONNECT proxy rather than a 401 from the gateway.
  bool isForProxy() const;
  /// 1 for the first challenge of a connection attempt; more when earlier answers were refused.
  int attempt() const;
  /// Which of answer() and answerToken() the challenge expects.
  Answer expectedAnswer() const;
  /// True until answer(), answerToken() or cancel() was called, or the connection gave up.
  bool isPending() const;

 public Q_SLOTS:
  /// Answers a Basic or Digest challenge. Ignored unless pending and expecting Credentials.
  void answer(const QString& user, const QString& password);
  /// Answers a Bearer challenge. Ignored unless pending and expecting Token.
  void answerToken(const QString& token);
  /// Declines: the connection fails with AuthFailed. Ignored unless pending.
  void cancel();

 Q_SIGNALS:
  /// The challenge was answered, cancelled or abandoned; it is deleted soon after.
  void finished();

 public:
  /// The question and the SDK's reply behind it; the adapter's own, not part of the stable API.
  struct Private;

 private:
  friend class WebSocket;
  explicit Challenge(std::unique_ptr<Private> state, QObject* parent);
  /// Declines with `reason` (for the AuthFailed message) unless already finished.
  void decline(const char* reason);
  void finish();
  std::unique_ptr<Private> d_;
};

}  // namespace tether::qt
