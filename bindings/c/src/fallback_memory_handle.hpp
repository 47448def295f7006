#pragma once
// tether_fallback_memory: a reference to a shared tether::FallbackMemory, so that options and
// connections that use the memory keep it alive after the application frees its handle.

#include <memory>

#include "api.hpp"
#include "tether/fallback_memory.hpp"

struct tether_fallback_memory {
  std::shared_ptr<tether::FallbackMemory> memory = std::make_shared<tether::FallbackMemory>();
  tether::c_api::ErrorMessages messages;
};
