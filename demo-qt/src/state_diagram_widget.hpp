#pragma once

#include <QPointF>
#include <QWidget>

#include "state_diagram_model.hpp"

namespace tether::demo {

// Draws a StateDiagramModel with QPainter: states as rounded boxes, allowed transitions as
// arrows, the current state lit (Reconnecting with its countdown to the next attempt) and the
// transitions of this connection's path drawn thick and numbered in the order they were taken.
//
// Thread-safety: a widget; GUI thread only.
class StateDiagramWidget : public QWidget {
  Q_OBJECT
  // The state drawn lit, for tests and accessibility tools.
  Q_PROPERTY(QString currentNode READ currentNode)

 public:
  explicit StateDiagramWidget(const StateDiagramModel& model, QWidget* parent = nullptr);

  QString currentNode() const { return model_.currentStateName(); }
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  // Where a state's box is centred, in widget coordinates.
  QPointF nodeCentre(State state) const;
  QRectF nodeBox(State state) const;
  void drawTransition(class QPainter& painter, const StateDiagramModel::Transition& transition,
                      int step) const;

  const StateDiagramModel& model_;
};

}  // namespace tether::demo
