// The socket's cookie jar is the one its handshakes use: a single sign-on cookie stored there by
// the SDK's HTTP helper opens the WebSocket with no challenge.
#include <gtest/gtest.h>

#include <QSignalSpy>

#include "qt_test_support.hpp"
#include "tether/http.hpp"
#include "tether/qt/web_socket.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/shared_environment.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::qt::test {
namespace {

using tether::test::Gateway;
using tether::test::gateway_config;

/// Logs alice in through the gateway's /login with the HTTP helper, storing the cookie in `jar`.
int log_in(const Gateway& gateway, const std::shared_ptr<CookieJar>& jar) {
  http::Request request;
  request.method = "POST";
  request.url = "https://localhost:" + std::to_string(gateway.wss_port()) + "/login";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "username=alice&password=secret";
  request.tls.ca_file = tether::test::shared_pki().ca_cert.string();
  request.use_proxy_environment = false;
  request.cookie_jar = jar;
  http::Response response;
  const Error error = http::request(request, response);
  EXPECT_FALSE(error) << error.message;
  return response.status;
}

/// A gateway whose /echo takes alice's /login session cookie in place of credentials.
class QtCookieJar : public ::testing::Test {
 protected:
  tether::test::TempDir directory_;
  const std::filesystem::path users_file_ = users_file_with_alice(directory_.path() / "users.json");
  Gateway gateway_{gateway_config({{"auth", {{"users_file", users_file_.string()}}},
                                   {"services", {{"/echo", {{"sso_cookie", true}}}}}})};
  QUrl echo_url_ = url_of(gateway_.wss_url("/echo"));
};

TEST_F(QtCookieJar, SingleSignOnCookieInTheSocketsJarOpensWithoutAChallenge) {
  WebSocket socket;
  trust_test_ca(socket);
  ASSERT_EQ(log_in(gateway_, socket.cookieJar()), 200);
  bool challenged = false;
  QObject::connect(&socket, &WebSocket::authenticationRequired, [&](Challenge* challenge) {
    challenged = true;
    challenge->cancel();
  });
  EXPECT_TRUE(open_and_wait(socket, echo_url_)) << socket.errorString().toStdString();
  EXPECT_FALSE(challenged);
}

TEST_F(QtCookieJar, WithoutTheCookieTheSameGatewayRefusesTheSocket) {
  WebSocket socket;
  trust_test_ca(socket);
  QSignalSpy disconnected(&socket, &WebSocket::disconnected);
  socket.open(echo_url_);
  ASSERT_TRUE(disconnected.wait(kTimeoutMs) || !disconnected.isEmpty());
  EXPECT_EQ(socket.tetherError().http_status, 403) << socket.errorString().toStdString();
}

}  // namespace
}  // namespace tether::qt::test
