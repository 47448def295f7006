#include "gateway_control.hpp"

#include <QJsonDocument>
#include <QJsonObject>

#include "background_http.hpp"

namespace tether::demo {

GatewayControl::GatewayControl(QObject* parent) : QObject(parent) {}

void GatewayControl::setEndpoint(const QUrl& url, const QByteArray& secret) {
  url_ = url;
  secret_ = secret;
}

void GatewayControl::send(const QString& action) {
  if (!isAvailable()) {
    emit finished(action, false, tr("this gateway has no control endpoint"));
    return;
  }
  http::Request request;
  request.method = "POST";
  request.url = url_.toString().toStdString();
  request.headers = {{"Tether-Control-Secret", secret_.toStdString()},
                     {"Content-Type", "application/json"}};
  request.body = QJsonDocument(QJsonObject{{QStringLiteral("action"), action}})
                     .toJson(QJsonDocument::Compact)
                     .toStdString();
  request.use_proxy_environment = false;  // the gateway is on loopback
  request.timeout = std::chrono::seconds(5);
  request_in_background(
      this, std::move(request), [this, action](const Error& error, const http::Response& response) {
        if (error) {
          emit finished(action, false, QString::fromStdString(error.message));
        } else {
          emit finished(action, response.status == 200,
                        QStringLiteral("%1 %2")
                            .arg(response.status)
                            .arg(QString::fromStdString(response.body).trimmed()));
        }
      });
}

}  // namespace tether::demo
