#include "control_endpoint.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "auth/digest_hash.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;
using nlohmann::ordered_json;

constexpr std::string_view secret_field = "Tether-Control-Secret";
constexpr unsigned blocked_upgrade_status = 403;

// One thing /_control can do. The answer is the fault state after it, plus what it adds to
// reported.
struct ControlAction {
  std::string_view name;
  void (*run)(GatewayContext& context, ordered_json& reported);
};

// Only ever added to: tests and the demo name these, and docs/gateway.md lists them.
constexpr ControlAction actions[] = {
    {"status", [](GatewayContext&, ordered_json&) {}},
    {"block_upgrades",
     [](GatewayContext& context, ordered_json&) {
       context.upgrade_fault = {UpgradeFault::Kind::refuse, blocked_upgrade_status};
     }},
    {"hang_upgrades",
     [](GatewayContext& context, ordered_json&) {
       context.upgrade_fault = {UpgradeFault::Kind::hang, 0};
     }},
    {"allow_upgrades", [](GatewayContext& context, ordered_json&) { context.upgrade_fault = {}; }},
    {"drop_connections",
     [](GatewayContext& context, ordered_json& reported) {
       reported["connections_dropped"] = context.droppable_connections.drop_all();
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

// The action named by a body {"action": NAME}, or null.
const ControlAction* requested_action(const std::string& body) {
  const auto request = nlohmann::json::parse(body, nullptr, false);
  if (!request.is_object()) return nullptr;
  const auto name = request.find("action");
  if (name == request.end() || !name->is_string()) return nullptr;
  return find_action(name->get<std::string>());
}

ordered_json fault_state(const UpgradeFault& fault) {
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
  const auto* action = requested_action(request.body());
  if (!action) {
    return {
        400,
        "the body must be a JSON object {\"action\": NAME}, NAME one of: " + action_names() + "\n",
        "text/plain",
        {}};
  }
  ordered_json reported = ordered_json::object();
  action->run(context, reported);
  ++context.stats.control_actions[std::string(action->name)];
  auto answer = fault_state(context.upgrade_fault);
  answer.update(reported);
  return {200, answer.dump(), "application/json", {}};
}

}  // namespace tether::gateway
