#include "price_chart_widget.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace tether::demo {

PriceChartWidget::PriceChartWidget(const QuoteTable& quotes, QWidget* parent)
    : QWidget(parent), quotes_(quotes) {
  connect(&quotes_, &QuoteTable::historyChanged, this, qOverload<>(&QWidget::update));
  setAccessibleName(tr("Price chart"));
}

void PriceChartWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), palette().color(QPalette::Base));
  const QRectF plot = QRectF(rect()).adjusted(52, 10, -10, -18);
  painter.setPen(QColor(200, 200, 200));
  painter.drawRect(plot);

  if (quotes_.quotes().isEmpty() || quotes_.quotes().first().history.size() < 2) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(plot, Qt::AlignCenter, tr("Connect to the ticker to see prices"));
    return;
  }
  const auto& quote = quotes_.quotes().first();
  const auto& history = quote.history;
  const auto [low_it, high_it] = std::minmax_element(history.begin(), history.end());
  const double low = *low_it;
  const double high = qFuzzyCompare(*high_it, low) ? low + 1 : *high_it;
  const auto point_at = [&](int index) {
    const double x = plot.left() + plot.width() * index / static_cast<double>(history.size() - 1);
    const double y = plot.bottom() - plot.height() * (history[index] - low) / (high - low);
    return QPointF(x, y);
  };

  painter.setPen(palette().color(QPalette::Text));
  painter.drawText(QRectF(0, plot.top() - 6, 48, 14), Qt::AlignRight,
                   QString::number(high, 'f', 2));
  painter.drawText(QRectF(0, plot.bottom() - 8, 48, 14), Qt::AlignRight,
                   QString::number(low, 'f', 2));
  painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), 14), Qt::AlignLeft,
                   tr("%1, last %2 quotes").arg(quote.symbol).arg(history.size()));

  QPainterPath line(point_at(0));
  for (int index = 1; index < history.size(); ++index) line.lineTo(point_at(index));
  painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
  painter.drawPath(line);
}

}  // namespace tether::demo
