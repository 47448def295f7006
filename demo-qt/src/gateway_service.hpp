#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <QVector>
#include <optional>

namespace tether::demo {

// One entry of the connection panel's drop-down: a service of a bundled gateway and, when the
// demo may steer that gateway, its control endpoint and secret.
struct GatewayService {
  QString name;     // "Echo, Digest-protected"
  QUrl url;         // "wss://localhost:41524/echo"
  QUrl controlUrl;  // "http://127.0.0.1:41523/_control"; empty: no controls
  QByteArray controlSecret;
};

// Reads the services file scripts/demo writes (docs/demo.md):
// {"services": [{"name": ..., "url": ..., "control_url": ..., "control_secret": ...}, ...]}.
// nullopt, with `error` set, when it cannot be read or is not that.
std::optional<QVector<GatewayService>> load_gateway_services(const QString& file, QString& error);

}  // namespace tether::demo
