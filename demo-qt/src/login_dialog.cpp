#include "login_dialog.hpp"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tether::demo {

LoginDialog::LoginDialog(const Request& request, QWidget* parent)
    : QDialog(parent), user_(new QLineEdit(this)), password_(new QLineEdit(this)) {
  setObjectName(QStringLiteral("loginDialog"));
  setWindowTitle(request.title);
  setAttribute(Qt::WA_DeleteOnClose);

  auto* who = new QLabel(request.who, this);
  who->setObjectName(QStringLiteral("loginWho"));
  who->setWordWrap(true);
  auto* encryption = new QLabel(this);
  encryption->setObjectName(QStringLiteral("loginEncryption"));
  encryption->setWordWrap(true);
  encryption->setText(request.encrypted
                          ? tr("Encrypted: the answer travels over TLS.")
                          : tr("NOT encrypted: the answer would travel in clear text."));
  encryption->setStyleSheet(request.encrypted ? QStringLiteral("color: #1a7f37")
                                              : QStringLiteral("color: #b42318"));

  user_->setObjectName(QStringLiteral("loginUser"));
  password_->setObjectName(QStringLiteral("loginPassword"));
  password_->setEchoMode(QLineEdit::Password);

  auto* form = new QFormLayout;
  if (!request.tokenOnly) form->addRow(tr("&User:"), user_);
  user_->setVisible(!request.tokenOnly);
  form->addRow(request.tokenOnly ? tr("&Token:") : tr("&Password:"), password_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Sign in"));
  buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("loginOk"));
  buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("loginCancel"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(who);
  layout->addWidget(encryption);
  layout->addLayout(form);
  layout->addWidget(buttons);
  (request.tokenOnly ? password_ : user_)->setFocus();
  setMinimumWidth(420);
}

QString LoginDialog::user() const { return user_->text(); }
QString LoginDialog::password() const { return password_->text(); }

}  // namespace tether::demo
