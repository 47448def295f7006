// tether_fallback_memory_*: the C face of tether::FallbackMemory. The memory serialises its own
// members, so every function here is safe from any thread.
#include "fallback_memory_handle.hpp"

using tether::c_api::from_error;
using tether::c_api::guarded;
using tether::c_api::null_argument;
using tether::c_api::success;

extern "C" {

tether_fallback_memory* tether_fallback_memory_create(void) {
  return tether::c_api::guarded_create([] { return new tether_fallback_memory; });
}

void tether_fallback_memory_free(tether_fallback_memory* memory) { delete memory; }

tether_code tether_fallback_memory_load(tether_fallback_memory* memory, const char* path) {
  if (memory == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&memory->messages, "tether_fallback_memory_load", [&] {
    if (path == nullptr) return null_argument("path");
    return from_error(memory->memory->load(path));
  });
}

tether_code tether_fallback_memory_save(tether_fallback_memory* memory, const char* path) {
  if (memory == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&memory->messages, "tether_fallback_memory_save", [&] {
    if (path == nullptr) return null_argument("path");
    return from_error(memory->memory->save(path));
  });
}

tether_code tether_fallback_memory_clear(tether_fallback_memory* memory) {
  if (memory == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&memory->messages, "tether_fallback_memory_clear", [&] {
    memory->memory->clear();
    return success();
  });
}

const char* tether_fallback_memory_errmsg(const tether_fallback_memory* memory) {
  return memory == nullptr ? "the tether_fallback_memory is NULL" : memory->messages.get();
}

}  // extern "C"
