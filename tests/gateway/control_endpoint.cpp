#include "control_endpoint.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "auth/digest_hash.hpp"
#include "control/control_message.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view secret_field = "Tether-Control-Secret";
constexpr unsigned blocked_upgrade_status = 403;

// One thing /_control can do, with the request's other fields. It adds what it did to reported,
// or returns what is wrong with the request (400) and changes nothing.
struct ControlAction {
  std::string_view name;
  std::optional<std::string> (*run)(GatewayContext& context, const json& request,
                                    ordered_json& reported);
};

// The string field `name` of request, or nullopt when it is absent; a field of another type is
// the caller's error.
std::optional<std::string> string_field(const json& request, const char* name, bool& wrong_type) {
  const auto field = request.find(name);
  if (field == request.end()) return std::nullopt;
  if (!field->is_string()) {
    wrong_type = true;
    return std::nullopt;
  }
  return field->get<std::string>();
}

// RFC 6455 section 7.4: the codes a close frame may carry (1004-1006 and 1015 are reserved
// for reporting, 1016-2999 for future versions of the protocol and extensions).
bool is_sendable_close_code(std::uint64_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

// grant and revoke: {"user": U, "service": "/echo" or "/ticker", "right": "connect", "send" or
// "receive", "topic": T (receive only, optional)}. The user's live connections take the change
// at their next successful revalidation.
std::optional<std::string> change_right(GatewayContext& context, const json& request,
                                        ordered_json& reported, bool granted) {
  bool wrong_type = false;
  const auto user = string_field(request, "user", wrong_type);
  const auto service = string_field(request, "service", wrong_type);
  const auto right_name = string_field(request, "right", wrong_type);
  const auto topic = string_field(request, "topic", wrong_type).value_or("");
  std::optional<Right> right;
  if (right_name) right = right_named(*right_name);
  if (wrong_type || !user || user->empty() || !service || context.services.count(*service) == 0 ||
      !right || (!topic.empty() && *right != Right::receive) ||
      topic.size() > control::max_topic_size) {
    return std::string(
        "grant and revoke need \"user\" (not empty), \"service\" (a service's path), "
        "\"right\" (connect, send or receive) and, for receive only, an optional \"topic\" "
        "of at most 256 bytes");
  }
  auto& rights = context.connection_guards.rights();
  if (granted) {
    rights.grant(*user, *service, *right, topic);
  } else {
    rights.revoke(*user, *service, *right, topic);
  }
  const auto now = rights.of(*user, *service);
  reported["rights"] = {{"connect", now.connect},
                        {"send", now.send},
                        {"receive_only_listed", now.receive.only_listed},
                        {"receive_listed", now.receive.listed}};
  return std::nullopt;
}

// Only ever added to: tests and the demo name these, and docs/gateway.md lists them.
constexpr ControlAction actions[] = {
    {"status",
     [](GatewayContext&, const json&, ordered_json&) -> std::optional<std::string> {
       return std::nullopt;
     }},
    {"block_upgrades",
     [](GatewayContext& context, const json&, ordered_json&) -> std::optional<std::string> {
       context.upgrade_fault = {UpgradeFault::Kind::refuse, blocked_upgrade_status};
       return std::nullopt;
     }},
    {"hang_upgrades",
     [](GatewayContext& context, const json&, ordered_json&) -> std::optional<std::string> {
       context.upgrade_fault = {UpgradeFault::Kind::hang, 0};
       return std::nullopt;
     }},
    {"allow_upgrades",
     [](GatewayContext& context, const json&, ordered_json&) -> std::optional<std::string> {
       context.upgrade_fault = {};
       return std::nullopt;
     }},
    {"drop_connections",
     [](GatewayContext& context, const json&,
        ordered_json& reported) -> std::optional<std::string> {
       reported["connections_dropped"] = context.droppable_connections.drop_all();
       return std::nullopt;
     }},
    // {"code": C}: every connection is closed cleanly with C (4410: do not reconnect).
    {"close_connections",
     [](GatewayContext& context, const json& request,
        ordered_json& reported) -> std::optional<std::string> {
       const auto code = request.find("code");
       if (code == request.end() || !code->is_number_unsigned() ||
           !is_sendable_close_code(code->get<std::uint64_t>())) {
         return std::string(
             "close_connections needs \"code\": a close code an endpoint may send (1000-1003, "
             "1007-1014, 3000-4999), such as 4410 (do not reconnect)");
       }
       reported["connections_closed"] =
           context.droppable_connections.close_all(code->get<std::uint16_t>());
       return std::nullopt;
     }},
    {"black_hole",
     [](GatewayContext& context, const json&,
        ordered_json& reported) -> std::optional<std::string> {
       context.black_hole = true;
       reported["connections_black_holed"] =
           context.droppable_connections.black_hole_all(context.black_holed);
       return std::nullopt;
     }},
    {"end_black_hole",
     [](GatewayContext& context, const json&,
        ordered_json& reported) -> std::optional<std::string> {
       context.black_hole = false;
       // Dropping runs services' on_close: work on what the list held.
       const auto held = std::exchange(context.black_holed, {});
       std::size_t dropped = 0;
       for (const auto& connection : held) dropped += connection->drop() ? 1 : 0;
       reported["connections_dropped"] = dropped;
       return std::nullopt;
     }},
    // {"user": U} optional: only U's connections.
    {"revalidate",
     [](GatewayContext& context, const json& request,
        ordered_json& reported) -> std::optional<std::string> {
       bool wrong_type = false;
       const auto user = string_field(request, "user", wrong_type);
       if (wrong_type) return std::string("revalidate's \"user\" must be a string");
       reported["revalidations_requested"] = context.connection_guards.revalidate(user);
       return std::nullopt;
     }},
    {"grant",
     [](GatewayContext& context, const json& request, ordered_json& reported) {
       return change_right(context, request, reported, true);
     }},
    {"revoke",
     [](GatewayContext& context, const json& request, ordered_json& reported) {
       return change_right(context, request, reported, false);
     }},
};

const ControlAction* find_action(std::string_view name) {
  for (const auto& action : actions) {
    if (action.name == name) return &action;
  }
  return nullptr;
}

std::string action_names() {
  std::string names;
  for (const auto& action : actions) {
    names += (names.empty() ? "" : ", ") + std::string(action.name);
  }
  return names;
}

bool carries_secret(const HttpRequest& request, const std::string& secret) {
  const auto field = request.find(secret_field);
  // The secret's length is no secret: the comparison hides only where the values differ.
  return field != request.end() && hashes_equal(field->value(), secret);
}

// The action named by a request {"action": NAME, ...}, or null.
const ControlAction* requested_action(const json& request) {
  if (!request.is_object()) return nullptr;
  const auto name = request.find("action");
  if (name == request.end() || !name->is_string()) return nullptr;
  return find_action(name->get<std::string>());
}

ordered_json upgrade_state(const UpgradeFault& fault) {
  switch (fault.kind) {
    case UpgradeFault::Kind::refuse:
      return {{"upgrades", "blocked"}, {"refuse_upgrade_status", fault.refusal_status}};
    case UpgradeFault::Kind::hang:
      return {{"upgrades", "hung"}};
    case UpgradeFault::Kind::none:
      break;
  }
  return {{"upgrades", "allowed"}};
}

ordered_json fault_state(const GatewayContext& context) {
  auto state = upgrade_state(context.upgrade_fault);
  state["black_hole"] = context.black_hole;
  return state;
}

}  // namespace

HttpAnswer answer_control_request(const HttpRequest& request, GatewayContext& context) {
  if (!carries_secret(request, context.control_secret)) {
    return {403,
            "/_control needs the ready line's control_secret in Tether-Control-Secret\n",
            "text/plain",
            {}};
  }
  if (request.method() != http::verb::post) {
    return {405, "use POST\n", "text/plain", {{http::field::allow, "POST"}}};
  }
  const auto body = json::parse(request.body(), nullptr, false);
  const auto* action = requested_action(body);
  if (!action) {
    return {
        400,
        "the body must be a JSON object {\"action\": NAME}, NAME one of: " + action_names() + "\n",
        "text/plain",
        {}};
  }
  ordered_json reported = ordered_json::object();
  if (auto error = action->run(context, body, reported)) {
    return {400, *error + "\n", "text/plain", {}};
  }
  ++context.stats.control_actions[std::string(action->name)];
  auto answer = fault_state(context);
  answer.update(reported);
  return {200, answer.dump(), "application/json", {}};
}

}  // namespace tether::gateway
