#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tether::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  unsigned status = 0;
  HttpHeaders headers;  // in the order received; a name may repeat
  std::string body;

  // Every value of the header called name (case-insensitive), in order.
  std::vector<std::string> header_values(std::string_view name) const;
};

// One HTTP/1.1 request to 127.0.0.1:port on a connection of its own (Connection: close), with a
// 5 s deadline, for the plain HTTP endpoints of test servers. Any response is returned, whatever
// its status; a failure to connect, send or read throws std::runtime_error naming the request.
//
// Thread safety: may be called from any thread.
HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view target,
                          const HttpHeaders& headers = {}, std::string body = {});

// The same over TLS, to a listener whose certificate chains to ca_file and names "localhost"
// (the wss listener of a gateway run with a Pki's certificate).
HttpResponse https_request(std::uint16_t port, const std::filesystem::path& ca_file,
                           std::string_view method, std::string_view target,
                           const HttpHeaders& headers = {}, std::string body = {});

// A POST of an application/x-www-form-urlencoded body, fields already encoded ("a=1&b=2").
HttpResponse post_form(std::uint16_t port, std::string_view target, std::string fields);

}  // namespace tether::test
