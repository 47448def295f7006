// The drop-in proof: one piece of client code (echo_session.hpp), compiled against QWebSocket
// and against tether::qt::WebSocket, behaves the same against the bundled gateway, except where
// docs/qt.md says it cannot.
#include <gtest/gtest.h>

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QWebSocket>

#include "echo_session.hpp"
#include "qt_test_support.hpp"
#include "socket_transcript.hpp"
#include "tether/qt/web_socket.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/shared_environment.hpp"

namespace tether::qt::test {
namespace {

using tether::test::Gateway;
using tether::test::gateway_config;
using tether::test::shared_pki;

// What differs is set-up only: how each socket is told to trust the test CA (the adapter's way
// is in qt_test_support).
using tether::qt::test::trust_test_ca;
void trust_test_ca(QWebSocket& socket) {
  QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
  configuration.setCaCertificates(
      QSslCertificate::fromPath(QString::fromStdString(shared_pki().ca_cert.string())));
  socket.setSslConfiguration(configuration);
}

struct Outcome {
  QStringList notes;
  QStringList signals_seen;
};

template <class Socket>
Outcome run_echo(const QUrl& url) {
  Socket socket;
  trust_test_ca(socket);
  Transcript transcript(socket);
  EchoSession<Socket> session(socket);
  Outcome outcome;
  outcome.notes = session.run(url);
  outcome.signals_seen = transcript.lines();
  return outcome;
}

TEST(QtDropIn, EchoOverWssGivesTheSameNotesAndSignalsWithBoth) {
  Gateway gateway(gateway_config());
  const QUrl url = url_of(gateway.wss_url("/echo"));
  const Outcome qt = run_echo<QWebSocket>(url);
  const Outcome tether = run_echo<WebSocket>(url);
  EXPECT_EQ(qt.notes, (QStringList{"connected", "pong probe", "text hello", "binary 00ff7f",
                                   "disconnected, state UnconnectedState"}));
  EXPECT_EQ(tether.notes, qt.notes);
  EXPECT_EQ(tether.signals_seen, qt.signals_seen);
}

TEST(QtDropIn, RefusedConnectionGivesTheSameErrorWithBoth) {
  std::string url;
  {
    Gateway gateway(gateway_config());
    url = gateway.ws_url("/echo");
  }  // stopped: nothing listens on its port any more
  Outcome qt = run_echo<QWebSocket>(url_of(url));
  Outcome tether = run_echo<WebSocket>(url_of(url));
  // The same signals, but not in the same order: QWebSocket 6.4 reports a refused TCP
  // connection after disconnected() (and a refused upgrade before it); the adapter reports every
  // failure before disconnected() (docs/qt.md).
  EXPECT_EQ(tether.notes,
            (QStringList{"error ConnectionRefusedError", "disconnected, state UnconnectedState"}));
  for (Outcome* outcome : {&qt, &tether}) {
    outcome->notes.sort();
    outcome->signals_seen.sort();
  }
  EXPECT_EQ(tether.notes, qt.notes);
  EXPECT_EQ(tether.signals_seen, qt.signals_seen);
}

}  // namespace
}  // namespace tether::qt::test
