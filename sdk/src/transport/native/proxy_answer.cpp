#include "transport/native/proxy_answer.hpp"

#include <utility>

#include "http/ascii.hpp"
#include "http/response_head.hpp"

namespace tether::transport {

Error read_proxy_answer(std::string_view head, ProxyAnswer& answer) {
  answer = {};
  http::ResponseHead parsed;
  if (auto error = http::read_response_head(head, parsed)) return error;
  answer.status = parsed.status;
  answer.reason = std::move(parsed.reason);
  for (auto& [name, value] : parsed.fields) {
    if (http::ascii_iequals(name, "Proxy-Authenticate")) {
      answer.challenges.push_back(std::move(value));
    }
  }
  return {};
}

}  // namespace tether::transport
