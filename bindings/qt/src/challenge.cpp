#include "tether/qt/challenge.hpp"

#include "challenge_private.hpp"

namespace tether::qt {

Challenge::Challenge(std::unique_ptr<Private> state, QObject* parent)
    : QObject(parent), d_(std::move(state)) {}

// A reply still pending declines as it is destroyed.
Challenge::~Challenge() = default;

QString Challenge::scheme() const { return d_->scheme; }
QString Challenge::realm() const { return d_->realm; }
QUrl Challenge::url() const { return d_->url; }
bool Challenge::isEncrypted() const { return d_->encrypted; }
bool Challenge::isForProxy() const { return d_->for_proxy; }
int Challenge::attempt() const { return d_->attempt; }
bool Challenge::isPending() const { return d_->pending; }

Challenge::Answer Challenge::expectedAnswer() const {
  return d_->token_reply ? Answer::Token : Answer::Credentials;
}

void Challenge::answer(const QString& user, const QString& password) {
  if (!d_->pending || !d_->credential_reply) return;
  d_->credential_reply->complete(auth::Credentials{user.toStdString(), password.toStdString()});
  finish();
}

void Challenge::answerToken(const QString& token) {
  if (!d_->pending || !d_->token_reply) return;
  d_->token_reply->complete(auth::Secret(token.toStdString()));
  finish();
}

void Challenge::cancel() { decline("the application cancelled the login"); }

void Challenge::decline(const char* reason) {
  if (!d_->pending) return;
  if (d_->credential_reply) d_->credential_reply->decline(reason);
  if (d_->token_reply) d_->token_reply->decline(reason);
  finish();
}

void Challenge::finish() {
  d_->pending = false;
  // Before the signal: a slot may delete the challenge, which cancels the deferred delete.
  deleteLater();
  emit finished();
}

}  // namespace tether::qt
