// A stand-in for a test process: starts a gateway, prints "GATEWAY_PID WS_PORT" and waits to be
// killed. child_process_test kills it with SIGKILL and checks that the gateway died with it.
#include <unistd.h>

#include <iostream>

#include "tether_test/gateway.hpp"

int main() {
  tether::test::Gateway gateway;
  std::cout << gateway.process_id() << ' ' << gateway.ws_port() << std::endl;
  for (;;) pause();
}
