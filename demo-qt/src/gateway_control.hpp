#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

namespace tether::demo {

// The bundled gateway's control endpoint (POST /_control, docs/gateway.md): block, hang or allow
// WebSocket upgrades and drop every connection, so that a person can watch the SDK fall back to
// the HTTP emulation and recover, and ask the open connections to revalidate, to watch a
// re-authentication without a disconnect. The requests run on a worker thread
// (request_in_background).
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class GatewayControl : public QObject {
  Q_OBJECT

 public:
  explicit GatewayControl(QObject* parent = nullptr);

  // The endpoint ("http://127.0.0.1:PORT/_control") and the secret of the gateway's ready line;
  // an empty URL disables the controls.
  void setEndpoint(const QUrl& url, const QByteArray& secret);
  bool isAvailable() const { return !url_.isEmpty(); }

  // Sends one action ("block_upgrades", "hang_upgrades", "allow_upgrades", "drop_connections",
  // "revalidate", "status"); finished() follows.
  void send(const QString& action);

 signals:
  // `ok` when the gateway answered 200; `detail` is its answer or what failed.
  void finished(const QString& action, bool ok, const QString& detail);

 private:
  QUrl url_;
  QByteArray secret_;
};

}  // namespace tether::demo
