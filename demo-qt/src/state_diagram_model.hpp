#pragma once

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>
#include <chrono>

#include "tether/state.hpp"

namespace tether::demo {

// The SDK's connection state machine as a graph to draw: every state as a node, every transition
// tether::is_allowed_transition() allows as an edge, so the picture cannot drift from the SDK.
// On top of it, the state the connection is in now and the transitions it took since its last
// connect(), in order, and while Reconnecting the countdown to the next attempt.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class StateDiagramModel : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString currentStateName READ currentStateName NOTIFY changed)

 public:
  using Transition = QPair<State, State>;

  explicit StateDiagramModel(QObject* parent = nullptr);

  // Every state of tether::State, in declaration order.
  const QList<State>& states() const { return states_; }
  // Every allowed transition between them.
  const QList<Transition>& transitions() const { return transitions_; }

  State current() const { return current_; }
  QString currentStateName() const;
  // The transitions taken since the path was last restarted, oldest first.
  const QList<Transition>& path() const { return path_; }
  bool isOnPath(const Transition& transition) const;

  // Records a transition reported by the SDK. One out of Idle or Closed starts a new path, since
  // it is a new connect().
  void recordTransition(State from, State to);

  // Records a reconnect attempt the SDK scheduled: number `attempt`, starting in `delay`. While
  // the state is Reconnecting, countdownChanged() then ticks until the attempt starts.
  void recordReconnectAttempt(int attempt, std::chrono::milliseconds delay);
  // "attempt 2 in 1.4 s", "attempt 2 under way" once its delay has passed, or empty unless the
  // state is Reconnecting.
  QString countdownText() const;

 signals:
  void changed();
  // The countdown's text changed: a tick while waiting for an attempt, or its end.
  void countdownChanged();

 private:
  QList<State> states_;
  QList<Transition> transitions_;
  State current_ = State::Idle;
  QList<Transition> path_;
  int attempt_ = 0;
  QDeadlineTimer nextAttempt_;
  QTimer countdownTick_;
};

}  // namespace tether::demo
