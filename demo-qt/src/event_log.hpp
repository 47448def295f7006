#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QString>
#include <QVector>

namespace tether::demo {

// A table of timestamped events: the local time to the millisecond, a kind ("state",
// "challenge", "sent text"...) and the detail. The demo's timeline and its message log are both
// one of these.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class EventLog : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { TimeColumn, KindColumn, DetailColumn, ColumnCount };

  struct Entry {
    QDateTime time;
    QString kind;
    QString detail;
  };

  explicit EventLog(QObject* parent = nullptr);

  void append(const QString& kind, const QString& detail);
  const QVector<Entry>& entries() const { return entries_; }
  // True when some entry has this kind and a detail containing `text`.
  bool contains(const QString& kind, const QString& text) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  QVector<Entry> entries_;
};

}  // namespace tether::demo
