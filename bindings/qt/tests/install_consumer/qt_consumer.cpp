// Uses the installed Qt adapter: open() with a URL that is not a WebSocket URL reports the typed
// error through errorOccurred, without touching the network.
#include <QCoreApplication>
#include <iostream>
#include <tether/qt/web_socket.hpp>

int main(int argc, char** argv) {
  QCoreApplication application(argc, argv);
  tether::qt::WebSocket socket;
  bool reported = false;
  QObject::connect(&socket, &tether::qt::WebSocket::errorOccurred,
                   [&](QAbstractSocket::SocketError) { reported = true; });
  socket.open(QUrl("http://example.invalid/"));
  if (!reported || socket.tetherError().code != tether::ErrorCode::InvalidArgument) {
    std::cerr << "expected InvalidArgument through errorOccurred\n";
    return 1;
  }
  std::cout << socket.errorString().toStdString() << '\n';
  return 0;
}
