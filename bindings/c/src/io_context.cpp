// tether_io_context_*: the C face of tether::IoContext, one I/O thread. Clients are created on
// one with tether_client_create_on (client.cpp).
#include "api.hpp"
#include "io_context_handle.hpp"

extern "C" {

tether_io_context* tether_io_context_create(void) {
  // The IoContext starts its thread; a thread that cannot start throws, which gives NULL.
  return tether::c_api::guarded_create(
      [] { return new tether_io_context{std::make_shared<tether::IoContext>()}; });
}

void tether_io_context_free(tether_io_context* io) { delete io; }

int tether_io_context_running_in_this_thread(const tether_io_context* io) {
  return io != nullptr && io->io->running_in_this_thread() ? 1 : 0;
}

}  // extern "C"
