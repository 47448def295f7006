#include "state_diagram_model.hpp"

#include <cstring>

namespace tether::demo {
namespace {

// tether::State's values run from 0 and new ones are only ever appended (tether/state.hpp), so
// they are the values to_string() knows.
QList<State> every_state() {
  QList<State> states;
  for (int value = 0;; ++value) {
    const auto state = static_cast<State>(value);
    if (std::strcmp(to_string(state), "Unknown") == 0) return states;
    states.append(state);
  }
}

}  // namespace

StateDiagramModel::StateDiagramModel(QObject* parent) : QObject(parent), states_(every_state()) {
  for (const State from : states_) {
    for (const State to : states_) {
      if (is_allowed_transition(from, to)) transitions_.append({from, to});
    }
  }
  // Tenths of a second are shown: a tick of 100 ms keeps the countdown smooth.
  countdownTick_.setInterval(100);
  connect(&countdownTick_, &QTimer::timeout, this, [this] {
    if (nextAttempt_.hasExpired()) countdownTick_.stop();
    emit countdownChanged();
  });
}

QString StateDiagramModel::currentStateName() const {
  return QString::fromLatin1(to_string(current_));
}

bool StateDiagramModel::isOnPath(const Transition& transition) const {
  return path_.contains(transition);
}

void StateDiagramModel::recordTransition(State from, State to) {
  if (from == State::Idle || from == State::Closed) path_.clear();
  path_.append({from, to});
  current_ = to;
  if (to != State::Reconnecting && countdownTick_.isActive()) {
    countdownTick_.stop();
    emit countdownChanged();
  }
  emit changed();
}

void StateDiagramModel::recordReconnectAttempt(int attempt, std::chrono::milliseconds delay) {
  attempt_ = attempt;
  nextAttempt_.setRemainingTime(delay);
  countdownTick_.start();
  emit countdownChanged();
}

QString StateDiagramModel::countdownText() const {
  if (current_ != State::Reconnecting || attempt_ == 0) return {};
  const qint64 remaining_ms = nextAttempt_.remainingTime();
  if (remaining_ms <= 0) return tr("attempt %1 under way").arg(attempt_);
  // In tenths of a second rounded up, so that "0.0 s" is never shown while the attempt is ahead.
  const qint64 tenths = (remaining_ms + 99) / 100;
  return tr("attempt %1 in %2.%3 s").arg(attempt_).arg(tenths / 10).arg(tenths % 10);
}

}  // namespace tether::demo
