#pragma once

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <utility>
#include <vector>

namespace tether::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// One response header: a field Beast knows (WWW-Authenticate) or one it does not (Tether-Session).
struct HttpHeader {
  HttpHeader(boost::beast::http::field known_field, std::string header_value)
      : name(boost::beast::http::to_string(known_field)), value(std::move(header_value)) {}
  HttpHeader(std::string header_name, std::string header_value)
      : name(std::move(header_name)), value(std::move(header_value)) {}

  std::string name;
  std::string value;
};

// A response other than a 101, as the parts of the gateway that decide it describe it; the HTTP
// session adds Server, Content-Length and keep-alive when it sends it.
struct HttpAnswer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "text/plain";
  // Sent in this order; a field may repeat (several WWW-Authenticate or Set-Cookie).
  std::vector<HttpHeader> headers;
};

}  // namespace tether::gateway
