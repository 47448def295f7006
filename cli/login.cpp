#include "login.hpp"

#include <string>

#include "tether/http.hpp"

namespace tether::cat {

tether::Error log_in(const CookieOptions& cookies, const tether::ConnectOptions& connect) {
  tether::http::Request request;
  request.method = "POST";
  request.url = cookies.login_url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = cookies.login_data;
  request.tls = connect.tls;
  request.proxy = connect.proxy;
  request.use_proxy_environment = connect.use_proxy_environment;
  request.connect_timeout = connect.connect_timeout;
  request.timeout = connect.handshake_timeout;
  request.challenge_handler = connect.challenge_handler;
  request.auth = connect.auth;
  request.cookie_jar = connect.cookie_jar;

  tether::http::Response response;
  if (auto error = tether::http::request(request, response)) return error;
  if (response.status >= 200 && response.status < 300) return {};
  // The URL is not quoted: its query may carry a token (docs/security.md).
  const std::string message =
      "the --login request was refused with HTTP " + std::to_string(response.status);
  if (response.status == 401 || response.status == 403) {
    return {tether::ErrorCode::AuthFailed, message + "; check the credentials in --login-data",
            response.status};
  }
  return {tether::ErrorCode::HandshakeRejected, message, response.status};
}

}  // namespace tether::cat
