#include "event_log.hpp"

#include <QColor>

namespace tether::demo {

EventLog::EventLog(QObject* parent) : QAbstractTableModel(parent) {}

void EventLog::append(const QString& kind, const QString& detail) {
  const auto row = static_cast<int>(entries_.size());
  beginInsertRows({}, row, row);
  entries_.append({QDateTime::currentDateTime(), kind, detail});
  endInsertRows();
}

bool EventLog::contains(const QString& kind, const QString& text) const {
  for (const Entry& entry : entries_) {
    if (entry.kind == kind && entry.detail.contains(text)) return true;
  }
  return false;
}

int EventLog::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

int EventLog::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLog::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= entries_.size()) return {};
  const Entry& entry = entries_.at(index.row());
  if (role == Qt::TextAlignmentRole && index.column() == TimeColumn) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ForegroundRole) {
    if (entry.kind == QLatin1String("error")) return QColor(190, 20, 20);
    if (entry.kind == QLatin1String("fallback")) return QColor(190, 100, 0);
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case TimeColumn:
      return entry.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case KindColumn:
      return entry.kind;
    case DetailColumn:
      return entry.detail;
  }
  return {};
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TimeColumn:
      return tr("Time");
    case KindColumn:
      return tr("Event");
    case DetailColumn:
      return tr("Detail");
  }
  return {};
}

}  // namespace tether::demo
