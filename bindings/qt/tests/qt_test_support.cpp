#include "qt_test_support.hpp"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>

#include "tether_test/shared_environment.hpp"
#include "tether_test/users_file.hpp"

namespace tether::qt::test {

QUrl url_of(const std::string& url) { return QUrl(QString::fromStdString(url)); }

void trust_test_ca(WebSocket& socket) {
  ConnectOptions options = socket.connectOptions();
  options.tls.ca_file = tether::test::shared_pki().ca_cert.string();
  options.use_proxy_environment = false;
  socket.setConnectOptions(options);
}

bool wait_for(const std::function<bool()>& condition) {
  return QTest::qWaitFor(condition, kTimeoutMs);
}

bool open_and_wait(WebSocket& socket, const QUrl& url) {
  QSignalSpy connected(&socket, &WebSocket::connected);
  socket.open(url);
  return connected.wait(kTimeoutMs) || !connected.isEmpty();
}

void round_trip(const tether::test::Gateway& gateway) {
  WebSocket socket;
  trust_test_ca(socket);
  ASSERT_TRUE(open_and_wait(socket, url_of(gateway.wss_url("/echo"))));
  QSignalSpy echoed(&socket, &WebSocket::textMessageReceived);
  ASSERT_EQ(socket.sendTextMessage("ping"), 4);
  ASSERT_TRUE(echoed.wait(kTimeoutMs));
}

std::filesystem::path users_file_with_alice(const std::filesystem::path& file) {
  tether::test::write_users_file(file, {{"alice", "secret"}});
  return file;
}

}  // namespace tether::qt::test
