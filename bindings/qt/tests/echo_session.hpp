#pragma once
// The drop-in proof's client code: written once, against QWebSocket's API only, as an
// application would write it, and compiled for both QWebSocket and tether::qt::WebSocket.

#include <QStringList>
#include <QTest>
#include <QUrl>
#include <QWebSocketProtocol>

#include "socket_transcript.hpp"

namespace tether::qt::test {

/// Opens `url` (an echo service), pings it, sends a text message once the pong came, then a
/// binary one after the text came back, closes once the binary came back, and notes each step; an
/// error is noted too.
template <class Socket>
class EchoSession {
 public:
  explicit EchoSession(Socket& socket) : socket_(socket) {
    QObject::connect(&socket_, &Socket::connected, &socket_, [this] {
      notes_ << "connected";
      socket_.ping(QByteArrayLiteral("probe"));
    });
    QObject::connect(&socket_, &Socket::pong, &socket_,
                     [this](quint64 elapsed_ms, const QByteArray& payload) {
                       notes_ << "pong " + QString::fromLatin1(payload);
                       if (elapsed_ms > 60000) notes_ << "pong elapsed time out of range";
                       socket_.sendTextMessage(QStringLiteral("hello"));
                     });
    QObject::connect(&socket_, &Socket::textMessageReceived, &socket_,
                     [this](const QString& message) {
                       notes_ << "text " + message;
                       socket_.sendBinaryMessage(QByteArray::fromHex("00ff7f"));
                     });
    QObject::connect(&socket_, &Socket::binaryMessageReceived, &socket_,
                     [this](const QByteArray& message) {
                       notes_ << "binary " + QString::fromLatin1(message.toHex());
                       socket_.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("done"));
                     });
    QObject::connect(&socket_, &Socket::disconnected, &socket_, [this] {
      notes_ << QStringLiteral("disconnected, state %1").arg(name_of(socket_.state()));
      finished_ = true;
    });
    QObject::connect(&socket_, error_signal<Socket>(), &socket_,
                     [this](QAbstractSocket::SocketError error) {
                       notes_ << "error " + name_of(error);
                       error_string_ = socket_.errorString();
                     });
  }

  /// Runs the session and returns its notes once it has ended (or after `timeout_ms`).
  QStringList run(const QUrl& url, int timeout_ms = 20000) {
    socket_.open(url);
    if (!QTest::qWaitFor([this] { return finished_; }, timeout_ms)) notes_ << "timed out";
    return notes_;
  }

  QString error_string() const { return error_string_; }

 private:
  Socket& socket_;
  QStringList notes_;
  QString error_string_;
  bool finished_ = false;
};

}  // namespace tether::qt::test
