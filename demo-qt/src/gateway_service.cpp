#include "gateway_service.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tether::demo {

std::optional<QVector<GatewayService>> load_gateway_services(const QString& file, QString& error) {
  QFile input(file);
  if (!input.open(QIODevice::ReadOnly)) {
    error = QStringLiteral("%1: %2").arg(file, input.errorString());
    return std::nullopt;
  }
  QJsonParseError parse_error;
  const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parse_error);
  if (parse_error.error != QJsonParseError::NoError) {
    error = QStringLiteral("%1: %2").arg(file, parse_error.errorString());
    return std::nullopt;
  }
  QVector<GatewayService> services;
  for (const auto& value : document.object().value(QStringLiteral("services")).toArray()) {
    const QJsonObject entry = value.toObject();
    GatewayService service{entry.value(QStringLiteral("name")).toString(),
                           QUrl(entry.value(QStringLiteral("url")).toString()),
                           QUrl(entry.value(QStringLiteral("control_url")).toString()),
                           entry.value(QStringLiteral("control_secret")).toString().toLatin1()};
    if (service.name.isEmpty() || !service.url.isValid()) {
      error = QStringLiteral("%1: every service needs a name and a url").arg(file);
      return std::nullopt;
    }
    services.append(service);
  }
  if (services.isEmpty()) {
    error = QStringLiteral("%1: no \"services\"").arg(file);
    return std::nullopt;
  }
  return services;
}

}  // namespace tether::demo
