#pragma once

#include <QDialog>

class QLineEdit;

namespace tether::demo {

// Asks for a user name and password (or a token), saying who asks and whether the answer
// travels encrypted. Shown with open(), never exec(), so the event loop keeps running while it
// waits for the user.
//
// Thread-safety: a widget; GUI thread only.
class LoginDialog : public QDialog {
  Q_OBJECT

 public:
  struct Request {
    QString title;
    QString who;  // e.g. "Digest, realm \"tether\", at wss://localhost:4443/echo"
    bool encrypted = false;
    bool tokenOnly = false;  // a Bearer challenge: one field, the token
  };

  LoginDialog(const Request& request, QWidget* parent);

  QString user() const;
  // The password, or the token.
  QString password() const;

 private:
  QLineEdit* user_;
  QLineEdit* password_;
};

}  // namespace tether::demo
