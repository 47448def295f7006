#include "cookie_table.hpp"

#include <QDateTime>
#include <algorithm>

namespace tether::demo {
namespace {

bool same_cookie(const Cookie& a, const Cookie& b) {
  return a.name == b.name && a.domain == b.domain && a.path == b.path;
}

}  // namespace

CookieTable::CookieTable(QObject* parent) : QAbstractTableModel(parent) {}

QString CookieTable::masked(const std::string& value) {
  return QStringLiteral("•••• (%1)").arg(value.size());
}

QStringList CookieTable::update(std::vector<Cookie> cookies) {
  QStringList stored;
  for (const Cookie& cookie : cookies) {
    const auto known = std::find_if(cookies_.begin(), cookies_.end(),
                                    [&](const Cookie& old) { return same_cookie(old, cookie); });
    if (known == cookies_.end() || known->value != cookie.value) {
      stored << QStringLiteral("%1 (%2 %3)")
                    .arg(QString::fromStdString(cookie.name), QString::fromStdString(cookie.domain),
                         QString::fromStdString(cookie.path));
    }
  }
  beginResetModel();
  cookies_ = std::move(cookies);
  endResetModel();
  return stored;
}

int CookieTable::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(cookies_.size());
}

int CookieTable::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CookieTable::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || static_cast<std::size_t>(index.row()) >= cookies_.size()) return {};
  if (role != Qt::DisplayRole) return {};
  const Cookie& cookie = cookies_[static_cast<std::size_t>(index.row())];
  switch (index.column()) {
    case NameColumn:
      return QString::fromStdString(cookie.name);
    case ValueColumn:
      return masked(cookie.value);
    case DomainColumn:
      return QString::fromStdString(cookie.domain);
    case PathColumn:
      return QString::fromStdString(cookie.path);
    case ExpiresColumn:
      return cookie.expires
                 ? QDateTime::fromSecsSinceEpoch(cookie.expires->time_since_epoch().count())
                       .toString(Qt::ISODate)
                 : tr("session");
    case FlagsColumn: {
      QStringList flags;
      if (cookie.secure) flags << QStringLiteral("Secure");
      if (cookie.http_only) flags << QStringLiteral("HttpOnly");
      return flags.join(QLatin1Char(' '));
    }
  }
  return {};
}

QVariant CookieTable::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn:
      return tr("Name");
    case ValueColumn:
      return tr("Value");
    case DomainColumn:
      return tr("Domain");
    case PathColumn:
      return tr("Path");
    case ExpiresColumn:
      return tr("Expires");
    case FlagsColumn:
      return tr("Flags");
  }
  return {};
}

}  // namespace tether::demo
