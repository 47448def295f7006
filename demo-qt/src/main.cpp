// tether-demo: Tether's Qt desktop demo against the bundled gateway. docs/demo.md describes it;
// scripts/demo starts the gateways and runs it.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <cstdio>

#include "gateway_service.hpp"
#include "main_window.hpp"
#include "screenshot_tour.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Tether"));
  QApplication::setApplicationName(QStringLiteral("tether-demo"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Tether's desktop demo"));
  parser.addHelpOption();
  const QCommandLineOption services_option(
      QStringLiteral("services"),
      QStringLiteral("The gateway services to offer, with their control endpoints (docs/demo.md)."),
      QStringLiteral("file"));
  const QCommandLineOption service_option(QStringLiteral("service"),
                                          QStringLiteral("The service selected at start."),
                                          QStringLiteral("name"));
  const QCommandLineOption ca_option(QStringLiteral("ca-file"),
                                     QStringLiteral("PEM file of the CAs to trust."),
                                     QStringLiteral("file"));
  const QCommandLineOption connect_option(QStringLiteral("connect"),
                                          QStringLiteral("Connect as soon as the window shows."));
  const QCommandLineOption tour_option(
      QStringLiteral("screenshots"),
      QStringLiteral(
          "Run the scripted tour and save one PNG per scene in this directory, then exit."),
      QStringLiteral("directory"));
  parser.addOptions({services_option, service_option, ca_option, connect_option, tour_option});
  parser.process(app);

  QVector<tether::demo::GatewayService> services;
  if (parser.isSet(services_option)) {
    QString error;
    const auto loaded = tether::demo::load_gateway_services(parser.value(services_option), error);
    if (!loaded) {
      std::fprintf(stderr, "tether-demo: %s\n", qPrintable(error));
      return 2;
    }
    services = *loaded;
  }

  tether::demo::MainWindow window(services);
  if (parser.isSet(ca_option)) window.setCaFile(parser.value(ca_option));
  if (parser.isSet(service_option) && !window.selectService(parser.value(service_option))) {
    std::fprintf(stderr, "tether-demo: no service called '%s'\n",
                 qPrintable(parser.value(service_option)));
    return 2;
  }
  window.show();

  if (parser.isSet(tour_option)) {
    const QDir directory(parser.value(tour_option));
    if (!directory.mkpath(QStringLiteral("."))) {
      std::fprintf(stderr, "tether-demo: cannot create %s\n", qPrintable(directory.path()));
      return 2;
    }
    auto* tour = new tether::demo::ScreenshotTour(window, directory, &window);
    QObject::connect(tour, &tether::demo::ScreenshotTour::finished, &app, [](const QString& error) {
      if (!error.isEmpty()) std::fprintf(stderr, "tether-demo: %s\n", qPrintable(error));
      QApplication::exit(error.isEmpty() ? 0 : 1);
    });
    QTimer::singleShot(0, tour, &tether::demo::ScreenshotTour::start);
  } else if (parser.isSet(connect_option)) {
    QTimer::singleShot(0, &window, &tether::demo::MainWindow::connectToGateway);
  }
  return QApplication::exec();
}
