#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QString>
#include <QVector>

namespace tether::demo {

// The gateway's /ticker quotes ({"symbol":"TTHR","price":123.45,"seq":1,"time_ms":...}) as a
// table, one row per symbol with its latest quote and change, plus each symbol's recent prices
// for a chart.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class QuoteTable : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { SymbolColumn, PriceColumn, ChangeColumn, SequenceColumn, TimeColumn, ColumnCount };
  // Prices kept per symbol for the chart.
  static constexpr int history_length = 120;

  struct Quote {
    QString symbol;
    double price = 0;
    double change = 0;  // since the previous quote of the symbol
    qint64 sequence = 0;
    QDateTime time;
    QVector<double> history;  // oldest first, at most history_length
  };

  explicit QuoteTable(QObject* parent = nullptr);

  // Takes one text message from /ticker. Returns false, changing nothing, when it is not a quote.
  bool addQuoteMessage(const QString& message);
  void clear();
  const QVector<Quote>& quotes() const { return quotes_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 signals:
  void historyChanged();

 private:
  QVector<Quote> quotes_;
};

}  // namespace tether::demo
