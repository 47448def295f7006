#pragma once
// The signals QWebSocket and tether::qt::WebSocket share, written down as they arrive, for tests
// that compare them; templated so that the same code listens to either.

#include <QAbstractSocket>
#include <QMetaEnum>
#include <QStringList>
#include <QThread>
#include <QWebSocket>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>

#include "tether/qt/web_socket.hpp"

namespace tether::qt::test {

/// QWebSocket's error signal. Qt 6.5 renamed it errorOccurred, the name the adapter has; the
/// Qt 6.4 that Debian 12 ships still calls it error, overloaded with the error() getter.
template <class Socket>
auto error_signal() {
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
  if constexpr (std::is_same_v<Socket, QWebSocket>) {
    return QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error);
  } else {
    return &Socket::errorOccurred;
  }
#else
  return &Socket::errorOccurred;
#endif
}

template <class Enum>
QString name_of(Enum value) {
  return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(static_cast<int>(value)));
}

/// Every shared signal of one socket, as "stateChanged(ConnectedState)", "connected",
/// "textMessageReceived(hello)"..., with the thread each was received on. The record is shared
/// with the connections, so it may be read from any thread (after the socket is gone too).
class Transcript {
 public:
  template <class Socket>
  explicit Transcript(Socket& socket) {
    auto add = adder();
    // Direct connections: the slot runs on the thread that emits, which is what is checked.
    constexpr auto direct = Qt::DirectConnection;
    QObject::connect(
        &socket, &Socket::stateChanged, &socket,
        [add](QAbstractSocket::SocketState state) { add("stateChanged(" + name_of(state) + ")"); },
        direct);
    QObject::connect(
        &socket, &Socket::connected, &socket, [add] { add("connected"); }, direct);
    QObject::connect(
        &socket, &Socket::disconnected, &socket, [add] { add("disconnected"); }, direct);
    QObject::connect(
        &socket, &Socket::textMessageReceived, &socket,
        [add](const QString& message) { add("textMessageReceived(" + message + ")"); }, direct);
    QObject::connect(
        &socket, &Socket::binaryMessageReceived, &socket,
        [add](const QByteArray& message) {
          add("binaryMessageReceived(" + QString::fromLatin1(message.toHex()) + ")");
        },
        direct);
    QObject::connect(
        &socket, &Socket::pong, &socket,
        [add](quint64, const QByteArray& payload) {
          add("pong(" + QString::fromLatin1(payload) + ")");
        },
        direct);
    QObject::connect(
        &socket, error_signal<Socket>(), &socket,
        [add](QAbstractSocket::SocketError error) { add("errorOccurred(" + name_of(error) + ")"); },
        direct);
  }

  /// Also writes down the signals only tether::qt::WebSocket has.
  void add_tether_signals(WebSocket& socket) {
    auto add = adder();
    QObject::connect(
        &socket, &WebSocket::tetherStateChanged, &socket,
        [add](State state) {
          add(QStringLiteral("tetherStateChanged(%1)").arg(QLatin1String(to_string(state))));
        },
        Qt::DirectConnection);
    QObject::connect(
        &socket, &WebSocket::transportChanged, &socket,
        [add](TransportKind kind, const QString& reason) {
          const QString why = reason.isEmpty() ? QString() : QStringLiteral(", why");
          add(QStringLiteral("transportChanged(%1%2)").arg(QLatin1String(to_string(kind)), why));
        },
        Qt::DirectConnection);
  }

  QStringList lines() const {
    const std::lock_guard lock(record_->mutex);
    return record_->lines;
  }

  /// True when every signal so far was received on `thread`.
  bool all_on(QThread* thread) const {
    const std::lock_guard lock(record_->mutex);
    for (QThread* received_on : record_->threads) {
      if (received_on != thread) return false;
    }
    return true;
  }

  bool contains(const QString& line) const { return lines().contains(line); }

 private:
  std::function<void(const QString&)> adder() const {
    return [record = record_](const QString& line) {
      const std::lock_guard lock(record->mutex);
      record->lines << line;
      record->threads << QThread::currentThread();
    };
  }

  struct Record {
    mutable std::mutex mutex;
    QStringList lines;
    QList<QThread*> threads;
  };
  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

}  // namespace tether::qt::test
