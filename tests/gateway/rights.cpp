#include "rights.hpp"

#include <algorithm>
#include <iterator>

namespace tether::gateway {
namespace {

using control::Operation;
using control::RightChange;

std::set<std::string, std::less<>> difference(const std::set<std::string, std::less<>>& a,
                                              const std::set<std::string, std::less<>>& b) {
  std::set<std::string, std::less<>> result;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(result, result.end()));
  return result;
}

void add_topic_changes(std::vector<RightChange>& changes,
                       const std::set<std::string, std::less<>>& topics, bool granted) {
  for (const auto& topic : topics) changes.push_back({Operation::Receive, granted, topic});
}

}  // namespace

void ReceiveRights::erase(std::string_view topic) {
  if (const auto found = listed.find(topic); found != listed.end()) listed.erase(found);
}

bool ReceiveRights::allows(std::string_view topic) const {
  return (listed.find(topic) != listed.end()) == only_listed;
}

void ReceiveRights::grant(std::string_view topic) {
  if (topic.empty()) {
    only_listed = false;
    listed.clear();
  } else if (only_listed) {
    listed.emplace(topic);
  } else {
    erase(topic);
  }
}

void ReceiveRights::revoke(std::string_view topic) {
  if (topic.empty()) {
    only_listed = true;
    listed.clear();
  } else if (only_listed) {
    erase(topic);
  } else {
    listed.emplace(topic);
  }
}

bool operator==(const ReceiveRights& a, const ReceiveRights& b) {
  return a.only_listed == b.only_listed && a.listed == b.listed;
}

bool operator==(const ServiceRights& a, const ServiceRights& b) {
  return a.connect == b.connect && a.send == b.send && a.receive == b.receive;
}

std::optional<Right> right_named(std::string_view name) {
  if (name == "connect") return Right::connect;
  if (name == "send") return Right::send;
  if (name == "receive") return Right::receive;
  return std::nullopt;
}

ServiceRights Rights::of(std::string_view user, std::string_view service_path) const {
  const auto of_user = by_user_.find(user);
  if (of_user == by_user_.end()) return {};
  const auto of_service = of_user->second.find(service_path);
  return of_service == of_user->second.end() ? ServiceRights{} : of_service->second;
}

void Rights::grant(const std::string& user, const std::string& service_path, Right right,
                   std::string_view topic) {
  change(user, service_path, right, topic, true);
}

void Rights::revoke(const std::string& user, const std::string& service_path, Right right,
                    std::string_view topic) {
  change(user, service_path, right, topic, false);
}

void Rights::change(const std::string& user, const std::string& service_path, Right right,
                    std::string_view topic, bool granted) {
  auto& rights = by_user_[user][service_path];
  switch (right) {
    case Right::connect:
      rights.connect = granted;
      break;
    case Right::send:
      rights.send = granted;
      break;
    case Right::receive:
      if (granted) {
        rights.receive.grant(topic);
      } else {
        rights.receive.revoke(topic);
      }
      break;
  }
}

std::vector<RightChange> changes_between(const ServiceRights& before, const ServiceRights& after) {
  std::vector<RightChange> changes;
  if (before.send != after.send) changes.push_back({Operation::Send, after.send, ""});
  const auto& was = before.receive;
  const auto& is = after.receive;
  if (was.only_listed != is.only_listed) {
    // The whole service first: every topic but the exceptions, or none but them; then the
    // topics that differ from it.
    changes.push_back({Operation::Receive, !is.only_listed, ""});
    add_topic_changes(changes, is.listed, is.only_listed);
  } else {
    // Same kind of list: a topic that joined grants (only listed) or revokes (all but listed).
    add_topic_changes(changes, difference(is.listed, was.listed), is.only_listed);
    add_topic_changes(changes, difference(was.listed, is.listed), !is.only_listed);
  }
  return changes;
}

}  // namespace tether::gateway
