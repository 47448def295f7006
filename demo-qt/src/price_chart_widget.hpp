#pragma once

#include <QWidget>

#include "quote_table.hpp"

namespace tether::demo {

// A small line chart of the first symbol's recent prices in a QuoteTable, drawn with QPainter.
//
// Thread-safety: a widget; GUI thread only.
class PriceChartWidget : public QWidget {
  Q_OBJECT

 public:
  explicit PriceChartWidget(const QuoteTable& quotes, QWidget* parent = nullptr);
  QSize sizeHint() const override { return {320, 140}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  const QuoteTable& quotes_;
};

}  // namespace tether::demo
