#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

#include "tether/cookies.hpp"

namespace tether::demo {

// The cookie jar as a table: name, domain, path, expiry, Secure and HttpOnly. Values are never
// shown, only their length, since a session cookie is as good as a password.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class CookieTable : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    ValueColumn,
    DomainColumn,
    PathColumn,
    ExpiresColumn,
    FlagsColumn,
    ColumnCount
  };

  explicit CookieTable(QObject* parent = nullptr);

  // Shows `cookies` and returns the ones that are new or have a new value since the last call,
  // as "name (domain path)" descriptions.
  QStringList update(std::vector<Cookie> cookies);
  const std::vector<Cookie>& cookies() const { return cookies_; }

  // How a cookie value is shown: its length only, "•••• (64)".
  static QString masked(const std::string& value);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<Cookie> cookies_;
};

}  // namespace tether::demo
