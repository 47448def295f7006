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
  emit changed();
}

}  // namespace tether::demo
