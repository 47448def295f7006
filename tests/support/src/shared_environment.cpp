#include "tether_test/shared_environment.hpp"

#include "tether_test/temp_dir.hpp"

namespace tether::test {

const Pki& shared_pki() {
  static TempDir directory;
  static const Pki pki = Pki::generate(directory.path());
  return pki;
}

nlohmann::json gateway_config(const nlohmann::json& extra) {
  const Pki& pki = shared_pki();
  nlohmann::json config = {
      {"ws_port", 0},
      {"wss_port", 0},
      {"tls",
       {{"certificate", pki.server_cert.string()}, {"private_key", pki.server_key.string()}}},
  };
  config.merge_patch(extra);
  return config;
}

}  // namespace tether::test
