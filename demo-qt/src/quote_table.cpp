#include "quote_table.hpp"

#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>

namespace tether::demo {

QuoteTable::QuoteTable(QObject* parent) : QAbstractTableModel(parent) {}

bool QuoteTable::addQuoteMessage(const QString& message) {
  const QJsonObject json = QJsonDocument::fromJson(message.toUtf8()).object();
  const QString symbol = json.value(QStringLiteral("symbol")).toString();
  const QJsonValue price = json.value(QStringLiteral("price"));
  if (symbol.isEmpty() || !price.isDouble()) return false;

  int row = 0;
  while (row < quotes_.size() && quotes_[row].symbol != symbol) ++row;
  if (row == quotes_.size()) {
    beginInsertRows({}, row, row);
    quotes_.append(Quote{symbol, price.toDouble(), 0, 0, {}, {}});
    endInsertRows();
  }
  Quote& quote = quotes_[row];
  quote.change = quote.history.isEmpty() ? 0 : price.toDouble() - quote.history.last();
  quote.price = price.toDouble();
  quote.sequence = json.value(QStringLiteral("seq")).toInteger();
  quote.time = QDateTime::fromMSecsSinceEpoch(json.value(QStringLiteral("time_ms")).toInteger());
  quote.history.append(quote.price);
  if (quote.history.size() > history_length) quote.history.removeFirst();
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  emit historyChanged();
  return true;
}

void QuoteTable::clear() {
  beginResetModel();
  quotes_.clear();
  endResetModel();
  emit historyChanged();
}

int QuoteTable::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(quotes_.size());
}

int QuoteTable::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant QuoteTable::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= quotes_.size()) return {};
  const Quote& quote = quotes_.at(index.row());
  if (role == Qt::ForegroundRole && index.column() == ChangeColumn) {
    return quote.change < 0 ? QColor(180, 30, 30) : QColor(20, 130, 40);
  }
  if (role == Qt::TextAlignmentRole && index.column() != SymbolColumn) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case SymbolColumn:
      return quote.symbol;
    case PriceColumn:
      return QString::number(quote.price, 'f', 2);
    case ChangeColumn:
      return QStringLiteral("%1%2").arg(quote.change < 0 ? "" : "+").arg(quote.change, 0, 'f', 2);
    case SequenceColumn:
      return quote.sequence;
    case TimeColumn:
      return quote.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
  }
  return {};
}

QVariant QuoteTable::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case SymbolColumn:
      return tr("Symbol");
    case PriceColumn:
      return tr("Price");
    case ChangeColumn:
      return tr("Change");
    case SequenceColumn:
      return tr("Seq");
    case TimeColumn:
      return tr("Time");
  }
  return {};
}

}  // namespace tether::demo
