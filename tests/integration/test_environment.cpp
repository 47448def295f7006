#include "test_environment.hpp"

namespace tether::test {

ConnectOptions emulated_options(const std::string& url) {
  auto options = trusting_options(url);
  options.transport = TransportPolicy::Emulated;
  return options;
}

ConnectOptions trusting_options(const std::string& url) {
  ConnectOptions options;
  options.url = url;
  options.tls.ca_file = shared_pki().ca_cert.string();
  options.use_proxy_environment = false;
  return options;
}

}  // namespace tether::test
