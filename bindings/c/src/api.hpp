#pragma once
// What every entry point of the C API shares: the per-handle error messages, the mapping from
// tether::ErrorCode to tether_code, and the guard that keeps C++ exceptions inside the library.

#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "tether.h"
#include "tether/error.hpp"

namespace tether::c_api {

/// The int a C caller passed as an enum argument. C lets any int through an enum parameter, but
/// C++ may not even read one outside the enumeration's range (UBSan's -fsanitize=enum), so the
/// bytes are copied, not loaded as the enum.
template <typename Enum>
int enum_argument(const Enum& argument) noexcept {
  static_assert(sizeof(Enum) == sizeof(int), "a C enum of int size");
  int value = 0;
  std::memcpy(&value, &argument, sizeof value);
  return value;
}

/// The last error message of each thread that called into one handle, so that a handle shared
/// between threads (a client, a cookie jar) gives each thread its own message, valid until that
/// thread's next call on the handle.
///
/// Thread-safety: every member is safe from any thread.
class ErrorMessages {
 public:
  /// The calling thread's message, "" when it has none. Never throws.
  const char* get() const noexcept;
  /// Replaces the calling thread's message. Never throws: a message that cannot be stored
  /// (out of memory) becomes a fixed one.
  void set(const std::string& message) noexcept;
  /// set() with the description of the exception being handled; call it from a catch block.
  void set_current_exception(const char* function) noexcept;
  void clear() noexcept;

 private:
  void set_fixed(const char* message) noexcept;

  struct Slot {
    std::string text;
    const char* fixed = nullptr;  // a static message, used when `text` could not be stored
  };
  mutable std::mutex mutex_;
  // Node-based: a thread's slot stays where it is while other threads add theirs.
  std::unordered_map<std::thread::id, Slot> by_thread_;
};

/// What an entry point's body returns: a code and, on failure, the message for the handle.
struct Outcome {
  tether_code code = TETHER_OK;
  std::string message;
};

inline Outcome success() { return {}; }
inline Outcome failure(tether_code code, std::string message) { return {code, std::move(message)}; }
/// TETHER_INVALID_ARGUMENT naming the NULL argument: "url is NULL".
Outcome null_argument(const char* name);
tether_code to_c_code(ErrorCode code) noexcept;
inline Outcome from_error(const Error& error) { return {to_c_code(error.code), error.message}; }

/// Copies `text` and its NUL into buffer[0..size); the C API's one way of handing out strings.
Outcome copy_out(const std::string& text, char* buffer, std::size_t size, std::size_t* length);

/// ASCII case-insensitive equality, as HTTP header names and auth-param names compare.
bool ascii_iequals(std::string_view left, std::string_view right) noexcept;

/// Called at the start of every guarded entry point when set: tests make it throw to prove that
/// no exception crosses the C boundary. Not exported from the shared library.
using EntryHook = void (*)();
void set_entry_hook(EntryHook hook) noexcept;
void run_entry_hook();

/// Runs `body` (returning Outcome) and records its message in `messages` (may be null). Every
/// C++ exception becomes TETHER_OUT_OF_MEMORY or TETHER_INTERNAL_ERROR.
template <class Body>
tether_code guarded(ErrorMessages* messages, const char* function, Body&& body) noexcept {
  tether_code code = TETHER_INTERNAL_ERROR;
  try {
    run_entry_hook();
    const Outcome outcome = body();
    if (messages != nullptr) {
      if (outcome.code == TETHER_OK) {
        messages->clear();
      } else {
        messages->set(outcome.message);
      }
    }
    return outcome.code;
  } catch (const std::bad_alloc&) {
    code = TETHER_OUT_OF_MEMORY;
    if (messages != nullptr) messages->set_current_exception(function);
  } catch (...) {
    if (messages != nullptr) messages->set_current_exception(function);
  }
  return code;
}

/// guarded() for an entry point on `handle` (which has ErrorMessages `messages`): a NULL handle
/// gives TETHER_INVALID_ARGUMENT, since there is no handle to hold a message.
template <class Handle, class Body>
tether_code guarded_on(Handle* handle, const char* function, Body&& body) noexcept {
  if (handle == nullptr) return TETHER_INVALID_ARGUMENT;
  return guarded(&handle->messages, function, std::forward<Body>(body));
}

/// For entry points that return a pointer: null when `body` throws.
template <class Body>
auto guarded_create(Body&& body) noexcept -> decltype(body()) {
  try {
    run_entry_hook();
    return body();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace tether::c_api
