#include "revalidation_endpoint.hpp"

#include <string>
#include <utility>
#include <variant>

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view revalidation_marker = "/;r/";

HttpAnswer refused(GatewayContext& context, unsigned status, std::string reason) {
  ++context.stats.revalidations_failed;
  return {status, std::move(reason) + "\n", "text/plain", {}};
}

}  // namespace

std::optional<RevalidationTarget> parse_revalidation_target(std::string_view path) {
  const auto marker = path.find(revalidation_marker);
  if (marker == std::string_view::npos || marker == 0) return std::nullopt;
  const auto token = path.substr(marker + revalidation_marker.size());
  if (token.empty() || token.find('/') != std::string_view::npos) return std::nullopt;
  return RevalidationTarget{path.substr(0, marker), token};
}

std::string path_for_counters(std::string_view path) {
  const auto revalidation = parse_revalidation_target(path);
  return revalidation ? std::string(revalidation->service_path) + "/;r" : std::string(path);
}

HttpAnswer answer_revalidation_request(const HttpRequest& request, const RevalidationTarget& target,
                                       GatewayContext& context) {
  const auto guard = context.connection_guards.find(target.service_path, target.token);
  if (!guard) {
    return {404, "no such revalidation: the connection ended or never existed\n", "text/plain", {}};
  }
  if (request.method() != http::verb::get) {
    return {405, "use GET\n", "text/plain", {{http::field::allow, "GET"}}};
  }
  const auto& identity = guard->identity();
  auto authentication = context.authenticator.authenticate(
      request, service_config(context.config, identity.service_path));
  if (auto* refusal = std::get_if<HttpAnswer>(&authentication)) {
    ++context.stats.revalidations_failed;
    return std::move(*refusal);
  }
  const auto& admitted = std::get<Authentication>(authentication);
  if (admitted.user != identity.user) {
    return refused(context, 403, "these credentials name another user than the connection's");
  }
  const auto rights = context.connection_guards.rights().of(identity.user, identity.service_path);
  if (!rights.connect) {
    return refused(context, 403,
                   identity.user + " may no longer connect to " + identity.service_path);
  }
  ++context.stats.revalidations_succeeded;
  guard->revalidated(admitted.expiry, rights);
  return {204, "", "", {}};
}

}  // namespace tether::gateway
