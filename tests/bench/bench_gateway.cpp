#include "bench_gateway.hpp"

namespace tether::bench {
namespace {

nlohmann::json full_config(const test::Pki& pki, const nlohmann::json& config) {
  nlohmann::json full{
      {"ws_port", 0},
      {"wss_port", 0},
      {"tls",
       {{"certificate", pki.server_cert.string()}, {"private_key", pki.server_key.string()}}}};
  full.merge_patch(config);
  return full;
}

}  // namespace

BenchGateway::BenchGateway(const nlohmann::json& config)
    : pki_(test::Pki::generate(directory_.path())), gateway_(full_config(pki_, config)) {}

Endpoint BenchGateway::echo_endpoint(const Transport& transport) const {
  return {transport.tls ? gateway_.wss_url("/echo") : gateway_.ws_url("/echo"),
          pki_.ca_cert.string()};
}

}  // namespace tether::bench
