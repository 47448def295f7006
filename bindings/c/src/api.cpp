#include "api.hpp"

#include <atomic>
#include <cstring>
#include <exception>
#include <typeinfo>

namespace tether::c_api {
namespace {

std::atomic<EntryHook> entry_hook{nullptr};

// The codes below 1000 are tether::ErrorCode's, value for value: both enums only ever grow, so a
// code added to one without the other fails here.
static_assert(TETHER_OK == static_cast<int>(ErrorCode::None));
static_assert(TETHER_INVALID_ARGUMENT == static_cast<int>(ErrorCode::InvalidArgument));
static_assert(TETHER_INVALID_STATE == static_cast<int>(ErrorCode::InvalidState));
static_assert(TETHER_RESOLVE_FAILED == static_cast<int>(ErrorCode::ResolveFailed));
static_assert(TETHER_CONNECT_FAILED == static_cast<int>(ErrorCode::ConnectFailed));
static_assert(TETHER_CONNECT_TIMEOUT == static_cast<int>(ErrorCode::ConnectTimeout));
static_assert(TETHER_HANDSHAKE_TIMEOUT == static_cast<int>(ErrorCode::HandshakeTimeout));
static_assert(TETHER_TLS_CONFIGURATION == static_cast<int>(ErrorCode::TlsConfiguration));
static_assert(TETHER_TLS_FAILED == static_cast<int>(ErrorCode::TlsFailed));
static_assert(TETHER_TLS_UNTRUSTED_CERTIFICATE ==
              static_cast<int>(ErrorCode::TlsUntrustedCertificate));
static_assert(TETHER_TLS_HOSTNAME_MISMATCH == static_cast<int>(ErrorCode::TlsHostnameMismatch));
static_assert(TETHER_TLS_CERTIFICATE_EXPIRED == static_cast<int>(ErrorCode::TlsCertificateExpired));
static_assert(TETHER_TLS_PIN_MISMATCH == static_cast<int>(ErrorCode::TlsPinMismatch));
static_assert(TETHER_PROXY_FAILED == static_cast<int>(ErrorCode::ProxyFailed));
static_assert(TETHER_HANDSHAKE_REJECTED == static_cast<int>(ErrorCode::HandshakeRejected));
static_assert(TETHER_SUBPROTOCOL_MISMATCH == static_cast<int>(ErrorCode::SubprotocolMismatch));
static_assert(TETHER_AUTH_FAILED == static_cast<int>(ErrorCode::AuthFailed));
static_assert(TETHER_MESSAGE_TOO_BIG == static_cast<int>(ErrorCode::MessageTooBig));
static_assert(TETHER_PONG_TIMEOUT == static_cast<int>(ErrorCode::PongTimeout));
static_assert(TETHER_PROTOCOL_ERROR == static_cast<int>(ErrorCode::ProtocolError));
static_assert(TETHER_CONNECTION_LOST == static_cast<int>(ErrorCode::ConnectionLost));
static_assert(TETHER_CANCELLED == static_cast<int>(ErrorCode::Cancelled));
static_assert(TETHER_COOKIE_REJECTED == static_cast<int>(ErrorCode::CookieRejected));
static_assert(TETHER_COOKIE_FILE_CORRUPT == static_cast<int>(ErrorCode::CookieFileCorrupt));
static_assert(TETHER_FILE_ACCESS_FAILED == static_cast<int>(ErrorCode::FileAccessFailed));
static_assert(TETHER_AUTH_EXPIRED == static_cast<int>(ErrorCode::AuthExpired));
static_assert(TETHER_WOULD_BLOCK == static_cast<int>(ErrorCode::WouldBlock));
static_assert(TETHER_NOT_AUTHORIZED == static_cast<int>(ErrorCode::NotAuthorized));
static_assert(TETHER_PEER_UNRESPONSIVE == static_cast<int>(ErrorCode::PeerUnresponsive));

constexpr const char* out_of_memory_message = "out of memory while recording an error message";

}  // namespace

const char* ErrorMessages::get() const noexcept {
  try {
    std::lock_guard lock(mutex_);
    const auto found = by_thread_.find(std::this_thread::get_id());
    if (found == by_thread_.end()) return "";
    return found->second.fixed != nullptr ? found->second.fixed : found->second.text.c_str();
  } catch (...) {
    return "";
  }
}

void ErrorMessages::set(const std::string& message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    Slot& slot = by_thread_[std::this_thread::get_id()];
    try {
      slot.text = message;
      slot.fixed = nullptr;
    } catch (...) {
      slot.fixed = out_of_memory_message;
    }
  } catch (...) {
    // No slot for this thread and no memory for one: get() keeps returning "".
  }
}

void ErrorMessages::set_current_exception(const char* function) noexcept {
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      set(std::string(function) + ": out of memory; nothing was changed");
    } catch (const std::exception& exception) {
      set(std::string(function) + ": internal error (" + exception.what() + "); please report it");
    } catch (...) {
      set(std::string(function) + ": internal error (an unknown exception); please report it");
    }
  } catch (...) {
    set_fixed(out_of_memory_message);  // the message itself could not be built
  }
}

void ErrorMessages::set_fixed(const char* message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    by_thread_[std::this_thread::get_id()].fixed = message;
  } catch (...) {
  }
}

void ErrorMessages::clear() noexcept {
  try {
    std::lock_guard lock(mutex_);
    const auto found = by_thread_.find(std::this_thread::get_id());
    if (found != by_thread_.end()) {
      found->second.text.clear();
      found->second.fixed = nullptr;
    }
  } catch (...) {
  }
}

Outcome null_argument(const char* name) {
  return failure(TETHER_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

tether_code to_c_code(ErrorCode code) noexcept { return static_cast<tether_code>(code); }

Outcome copy_out(const std::string& text, char* buffer, std::size_t size, std::size_t* length) {
  if (buffer == nullptr && size != 0) {
    return failure(TETHER_INVALID_ARGUMENT, "buffer is NULL but size is not 0");
  }
  if (length != nullptr) *length = text.size();
  if (size <= text.size()) {
    return failure(TETHER_BUFFER_TOO_SMALL, "the buffer needs " + std::to_string(text.size() + 1) +
                                                " bytes, NUL included; it has " +
                                                std::to_string(size));
  }
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  return success();
}

bool ascii_iequals(std::string_view left, std::string_view right) noexcept {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (lower(left[i]) != lower(right[i])) return false;
  }
  return true;
}

void set_entry_hook(EntryHook hook) noexcept { entry_hook.store(hook); }

void run_entry_hook() {
  if (const EntryHook hook = entry_hook.load()) hook();
}

}  // namespace tether::c_api
