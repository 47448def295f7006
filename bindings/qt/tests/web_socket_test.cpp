// tether::qt::WebSocket against the bundled gateway: the order of its signals, the thread they
// arrive on, deletion from its own slots, nothing after destruction, the fallback and the TLS
// details.
#include "tether/qt/web_socket.hpp"

#include <gtest/gtest.h>

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <chrono>
#include <string>

#include "qt_test_support.hpp"
#include "socket_transcript.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/shared_environment.hpp"

namespace tether::qt::test {
namespace {

using tether::test::Gateway;
using tether::test::gateway_config;

class QtWebSocket : public ::testing::Test {
 protected:
  Gateway gateway_{gateway_config()};
  QUrl echo_url_ = url_of(gateway_.wss_url("/echo"));
};

// ---- signal order ----

TEST_F(QtWebSocket, OpenEchoAndCloseSignalInQWebSocketsOrder) {
  WebSocket socket;
  trust_test_ca(socket);
  Transcript transcript(socket);
  transcript.add_tether_signals(socket);
  ASSERT_TRUE(open_and_wait(socket, echo_url_));
  socket.sendTextMessage("hello");
  ASSERT_TRUE(wait_for([&] { return transcript.contains("textMessageReceived(hello)"); }));
  socket.close(QWebSocketProtocol::CloseCodeNormal, "bye");
  ASSERT_TRUE(wait_for([&] { return transcript.contains("disconnected"); }));
  EXPECT_EQ(transcript.lines(), (QStringList{
                                    "tetherStateChanged(Connecting)",
                                    "stateChanged(ConnectingState)",
                                    "transportChanged(Native)",
                                    "tetherStateChanged(Open)",
                                    "stateChanged(ConnectedState)",
                                    "connected",
                                    "textMessageReceived(hello)",
                                    "tetherStateChanged(Closing)",
                                    "stateChanged(ClosingState)",
                                    "tetherStateChanged(Closed)",
                                    "stateChanged(UnconnectedState)",
                                    "transportChanged(None)",
                                    "disconnected",
                                }));
  EXPECT_EQ(socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
  EXPECT_EQ(socket.state(), QAbstractSocket::UnconnectedState);
  EXPECT_EQ(socket.tetherState(), State::Closed);
}

TEST_F(QtWebSocket, FailureIsAnErrorThenUnconnectedThenDisconnected) {
  WebSocket socket;  // no CA: the system store does not trust the test CA
  Transcript transcript(socket);
  socket.open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return transcript.contains("disconnected"); }));
  EXPECT_EQ(transcript.lines(), (QStringList{
                                    "stateChanged(ConnectingState)",
                                    "errorOccurred(SslHandshakeFailedError)",
                                    "stateChanged(UnconnectedState)",
                                    "disconnected",
                                }));
  EXPECT_EQ(socket.tetherError().code, ErrorCode::TlsUntrustedCertificate);
  EXPECT_EQ(socket.error(), QAbstractSocket::SslHandshakeFailedError);
  EXPECT_EQ(socket.errorString(), QString::fromStdString(socket.tetherError().message));
  EXPECT_EQ(socket.closeCode(), QWebSocketProtocol::CloseCodeAbnormalDisconnection);
}

TEST_F(QtWebSocket, MalformedUrlFailsAtOnceThroughErrorOccurred) {
  WebSocket socket;
  QSignalSpy errors(&socket, &WebSocket::errorOccurred);
  socket.open(QUrl("http://not-a-websocket.invalid/"));
  ASSERT_EQ(errors.size(), 1);
  EXPECT_EQ(socket.tetherError().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(socket.state(), QAbstractSocket::UnconnectedState);
}

TEST_F(QtWebSocket, SendingWhileNotConnectedSendsNothingAndSaysWhy) {
  WebSocket socket;
  EXPECT_EQ(socket.sendTextMessage("early"), 0);
  EXPECT_EQ(socket.tetherError().code, ErrorCode::InvalidState);
  EXPECT_EQ(socket.lastMessageNumber(), 0U);
}

// Needs the transports that number messages (issue 13): before them the number stays 0.
TEST_F(QtWebSocket, SentMessagesAreNumberedFromOneOnEachConnection) {
  WebSocket socket;
  trust_test_ca(socket);
  ASSERT_TRUE(open_and_wait(socket, echo_url_));
  EXPECT_EQ(socket.lastMessageNumber(), 0U);
  EXPECT_EQ(socket.sendTextMessage("one"), 3);
  EXPECT_EQ(socket.lastMessageNumber(), 1U);
  socket.sendBinaryMessage("two");
  EXPECT_EQ(socket.lastMessageNumber(), 2U);
  socket.sendTextMessage("three");
  EXPECT_EQ(socket.lastMessageNumber(), 3U);
  QSignalSpy disconnected(&socket, &WebSocket::disconnected);
  socket.close();
  ASSERT_TRUE(wait_for([&] { return disconnected.size() == 1; }));
  ASSERT_TRUE(open_and_wait(socket, echo_url_));
  EXPECT_EQ(socket.lastMessageNumber(), 0U);
  socket.sendTextMessage("again");
  EXPECT_EQ(socket.lastMessageNumber(), 1U);
}

TEST_F(QtWebSocket, TheRevalidationSignalCarriesTheSdksValue) {
  WebSocket socket;
  QSignalSpy revalidations(&socket, &WebSocket::revalidation);
  ASSERT_TRUE(revalidations.isValid());
  Revalidation failed;
  failed.phase = Revalidation::Phase::Failed;
  failed.url = "https://gateway.example.com/revalidate";
  failed.http_status = 401;
  failed.error = {ErrorCode::AuthFailed, "refused", 401};
  emit socket.revalidation(failed);
  ASSERT_EQ(revalidations.size(), 1);
  const auto reported = revalidations[0][0].value<Revalidation>();
  EXPECT_EQ(reported.phase, Revalidation::Phase::Failed);
  EXPECT_EQ(reported.url, failed.url);
  EXPECT_EQ(reported.error.code, ErrorCode::AuthFailed);
}

TEST_F(QtWebSocket, TheReconnectPolicyIsOffUntilSetAndIsTheConnectOptionsOne) {
  WebSocket socket;
  EXPECT_FALSE(socket.reconnectPolicy().enabled);
  ReconnectPolicy policy;
  policy.enabled = true;
  policy.initial_delay = std::chrono::milliseconds{100};
  policy.max_attempts = 5;
  socket.setReconnectPolicy(policy);
  EXPECT_TRUE(socket.connectOptions().reconnect.enabled);
  EXPECT_EQ(socket.connectOptions().reconnect.initial_delay, std::chrono::milliseconds{100});
  EXPECT_EQ(socket.reconnectPolicy().max_attempts, 5U);
}

TEST_F(QtWebSocket, PingingWhileNotConnectedSendsNothingAndSaysWhy) {
  WebSocket socket;
  QSignalSpy pongs(&socket, &WebSocket::pong);
  socket.ping("early");
  EXPECT_EQ(socket.tetherError().code, ErrorCode::InvalidState);
  EXPECT_TRUE(pongs.isEmpty());
}

// ---- ping and pong ----

/// The test-name suffix of a QtOverEachTransport instance.
std::string transport_name(const ::testing::TestParamInfo<TransportPolicy>& parameter) {
  return parameter.param == TransportPolicy::Native ? "Native" : "Emulated";
}

/// Scenarios run over each transport, the parameter.
class QtOverEachTransport : public ::testing::TestWithParam<TransportPolicy> {
 protected:
  /// Opens `socket` with its options, trusting the test CA, on the gateway's wss /echo over the
  /// parameter's transport, and waits for connected().
  bool open(WebSocket& socket) {
    trust_test_ca(socket);
    ConnectOptions options = socket.connectOptions();
    options.transport = GetParam();
    socket.setConnectOptions(options);
    return open_and_wait(socket, url_of(gateway_.wss_url("/echo")));
  }

  Gateway gateway_{gateway_config()};
};

class QtPing : public QtOverEachTransport {};

TEST_P(QtPing, PongCarriesThePayloadCutTo125BytesAsQWebSocketDoes) {
  WebSocket socket;
  ASSERT_TRUE(open(socket)) << socket.errorString().toStdString();
  QSignalSpy pongs(&socket, &WebSocket::pong);
  const QByteArray long_payload(200, 'p');
  socket.ping(long_payload);
  ASSERT_TRUE(wait_for([&] { return pongs.size() == 1; }));
  EXPECT_EQ(pongs[0][1].toByteArray(), long_payload.left(125));
  EXPECT_LT(pongs[0][0].toULongLong(), 20000U) << "milliseconds since the ping";
  EXPECT_EQ(gateway_.stats().value("pings_received", 0), 1);
}

INSTANTIATE_TEST_SUITE_P(Transports, QtPing,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Emulated),
                         transport_name);

// ---- reconnect ----

class QtReconnect : public QtOverEachTransport {};

TEST_P(QtReconnect, ADroppedConnectionComesBackWithoutDisconnectedOrASecondConnected) {
  WebSocket socket;
  ReconnectPolicy policy;
  policy.enabled = true;
  policy.initial_delay = std::chrono::milliseconds{50};
  policy.max_delay = std::chrono::milliseconds{200};
  socket.setReconnectPolicy(policy);
  ASSERT_TRUE(open(socket)) << socket.errorString().toStdString();
  // The gateway's resume token comes before any echo: once one is back, the session can resume.
  QSignalSpy echoes(&socket, &WebSocket::textMessageReceived);
  socket.sendTextMessage("before the drop");
  ASSERT_TRUE(wait_for([&] { return echoes.size() == 1; }));
  QSignalSpy states(&socket, &WebSocket::stateChanged);
  QSignalSpy connected(&socket, &WebSocket::connected);
  QSignalSpy disconnected(&socket, &WebSocket::disconnected);
  QSignalSpy attempts(&socket, &WebSocket::reconnecting);
  QSignalSpy reconnected(&socket, &WebSocket::reconnected);

  EXPECT_EQ(gateway_.control("drop_connections").at("connections_dropped"), 1);
  ASSERT_TRUE(wait_for([&] { return reconnected.size() == 1 || disconnected.size() == 1; }));
  ASSERT_EQ(reconnected.size(), 1) << socket.errorString().toStdString();
  EXPECT_TRUE(reconnected[0][0].toBool()) << "the bundled gateway resumes sessions";
  EXPECT_TRUE(socket.lastReconnected().resumed);
  ASSERT_GE(attempts.size(), 1);
  EXPECT_EQ(attempts[0][0].toInt(), 1);
  EXPECT_LE(attempts[0][1].toInt(), 200);
  EXPECT_NE(socket.lastReconnectAttempt().reason.code, ErrorCode::None);
  EXPECT_EQ(socket.lastReconnected().transport, GetParam() == TransportPolicy::Native
                                                    ? TransportKind::Native
                                                    : TransportKind::Emulated);
  ASSERT_GE(states.size(), 2);
  EXPECT_EQ(states.first()[0].value<QAbstractSocket::SocketState>(),
            QAbstractSocket::ConnectingState);
  EXPECT_EQ(states.last()[0].value<QAbstractSocket::SocketState>(),
            QAbstractSocket::ConnectedState);
  EXPECT_EQ(connected.size(), 0);
  EXPECT_EQ(disconnected.size(), 0);
  EXPECT_TRUE(socket.isValid());

  EXPECT_GT(socket.sendTextMessage("after the drop"), 0);
  ASSERT_TRUE(wait_for([&] { return echoes.size() == 2; }));
  EXPECT_EQ(echoes[1][0].toString(), "after the drop");
}

INSTANTIATE_TEST_SUITE_P(Transports, QtReconnect,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Emulated),
                         transport_name);

// ---- a full send queue ----

class QtWritable : public QtOverEachTransport {};

TEST_P(QtWritable, AFullQueueRefusesASendAndSaysWhenItHasRoomAgain) {
  WebSocket socket;
  ConnectOptions options = socket.connectOptions();
  // With reconnect on, a message stays queued until the gateway acknowledges it (within 250 ms):
  // two are a queue that a burst of sends fills at once.
  options.max_queued_messages = 2;
  options.reconnect.enabled = true;
  socket.setConnectOptions(options);
  ASSERT_TRUE(open(socket)) << socket.errorString().toStdString();
  QSignalSpy writable(&socket, &WebSocket::writable);
  QSignalSpy echoes(&socket, &WebSocket::textMessageReceived);

  int sent = 0;
  while (sent < 1000 && socket.sendTextMessage("message " + QString::number(sent + 1)) > 0) ++sent;
  ASSERT_LT(sent, 1000) << "the queue never filled";
  EXPECT_EQ(socket.tetherError().code, ErrorCode::WouldBlock);
  EXPECT_TRUE(socket.isValid()) << "a full queue leaves the connection open";

  ASSERT_TRUE(wait_for([&] { return writable.size() == 1; }));
  EXPECT_GT(socket.sendTextMessage("message " + QString::number(sent + 1)), 0);
  ASSERT_TRUE(wait_for([&] { return echoes.size() == sent + 1; }));
  for (int i = 0; i <= sent; ++i) {
    EXPECT_EQ(echoes[i][0].toString(), "message " + QString::number(i + 1));
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, QtWritable,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Emulated),
                         transport_name);

// ---- threads ----

/// A running thread that is stopped and joined however the test ends.
class WorkerThread : public QThread {
 public:
  WorkerThread() { start(); }
  ~WorkerThread() override {
    quit();
    wait();
  }
};

TEST_F(QtWebSocket, EverySignalArrivesOnTheThreadTheObjectLivesIn) {
  WorkerThread worker;
  auto* socket = new WebSocket;
  trust_test_ca(*socket);
  Transcript transcript(*socket);
  transcript.add_tether_signals(*socket);
  std::atomic<bool> destroyed{false};
  // No context object: runs on the thread that destroys the socket.
  QObject::connect(socket, &QObject::destroyed, [&destroyed] { destroyed = true; });
  QObject::connect(socket, &WebSocket::connected, socket,
                   [socket] { socket->sendTextMessage("from the worker"); });
  QObject::connect(socket, &WebSocket::textMessageReceived, socket, [socket] { socket->close(); });
  QObject::connect(socket, &WebSocket::disconnected, socket, &QObject::deleteLater);
  socket->moveToThread(&worker);
  QMetaObject::invokeMethod(socket, [socket, url = echo_url_] { socket->open(url); });
  ASSERT_TRUE(wait_for([&] { return destroyed.load(); }));
  EXPECT_TRUE(transcript.contains("textMessageReceived(from the worker)"));
  EXPECT_TRUE(transcript.contains("disconnected"));
  EXPECT_TRUE(transcript.all_on(&worker)) << transcript.lines().join(", ").toStdString();
}

// ---- deletion from slots ----

TEST_F(QtWebSocket, PlainDeleteFromASlotOfItsOwnMessageSignal) {
  QPointer<WebSocket> socket = new WebSocket;
  trust_test_ca(*socket);
  int received = 0;
  // Many echoes on their way when the first one deletes the socket.
  QObject::connect(socket, &WebSocket::connected, socket, [&] {
    for (int i = 0; i < 100; ++i) socket->sendTextMessage(QString::number(i));
  });
  QObject::connect(socket, &WebSocket::textMessageReceived, socket, [&] {
    ++received;
    delete socket.data();
  });
  socket->open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return socket.isNull(); }));
  round_trip(gateway_);
  EXPECT_EQ(received, 1);
}

TEST_F(QtWebSocket, PlainDeleteFromAStateChangedSlotMidTransition) {
  QPointer<WebSocket> socket = new WebSocket;
  trust_test_ca(*socket);
  bool connected_after_delete = false;
  // stateChanged(ConnectedState) is followed by connected() in the same transition.
  QObject::connect(socket, &WebSocket::stateChanged, socket,
                   [&](QAbstractSocket::SocketState state) {
                     if (state == QAbstractSocket::ConnectedState) delete socket.data();
                   });
  QObject::connect(socket, &WebSocket::connected, socket, [&] { connected_after_delete = true; });
  socket->open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return socket.isNull(); }));
  round_trip(gateway_);
  EXPECT_FALSE(connected_after_delete);
}

TEST_F(QtWebSocket, DeleteLaterFromTheDisconnectedSlot) {
  QPointer<WebSocket> socket = new WebSocket;
  trust_test_ca(*socket);
  QObject::connect(socket, &WebSocket::connected, socket, [&] { socket->close(); });
  QObject::connect(socket, &WebSocket::disconnected, socket, [&] { socket->deleteLater(); });
  socket->open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return socket.isNull(); }));
}

TEST_F(QtWebSocket, PlainDeleteFromTheErrorSlot) {
  QPointer<WebSocket> socket = new WebSocket;  // no CA: the handshake fails
  QObject::connect(socket, &WebSocket::errorOccurred, socket, [&] { delete socket.data(); });
  socket->open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return socket.isNull(); }));
  round_trip(gateway_);
}

TEST_F(QtWebSocket, NoSignalReachesAReceiverAfterDestruction) {
  QObject receiver;
  int after_destruction = 0;
  bool destroyed = false;
  auto* socket = new WebSocket;
  trust_test_ca(*socket);
  ASSERT_TRUE(open_and_wait(*socket, echo_url_));
  auto count = [&] { after_destruction += destroyed ? 1 : 0; };
  QObject::connect(socket, &WebSocket::textMessageReceived, &receiver, count);
  QObject::connect(socket, &WebSocket::stateChanged, &receiver, count);
  QObject::connect(socket, &WebSocket::disconnected, &receiver, count);
  for (int i = 0; i < 1000; ++i) socket->sendTextMessage(QString::number(i));
  // Destroyed from outside any slot while the echoes stream in on the I/O thread.
  QSignalSpy first(socket, &WebSocket::textMessageReceived);
  ASSERT_TRUE(first.wait(kTimeoutMs));
  delete socket;
  destroyed = true;
  round_trip(gateway_);
  EXPECT_EQ(after_destruction, 0);
}

// ---- fallback ----

TEST(QtFallback, IsVisibleThroughTransportChangedWithItsReason) {
  Gateway gateway(gateway_config({{"faults", {{"refuse_upgrade_status", 403}}}}));
  WebSocket socket;
  trust_test_ca(socket);
  QSignalSpy transports(&socket, &WebSocket::transportChanged);
  ASSERT_TRUE(open_and_wait(socket, url_of(gateway.ws_url("/echo"))))
      << socket.errorString().toStdString();
  ASSERT_EQ(transports.size(), 2);
  EXPECT_EQ(transports[0][0].value<TransportKind>(), TransportKind::Native);
  EXPECT_TRUE(transports[0][1].toString().isEmpty());
  EXPECT_EQ(transports[1][0].value<TransportKind>(), TransportKind::Emulated);
  EXPECT_TRUE(transports[1][1].toString().contains("HTTP 403"))
      << transports[1][1].toString().toStdString();
  EXPECT_EQ(socket.transport(), TransportKind::Emulated);
  EXPECT_EQ(socket.fallbackReason(), transports[1][1].toString());
}

// ---- TLS details ----

TEST_F(QtWebSocket, TlsDetailsDescribeTheOpenConnection) {
  WebSocket socket;
  trust_test_ca(socket);
  ASSERT_TRUE(open_and_wait(socket, echo_url_));
  const TlsDetails details = socket.tlsDetails();
  EXPECT_TRUE(details.protocol == "TLSv1.3" || details.protocol == "TLSv1.2")
      << details.protocol.toStdString();
  EXPECT_FALSE(details.cipher.isEmpty());
  // The run's PKI (tests/support/src/pki.cpp) names its server and root CA so, for 30 days.
  EXPECT_EQ(details.peerSubject, "CN=tether test server,O=Tether tests");
  EXPECT_EQ(details.peerIssuer, "CN=Tether Test Root CA,O=Tether tests");
  const QDateTime now = QDateTime::currentDateTimeUtc();
  EXPECT_GT(details.peerExpiry, now.addDays(29));
  EXPECT_LT(details.peerExpiry, now.addDays(31));
}

TEST_F(QtWebSocket, PlainConnectionHasNoTlsDetails) {
  WebSocket socket;
  trust_test_ca(socket);
  ASSERT_TRUE(open_and_wait(socket, url_of(gateway_.ws_url("/echo"))));
  EXPECT_TRUE(socket.tlsDetails().isNull());
}

}  // namespace
}  // namespace tether::qt::test
