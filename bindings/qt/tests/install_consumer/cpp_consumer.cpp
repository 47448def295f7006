// Uses the installed C++ SDK: a client refuses a URL that is not a WebSocket URL, with the typed
// error, without touching the network.
#include <iostream>
#include <tether/tether.hpp>

int main() {
  tether::Client client;
  tether::ConnectOptions options;
  options.url = "http://example.invalid/";
  const tether::Error error = client.connect(options);
  if (error.code != tether::ErrorCode::InvalidArgument) {
    std::cerr << "expected InvalidArgument, got " << tether::to_string(error.code) << '\n';
    return 1;
  }
  std::cout << "tether " << tether::version() << ": " << error.message << '\n';
  return 0;
}
