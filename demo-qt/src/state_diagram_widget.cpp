#include "state_diagram_widget.hpp"

#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

namespace tether::demo {
namespace {

constexpr qreal node_width = 118;
constexpr qreal node_height = 34;

// The diagram's layout in grid units: the happy path on one row; above it Authenticating, then
// Revalidating (Open's sub-state) and Reconnecting side by side, so that Revalidating ->
// Reconnecting is a short straight arrow, Open <-> Reconnecting a pair of diagonals clear of
// Closing, and Reconnecting -> Closed a short one down; the row below is left to the arrows back
// to Connecting. A state added to the SDK later goes to the row below.
QPointF grid_position(State state, int index) {
  switch (state) {
    case State::Idle:
      return {0, 1};
    case State::Connecting:
      return {1, 1};
    case State::Authenticating:
      return {1.5, 0};
    case State::Open:
      return {2, 1};
    case State::Closing:
      return {3, 1};
    case State::Closed:
      return {4, 1};
    case State::Revalidating:
      return {2.5, 0};
    case State::Reconnecting:
      return {3.5, 0};
  }
  return {qreal(index), 2};
}

// The point where the segment from the centre of `box` towards `towards` leaves the box.
QPointF box_exit(const QRectF& box, QPointF towards) {
  const QPointF centre = box.center();
  const QPointF delta = towards - centre;
  if (qFuzzyIsNull(delta.x()) && qFuzzyIsNull(delta.y())) return centre;
  const qreal scale_x = qFuzzyIsNull(delta.x()) ? 1e9 : (box.width() / 2) / qAbs(delta.x());
  const qreal scale_y = qFuzzyIsNull(delta.y()) ? 1e9 : (box.height() / 2) / qAbs(delta.y());
  return centre + delta * qMin(scale_x, scale_y);
}

void draw_arrow_head(QPainter& painter, QPointF tip, QPointF from_direction, qreal size) {
  const QLineF line(from_direction, tip);
  const qreal angle = qDegreesToRadians(line.angle());
  const QPointF left = tip + QPointF(-size * qCos(angle - M_PI / 7), size * qSin(angle - M_PI / 7));
  const QPointF right =
      tip + QPointF(-size * qCos(angle + M_PI / 7), size * qSin(angle + M_PI / 7));
  painter.drawPolygon(QPolygonF({tip, left, right}));
}

}  // namespace

StateDiagramWidget::StateDiagramWidget(const StateDiagramModel& model, QWidget* parent)
    : QWidget(parent), model_(model) {
  const auto describe = [this] {
    const QString countdown = model_.countdownText();
    setAccessibleDescription(countdown.isEmpty()
                                 ? tr("Current state: %1").arg(currentNode())
                                 : tr("Current state: %1, %2").arg(currentNode(), countdown));
    update();
  };
  connect(&model_, &StateDiagramModel::changed, this, describe);
  connect(&model_, &StateDiagramModel::countdownChanged, this, describe);
  setAccessibleName(tr("Connection state diagram"));
  describe();
}

QSize StateDiagramWidget::sizeHint() const { return {720, 230}; }
QSize StateDiagramWidget::minimumSizeHint() const { return {600, 190}; }

QPointF StateDiagramWidget::nodeCentre(State state) const {
  const auto index = static_cast<int>(model_.states().indexOf(state));
  const QPointF grid = grid_position(state, index);
  const qreal margin_x = node_width / 2 + 8;
  const qreal step_x = (width() - 2 * margin_x) / 4;
  const qreal step_y = (height() - node_height - 16) / 2;
  return {margin_x + grid.x() * step_x, node_height / 2 + 8 + grid.y() * step_y};
}

QRectF StateDiagramWidget::nodeBox(State state) const {
  const QPointF centre = nodeCentre(state);
  return {centre.x() - node_width / 2, centre.y() - node_height / 2, node_width, node_height};
}

void StateDiagramWidget::drawTransition(QPainter& painter,
                                        const StateDiagramModel::Transition& transition,
                                        int step) const {
  const QPointF from = nodeCentre(transition.first);
  const QPointF to = nodeCentre(transition.second);
  const QLineF chord(from, to);
  // A transition whose straight line would cross another state, or that has a reverse twin,
  // is drawn as a curve.
  bool crosses_a_state = false;
  for (const State other : model_.states()) {
    if (other == transition.first || other == transition.second) continue;
    const QPointF centre = nodeCentre(other);
    const QPointF direction = (to - from) / chord.length();
    const qreal along = QPointF::dotProduct(centre - from, direction);
    const QPointF closest = from + direction * along;
    if (along > 0 && along < chord.length() && QLineF(closest, centre).length() < node_height) {
      crosses_a_state = true;
    }
  }
  const bool has_reverse = model_.transitions().contains({transition.second, transition.first});
  QPointF control = (from + to) / 2;
  if (crosses_a_state) {
    // Below the row, clear of Authenticating; a backward transition bends deeper than the
    // forward ones it would otherwise overlap.
    control += QPointF(0, (to.x() > from.x() ? 0.18 : 0.32) * chord.length());
  } else if (has_reverse) {
    // A pair of opposite transitions: each bends to its left, so they never overlap.
    control += QPointF(chord.dy(), -chord.dx()) / chord.length() * 18;
  }

  const QPointF start = box_exit(nodeBox(transition.first), control);
  const QPointF end = box_exit(nodeBox(transition.second), control);
  QPainterPath curve(start);
  curve.quadTo(control, end);

  const bool on_path = step > 0;
  const QColor colour = on_path ? palette().color(QPalette::Highlight) : QColor(150, 150, 150);
  painter.setPen(QPen(colour, on_path ? 3 : 1.2));
  painter.setBrush(Qt::NoBrush);
  painter.drawPath(curve);
  painter.setBrush(colour);
  draw_arrow_head(painter, end, curve.pointAtPercent(0.93), on_path ? 11 : 8);
  if (on_path) {
    const QPointF label_at = curve.pointAtPercent(0.5);
    const QRectF badge(label_at.x() - 9, label_at.y() - 9, 18, 18);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(badge);
    painter.setPen(palette().color(QPalette::HighlightedText));
    painter.drawText(badge, Qt::AlignCenter, QString::number(step));
  }
}

void StateDiagramWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), palette().color(QPalette::Base));

  const auto& path = model_.path();
  for (const auto& transition : model_.transitions()) {
    // The number of the last time the path took this transition, 0 when it did not.
    const auto last = path.lastIndexOf(transition);
    drawTransition(painter, transition, last < 0 ? 0 : static_cast<int>(last) + 1);
  }

  for (const State state : model_.states()) {
    const bool current = state == model_.current();
    const QRectF box = nodeBox(state);
    painter.setPen(QPen(current ? palette().color(QPalette::Highlight) : QColor(110, 110, 110),
                        current ? 3 : 1.2));
    painter.setBrush(current ? QColor(255, 214, 92) : palette().color(QPalette::Button));
    painter.drawRoundedRect(box, 9, 9);
    QFont font = painter.font();
    font.setBold(current);
    painter.setFont(font);
    painter.setPen(palette().color(QPalette::ButtonText));
    const QString countdown = current ? model_.countdownText() : QString();
    if (countdown.isEmpty()) {
      painter.drawText(box, Qt::AlignCenter, QString::fromLatin1(to_string(state)));
    } else {
      // The state's name on the upper half, the countdown to the next attempt below it.
      const QRectF upper(box.left(), box.top() + 1, box.width(), box.height() / 2);
      const QRectF lower(box.left(), box.center().y() - 1, box.width(), box.height() / 2);
      painter.drawText(upper, Qt::AlignCenter, QString::fromLatin1(to_string(state)));
      QFont small = font;
      small.setBold(false);
      small.setPointSizeF(font.pointSizeF() * 0.85);
      painter.setFont(small);
      painter.drawText(lower, Qt::AlignCenter, countdown);
      painter.setFont(font);
    }
  }
}

}  // namespace tether::demo
