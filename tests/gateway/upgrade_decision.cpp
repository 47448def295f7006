#include "upgrade_decision.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "control/control_negotiation.hpp"
#include "http_text.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

// The client's offers in its order; the header may be repeated and each holds a comma list.
std::vector<std::string_view> offered_subprotocols(const http::fields& fields,
                                                   std::string_view offers_field) {
  std::vector<std::string_view> offers;
  auto [first, last] = fields.equal_range(offers_field);
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    while (!list.empty()) {
      const auto comma = list.find(',');
      const auto offer = trim_spaces(list.substr(0, comma));
      if (!offer.empty()) offers.push_back(offer);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
  }
  return offers;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// RFC 6455 lets the server omit Sec-WebSocket-Protocol when it supports none of the offers.
std::optional<std::string> select_subprotocol(const http::fields& fields,
                                              const GatewayConfig& config,
                                              std::string_view offers_field) {
  if (!config.faults.select_subprotocol.empty()) return config.faults.select_subprotocol;
  for (const auto offer : offered_subprotocols(fields, offers_field)) {
    if (contains(config.subprotocols, offer)) return std::string(offer);
  }
  return std::nullopt;
}

}  // namespace

UpgradeFault configured_upgrade_fault(const GatewayConfig& config) {
  if (config.faults.refuse_upgrade_status == 0) return {};
  return {UpgradeFault::Kind::refuse, config.faults.refuse_upgrade_status};
}

HttpAnswer gateway_refusal(HttpAnswer answer) {
  answer.headers.emplace_back("Tether-Refusal", "gateway");
  return answer;
}

std::optional<HttpAnswer> refusal_by_fault(const UpgradeFault& fault) {
  if (fault.kind != UpgradeFault::Kind::refuse) return std::nullopt;
  return HttpAnswer{fault.refusal_status, "upgrade refused by a fault\n", "text/plain", {}};
}

bool origin_allowed(const http::fields& request_fields, const GatewayConfig& config) {
  if (config.allowed_origins.empty()) return true;
  const auto origin = request_fields.find(http::field::origin);
  return origin != request_fields.end() && contains(config.allowed_origins, origin->value());
}

std::variant<std::optional<control::ChannelOffer>, HttpAnswer> accept_control_channel(
    const http::fields& request_fields, const GatewayConfig& config,
    std::string_view extensions_field) {
  if (!config.control_channel) return std::nullopt;
  // Repeated fields are one list (RFC 7230 section 3.2.2).
  std::string offers;
  auto [first, last] = request_fields.equal_range(extensions_field);
  for (auto field = first; field != last; ++field) {
    if (!offers.empty()) offers += ", ";
    offers += field->value();
  }
  std::vector<control::ChannelOffer> parsed;
  if (auto error = control::parse_extension_offers(extensions_field, offers, parsed)) {
    return HttpAnswer{400, error.message + "\n", "text/plain", {}};
  }
  const auto offered = std::find_if(parsed.begin(), parsed.end(), [](const auto& offer) {
    return offer.version == control::protocol_version;
  });
  if (offered == parsed.end()) return std::nullopt;
  auto accepted = *offered;
  if (!config.resume.enabled) accepted.resume.reset();
  return accepted;
}

std::string extension_answer_of(const UpgradeAcceptance& acceptance) {
  return control::extension_answer({acceptance.control_version.value_or(control::protocol_version),
                                    acceptance.resumable_session != nullptr,
                                    acceptance.resumed_received});
}

UpgradeDecision decide_upgrade(const http::fields& request_fields, const GatewayConfig& config,
                               std::string_view subprotocol_field) {
  if (!origin_allowed(request_fields, config)) {
    return HttpAnswer{403, "origin not allowed\n", "text/plain", {}};
  }
  UpgradeAcceptance acceptance;
  acceptance.subprotocol = select_subprotocol(request_fields, config, subprotocol_field);
  return acceptance;
}

}  // namespace tether::gateway
