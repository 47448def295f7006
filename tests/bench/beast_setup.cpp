#include "beast_setup.hpp"

#include <stdexcept>

namespace tether::bench {

UrlParts split_url(const std::string& url) {
  const std::size_t host_start = url.find("://");
  const std::size_t colon = url.find(':', host_start + 3);
  const std::size_t slash = url.find('/', host_start + 3);
  if (host_start == std::string::npos || colon == std::string::npos || colon > slash) {
    throw std::runtime_error("beast: '" + url + "' is not a ws:// or wss:// URL with a port");
  }
  return {url.substr(host_start + 3, colon - host_start - 3),
          url.substr(colon + 1, slash - colon - 1),
          slash == std::string::npos ? "/" : url.substr(slash)};
}

boost::asio::ssl::context make_tls_context(const std::string& ca_file) {
  namespace ssl = boost::asio::ssl;
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  context.set_verify_mode(ssl::verify_peer);
  if (!ca_file.empty()) context.load_verify_file(ca_file);
  return context;
}

}  // namespace tether::bench
