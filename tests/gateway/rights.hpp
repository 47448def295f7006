#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "control/control_message.hpp"

namespace tether::gateway {

// The topics (ticker symbols) a user may receive on a service: every topic but those listed, or
// only those listed.
struct ReceiveRights {
  bool only_listed = false;  // false: every topic but `listed`; true: only `listed`
  std::set<std::string, std::less<>> listed;

  bool allows(std::string_view topic) const;
  // An empty topic grants (or revokes) every topic at once.
  void grant(std::string_view topic);
  void revoke(std::string_view topic);

 private:
  void erase(std::string_view topic);
};

bool operator==(const ReceiveRights& a, const ReceiveRights& b);

// What one user may do on one service (docs/gateway.md "Rights"). Everything is granted unless
// the config or /_control took it away, so that a config without rights changes nothing.
struct ServiceRights {
  bool connect = true;  // the handshake (an upgrade, an emulated create) is accepted
  bool send = true;     // the service receives the user's messages
  ReceiveRights receive;
};

bool operator==(const ServiceRights& a, const ServiceRights& b);

// The rights the config and /_control speak of, by name: "connect", "send", "receive".
enum class Right { connect, send, receive };
std::optional<Right> right_named(std::string_view name);

// Rights by user, then by service path; a pair not listed has every right.
using RightsByUser =
    std::map<std::string, std::map<std::string, ServiceRights, std::less<>>, std::less<>>;

// The gateway's current rights: the config's at start, changed by /_control's grant and revoke.
// A live connection works with a copy taken at its open and refreshed at each of its successful
// revalidations (docs/control-channel.md section 5.4): a change reaches it there.
//
// Thread safety: use from the gateway's one thread only.
class Rights {
 public:
  explicit Rights(RightsByUser configured) : by_user_(std::move(configured)) {}

  ServiceRights of(std::string_view user, std::string_view service_path) const;

  // A topic only means something for receive; an empty one is the whole service.
  void grant(const std::string& user, const std::string& service_path, Right right,
             std::string_view topic);
  void revoke(const std::string& user, const std::string& service_path, Right right,
              std::string_view topic);

 private:
  void change(const std::string& user, const std::string& service_path, Right right,
              std::string_view topic, bool granted);

  RightsByUser by_user_;
};

// The changes that turn `before` into `after`, in the order AUTHORIZATION_CHANGED applies them
// (docs/control-channel.md section 5.4): send, then receive: a change of the whole service's
// receive right (empty topic) before the topics that differ from it. Connect is not an operation
// of the channel: a connection that may no longer connect fails its revalidation instead.
std::vector<control::RightChange> changes_between(const ServiceRights& before,
                                                  const ServiceRights& after);

}  // namespace tether::gateway
