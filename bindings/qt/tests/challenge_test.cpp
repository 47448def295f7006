// Challenges answered by the application through tether::qt::Challenge, on the GUI thread and
// as late as it likes.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QThread>
#include <QTimer>
#include <chrono>

#include "qt_test_support.hpp"
#include "socket_transcript.hpp"
#include "tether/qt/web_socket.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/shared_environment.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::qt::test {
namespace {

using tether::test::Gateway;
using tether::test::gateway_config;

class QtChallenge : public ::testing::Test {
 protected:
  tether::test::TempDir directory_;
  const std::filesystem::path users_file_ = users_file_with_alice(directory_.path() / "users.json");
  // /echo asks for Digest.
  Gateway gateway_{gateway_config({{"auth", {{"users_file", users_file_.string()}}},
                                   {"services", {{"/echo", {{"schemes", {"digest-sha256"}}}}}}})};
  QUrl echo_url_ = url_of(gateway_.wss_url("/echo"));
};

TEST_F(QtChallenge, AnsweredSecondsLaterFromTheGuiThreadWhileTheLoopRuns) {
  WebSocket socket;
  trust_test_ca(socket);
  ConnectOptions options = socket.connectOptions();
  options.handshake_timeout = std::chrono::milliseconds(1000);  // shorter than the "dialog"
  socket.setConnectOptions(options);
  Transcript transcript(socket);
  transcript.add_tether_signals(socket);
  QString scheme;
  QString realm;
  bool encrypted = false;
  QThread* asked_on = nullptr;
  QElapsedTimer since_asked;
  QObject::connect(&socket, &WebSocket::authenticationRequired, &socket, [&](Challenge* challenge) {
    asked_on = QThread::currentThread();
    scheme = challenge->scheme();
    realm = challenge->realm();
    encrypted = challenge->isEncrypted();
    since_asked.start();
    QTimer::singleShot(2000, Qt::PreciseTimer, challenge,
                       [challenge] { challenge->answer("alice", "secret"); });
  });
  int ticks = 0;
  QTimer ticker;
  QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
  ticker.start(100);
  ASSERT_TRUE(open_and_wait(socket, echo_url_)) << socket.errorString().toStdString();
  EXPECT_GE(since_asked.elapsed(), 2000);
  EXPECT_GE(ticks, 10) << "the event loop kept running while the challenge waited";
  EXPECT_EQ(asked_on, QThread::currentThread());
  EXPECT_EQ(scheme, "Digest");
  EXPECT_EQ(realm, "tether");
  EXPECT_TRUE(encrypted);
  EXPECT_TRUE(transcript.contains("tetherStateChanged(Authenticating)"));
}

TEST_F(QtChallenge, CancelFailsWithTheTypedAuthFailed) {
  WebSocket socket;
  trust_test_ca(socket);
  Transcript transcript(socket);
  bool finished = false;
  QObject::connect(&socket, &WebSocket::authenticationRequired, &socket, [&](Challenge* challenge) {
    QObject::connect(challenge, &Challenge::finished, [&] { finished = true; });
    challenge->cancel();
  });
  socket.open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return transcript.contains("disconnected"); }));
  EXPECT_TRUE(finished);
  EXPECT_TRUE(transcript.contains("errorOccurred(ConnectionRefusedError)"));
  EXPECT_EQ(socket.tetherError().code, ErrorCode::AuthFailed) << socket.errorString().toStdString();
}

TEST_F(QtChallenge, UnansweredChallengeFinishesWhenTheConnectionIsClosed) {
  WebSocket socket;
  trust_test_ca(socket);
  QPointer<Challenge> asked;
  bool finished = false;
  QObject::connect(&socket, &WebSocket::authenticationRequired, &socket, [&](Challenge* challenge) {
    asked = challenge;
    QObject::connect(challenge, &Challenge::finished, [&] { finished = true; });
  });
  QSignalSpy disconnected(&socket, &WebSocket::disconnected);
  socket.open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return !asked.isNull(); }));
  EXPECT_TRUE(asked->isPending());
  socket.close();
  ASSERT_TRUE(disconnected.wait(kTimeoutMs) || !disconnected.isEmpty());
  EXPECT_TRUE(finished);
  EXPECT_TRUE(wait_for([&] { return asked.isNull(); })) << "deleted once finished";
}

TEST_F(QtChallenge, SocketMayBeDeletedFromTheFinishedSlotOfItsChallenge) {
  QPointer<WebSocket> socket = new WebSocket;
  trust_test_ca(*socket);
  QObject::connect(socket, &WebSocket::authenticationRequired, socket, [&](Challenge* challenge) {
    QObject::connect(challenge, &Challenge::finished, [&] { delete socket.data(); });
    socket->close();  // abandons the challenge, which finishes
  });
  socket->open(echo_url_);
  ASSERT_TRUE(wait_for([&] { return socket.isNull(); }));
  // A full authenticated open on another socket: the loop has run past the first one's events.
  WebSocket other;
  trust_test_ca(other);
  QObject::connect(&other, &WebSocket::authenticationRequired,
                   [](Challenge* challenge) { challenge->answer("alice", "secret"); });
  EXPECT_TRUE(open_and_wait(other, echo_url_)) << other.errorString().toStdString();
}

}  // namespace
}  // namespace tether::qt::test
