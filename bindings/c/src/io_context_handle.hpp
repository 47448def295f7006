#pragma once
// tether_io_context: a reference to a tether::IoContext, so that the clients created on it keep
// it (and its thread) alive after the application frees its handle.

#include <memory>

#include "tether/io_context.hpp"

struct tether_io_context {
  std::shared_ptr<tether::IoContext> io;
};
