#pragma once

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <utility>
#include <vector>

namespace tether::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A response other than a 101, as the parts of the gateway that decide it describe it; the HTTP
// session adds Server, Content-Length and keep-alive when it sends it.
struct HttpAnswer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "text/plain";
  // Sent in this order; a field may repeat (several WWW-Authenticate or Set-Cookie).
  std::vector<std::pair<boost::beast::http::field, std::string>> headers;
};

}  // namespace tether::gateway
