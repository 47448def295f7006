// tether_client_*: the C face of tether::Client, on the shared I/O thread or a tether_io_context.
// The C callbacks live in a table shared with the C++ handlers, so that they can be replaced at
// any time and so that a client freed from inside its own callback is never called again.
#include "tether/client.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "api.hpp"
#include "io_context_handle.hpp"
#include "options_handle.hpp"

using tether::c_api::failure;
using tether::c_api::from_error;
using tether::c_api::guarded;
using tether::c_api::success;

namespace {

template <class Callback>
struct Slot {
  Callback callback = nullptr;
  void* user = nullptr;
};

/// The application's callbacks. `handle` becomes null when the client is freed: an event being
/// delivered at that moment finishes, later ones find no handle and are dropped.
struct CallbackTable {
  std::mutex mutex;
  tether_client* handle = nullptr;
  Slot<tether_state_callback> state;
  Slot<tether_message_callback> message;
  Slot<tether_error_callback> error;
  Slot<tether_close_callback> close;
  Slot<tether_pong_callback> pong;
  Slot<tether_revalidation_callback> revalidation;
  Slot<tether_reconnecting_callback> reconnecting;
  Slot<tether_reconnected_callback> reconnected;
  Slot<tether_writable_callback> writable;
  Slot<tether_transport_callback> transport;

  /// The handle and the slot's callback, read together under the lock.
  template <class Callback>
  std::pair<tether_client*, Slot<Callback>> read(Slot<Callback> CallbackTable::*slot) {
    std::lock_guard lock(mutex);
    return {handle, this->*slot};
  }
};

}  // namespace

struct tether_client {
  explicit tether_client(std::shared_ptr<tether::IoContext> io) : client(std::move(io)) {}

  std::shared_ptr<CallbackTable> callbacks = std::make_shared<CallbackTable>();
  mutable tether::c_api::ErrorMessages messages;  // written by the const queries too
  tether::Client client;

  // A client freed from its own callback while another thread is inside a call on it (the
  // tether_client_connect that started the connection, a send) is deleted when that call returns.
  mutable std::mutex calls_mutex;
  mutable int calls_in_progress = 0;
  mutable bool freed = false;
};

namespace {

/// Keeps the handle alive for the duration of one entry point's call.
class CallInProgress {
 public:
  explicit CallInProgress(const tether_client* client) : client_(client) {
    std::lock_guard lock(client_->calls_mutex);
    ++client_->calls_in_progress;
  }
  ~CallInProgress() {
    bool last_call_of_a_freed_client = false;
    {
      std::lock_guard lock(client_->calls_mutex);
      last_call_of_a_freed_client = --client_->calls_in_progress == 0 && client_->freed;
    }
    if (last_call_of_a_freed_client) delete client_;
  }
  CallInProgress(const CallInProgress&) = delete;
  CallInProgress& operator=(const CallInProgress&) = delete;

 private:
  const tether_client* client_;
};

/// body() with `client` kept alive until it returns; `otherwise` when the client's lock fails,
/// which only a broken program sees.
template <class Result, class Body>
Result during_call(const tether_client* client, Result otherwise, Body&& body) noexcept {
  try {
    const CallInProgress call(client);
    return body();
  } catch (...) {
    return otherwise;
  }
}

/// guarded() on `client`'s messages, during a call on `client`.
template <class Body>
tether_code guarded_call(const tether_client* client, const char* function, Body&& body) noexcept {
  if (client == nullptr) return TETHER_INVALID_ARGUMENT;
  return during_call(client, TETHER_INTERNAL_ERROR,
                     [&] { return guarded(&client->messages, function, body); });
}

/// The error that a client's error callback is reporting on this thread, for
/// tether_client_error_message_id: the callback's arguments have no room for the message id, and
/// an accessor valid during the callback keeps the callback's type as it was.
struct ErrorBeingReported {
  const tether_client* client = nullptr;
  std::uint64_t message_id = 0;
};
thread_local ErrorBeingReported error_being_reported;

/// Makes `error` the one being reported on this thread for the lifetime of the object.
class ReportingError {
 public:
  ReportingError(const tether_client* client, const tether::Error& error)
      : previous_(error_being_reported) {
    error_being_reported = {client, error.message_id};
  }
  ~ReportingError() { error_being_reported = previous_; }
  ReportingError(const ReportingError&) = delete;
  ReportingError& operator=(const ReportingError&) = delete;

 private:
  ErrorBeingReported previous_;
};

static_assert(TETHER_REVALIDATION_STARTED ==
              static_cast<int>(tether::Revalidation::Phase::Started));
static_assert(TETHER_REVALIDATION_SUCCEEDED ==
              static_cast<int>(tether::Revalidation::Phase::Succeeded));
static_assert(TETHER_REVALIDATION_FAILED == static_cast<int>(tether::Revalidation::Phase::Failed));
static_assert(sizeof(unsigned long long) >= sizeof(std::uint64_t));

// The C++ handlers, installed once per client. They run on the I/O thread and call C code, so
// they copy what the callback needs and catch everything the copying could throw.
void install_handlers(tether_client& handle) {
  const std::shared_ptr<CallbackTable> table = handle.callbacks;
  handle.client.on_state_changed([table](tether::State from, tether::State to) {
    const auto [client, slot] = table->read(&CallbackTable::state);
    if (client != nullptr && slot.callback != nullptr) {
      slot.callback(client, static_cast<tether_state>(from), static_cast<tether_state>(to),
                    slot.user);
    }
  });
  handle.client.on_message([table](const tether::Message& message) {
    const auto [client, slot] = table->read(&CallbackTable::message);
    if (client != nullptr && slot.callback != nullptr) {
      slot.callback(
          client,
          message.kind == tether::MessageKind::Text ? TETHER_MESSAGE_TEXT : TETHER_MESSAGE_BINARY,
          message.data.data(), message.data.size(), slot.user);
    }
  });
  handle.client.on_error([table](const tether::Error& error) {
    const auto [client, slot] = table->read(&CallbackTable::error);
    if (client != nullptr && slot.callback != nullptr) {
      const ReportingError reporting(client, error);
      slot.callback(client, tether::c_api::to_c_code(error.code), error.message.c_str(),
                    error.http_status, slot.user);
    }
  });
  handle.client.on_closed([table](const tether::CloseInfo& close) {
    const auto [client, slot] = table->read(&CallbackTable::close);
    if (client != nullptr && slot.callback != nullptr) {
      tether_close_info info{};
      info.code = close.code;
      info.reason = close.reason.c_str();
      info.error = tether::c_api::to_c_code(close.error.code);
      info.message = close.error.message.c_str();
      info.http_status = close.error.http_status;
      info.closed_by_peer = close.closed_by_peer ? 1 : 0;
      slot.callback(client, &info, slot.user);
    }
  });
  handle.client.on_pong([table](const tether::Pong& pong) {
    const auto [client, slot] = table->read(&CallbackTable::pong);
    if (client != nullptr && slot.callback != nullptr) {
      slot.callback(client, pong.payload.data(), pong.payload.size(),
                    static_cast<unsigned long long>(pong.elapsed.count()), slot.user);
    }
  });
  handle.client.on_revalidation([table](const tether::Revalidation& revalidation) {
    const auto [client, slot] = table->read(&CallbackTable::revalidation);
    if (client != nullptr && slot.callback != nullptr) {
      tether_revalidation_info info{};
      info.phase = static_cast<tether_revalidation_phase>(revalidation.phase);
      info.url = revalidation.url.c_str();
      info.http_status = revalidation.http_status;
      info.error = tether::c_api::to_c_code(revalidation.error.code);
      info.message = revalidation.error.message.c_str();
      slot.callback(client, &info, slot.user);
    }
  });
  handle.client.on_reconnecting([table](const tether::ReconnectAttempt& attempt) {
    const auto [client, slot] = table->read(&CallbackTable::reconnecting);
    if (client != nullptr && slot.callback != nullptr) {
      tether_reconnect_attempt_info info{};
      info.attempt = attempt.attempt;
      info.delay_ms = static_cast<unsigned long long>(attempt.delay.count());
      info.reason = tether::c_api::to_c_code(attempt.reason.code);
      info.message = attempt.reason.message.c_str();
      info.http_status = attempt.reason.http_status;
      slot.callback(client, &info, slot.user);
    }
  });
  handle.client.on_reconnected([table](const tether::Reconnected& reconnected) {
    const auto [client, slot] = table->read(&CallbackTable::reconnected);
    if (client != nullptr && slot.callback != nullptr) {
      tether_reconnected_info info{};
      info.resumed = reconnected.resumed ? 1 : 0;
      info.attempts = reconnected.attempts;
      info.transport = static_cast<tether_transport>(reconnected.transport);
      info.first_unconfirmed = reconnected.first_unconfirmed;
      info.last_unconfirmed = reconnected.last_unconfirmed;
      slot.callback(client, &info, slot.user);
    }
  });
  handle.client.on_writable([table] {
    const auto [client, slot] = table->read(&CallbackTable::writable);
    if (client != nullptr && slot.callback != nullptr) slot.callback(client, slot.user);
  });
  handle.client.on_transport_changed(
      [table](tether::TransportKind kind, const tether::Error& reason) {
        const auto [client, slot] = table->read(&CallbackTable::transport);
        if (client != nullptr && slot.callback != nullptr) {
          tether_transport_change_info info{};
          info.transport = static_cast<tether_transport>(kind);
          info.reason = tether::c_api::to_c_code(reason.code);
          info.message = reason.message.c_str();
          info.http_status = reason.http_status;
          slot.callback(client, &info, slot.user);
        }
      });
}

tether_client* new_client(std::shared_ptr<tether::IoContext> io) {
  auto handle = std::make_unique<tether_client>(std::move(io));
  handle->callbacks->handle = handle.get();
  install_handlers(*handle);
  return handle.release();
}

template <class Callback>
tether_code set_callback(tether_client* client, const char* function,
                         Slot<Callback> CallbackTable::*slot, Callback callback, void* user) {
  return guarded_call(client, function, [&] {
    std::lock_guard lock(client->callbacks->mutex);
    (*client->callbacks).*slot = Slot<Callback>{callback, user};
    return success();
  });
}

/// tether_client_send_text_numbered and _binary_numbered: `bytes` as `kind`, its number in
/// `*number` when given.
tether_code send_message(tether_client* client, const char* function, tether::MessageKind kind,
                         const void* data, size_t length, unsigned long long* number) {
  if (number != nullptr) *number = 0;
  return guarded_call(client, function, [&] {
    if (data == nullptr && length != 0) {
      const char* name = kind == tether::MessageKind::Text ? "text" : "data";
      return failure(TETHER_INVALID_ARGUMENT, std::string(name) + " is NULL but length is not 0");
    }
    const std::string_view bytes{data == nullptr ? "" : static_cast<const char*>(data), length};
    std::uint64_t queued = 0;
    const tether::Error error = kind == tether::MessageKind::Text
                                    ? client->client.send_text(bytes, &queued)
                                    : client->client.send_binary(bytes, &queued);
    if (!error && number != nullptr) *number = queued;
    return from_error(error);
  });
}

}  // namespace

extern "C" {

tether_client* tether_client_create(void) {
  return tether::c_api::guarded_create([] { return new_client(tether::IoContext::shared()); });
}

tether_client* tether_client_create_on(tether_io_context* io) {
  if (io == nullptr) return nullptr;
  return tether::c_api::guarded_create([io] { return new_client(io->io); });
}

void tether_client_free(tether_client* client) {
  if (client == nullptr) return;
  bool calls_in_progress = false;
  try {
    {
      std::lock_guard lock(client->callbacks->mutex);
      client->callbacks->handle = nullptr;
    }
    std::lock_guard lock(client->calls_mutex);
    client->freed = true;
    calls_in_progress = client->calls_in_progress > 0;
  } catch (...) {
    // std::mutex::lock failing means a broken program; the client is freed all the same.
  }
  // The last call in progress deletes it (a free from a callback while the thread that connected
  // is still returning). ~Client waits for a callback running on another thread; from the
  // client's own callback it lets that callback finish, and the table keeps the dropped events
  // away from the freed handle.
  if (!calls_in_progress) delete client;
}

tether_code tether_client_set_state_callback(tether_client* client, tether_state_callback callback,
                                             void* user) {
  return set_callback(client, "tether_client_set_state_callback", &CallbackTable::state, callback,
                      user);
}

tether_code tether_client_set_message_callback(tether_client* client,
                                               tether_message_callback callback, void* user) {
  return set_callback(client, "tether_client_set_message_callback", &CallbackTable::message,
                      callback, user);
}

tether_code tether_client_set_error_callback(tether_client* client, tether_error_callback callback,
                                             void* user) {
  return set_callback(client, "tether_client_set_error_callback", &CallbackTable::error, callback,
                      user);
}

tether_code tether_client_set_close_callback(tether_client* client, tether_close_callback callback,
                                             void* user) {
  return set_callback(client, "tether_client_set_close_callback", &CallbackTable::close, callback,
                      user);
}

tether_code tether_client_set_pong_callback(tether_client* client, tether_pong_callback callback,
                                            void* user) {
  return set_callback(client, "tether_client_set_pong_callback", &CallbackTable::pong, callback,
                      user);
}

tether_code tether_client_set_revalidation_callback(tether_client* client,
                                                    tether_revalidation_callback callback,
                                                    void* user) {
  return set_callback(client, "tether_client_set_revalidation_callback",
                      &CallbackTable::revalidation, callback, user);
}

tether_code tether_client_set_reconnecting_callback(tether_client* client,
                                                    tether_reconnecting_callback callback,
                                                    void* user) {
  return set_callback(client, "tether_client_set_reconnecting_callback",
                      &CallbackTable::reconnecting, callback, user);
}

tether_code tether_client_set_reconnected_callback(tether_client* client,
                                                   tether_reconnected_callback callback,
                                                   void* user) {
  return set_callback(client, "tether_client_set_reconnected_callback", &CallbackTable::reconnected,
                      callback, user);
}

tether_code tether_client_set_writable_callback(tether_client* client,
                                                tether_writable_callback callback, void* user) {
  return set_callback(client, "tether_client_set_writable_callback", &CallbackTable::writable,
                      callback, user);
}

tether_code tether_client_set_transport_callback(tether_client* client,
                                                 tether_transport_callback callback, void* user) {
  return set_callback(client, "tether_client_set_transport_callback", &CallbackTable::transport,
                      callback, user);
}

tether_code tether_client_error_message_id(const tether_client* client,
                                           unsigned long long* message_id) {
  if (client == nullptr || message_id == nullptr) return TETHER_INVALID_ARGUMENT;
  // Read without touching the client: this thread wrote it, in the callback now running.
  if (error_being_reported.client != client) return TETHER_INVALID_STATE;
  *message_id = error_being_reported.message_id;
  return TETHER_OK;
}

tether_code tether_client_connect(tether_client* client, const tether_options* options) {
  return guarded_call(client, "tether_client_connect", [&] {
    if (options == nullptr) return failure(TETHER_INVALID_ARGUMENT, "options is NULL");
    return from_error(client->client.connect(options->connect_options));
  });
}

tether_code tether_client_send_text(tether_client* client, const char* text, size_t length) {
  return send_message(client, "tether_client_send_text", tether::MessageKind::Text, text, length,
                      nullptr);
}

tether_code tether_client_send_binary(tether_client* client, const void* data, size_t length) {
  return send_message(client, "tether_client_send_binary", tether::MessageKind::Binary, data,
                      length, nullptr);
}

tether_code tether_client_send_text_numbered(tether_client* client, const char* text, size_t length,
                                             unsigned long long* number) {
  return send_message(client, "tether_client_send_text_numbered", tether::MessageKind::Text, text,
                      length, number);
}

tether_code tether_client_send_binary_numbered(tether_client* client, const void* data,
                                               size_t length, unsigned long long* number) {
  return send_message(client, "tether_client_send_binary_numbered", tether::MessageKind::Binary,
                      data, length, number);
}

tether_code tether_client_ping(tether_client* client, const void* payload, size_t length) {
  return guarded_call(client, "tether_client_ping", [&] {
    if (payload == nullptr && length != 0) {
      return failure(TETHER_INVALID_ARGUMENT, "payload is NULL but length is not 0");
    }
    const char* bytes = payload == nullptr ? "" : static_cast<const char*>(payload);
    return from_error(client->client.ping({bytes, length}));
  });
}

tether_code tether_client_close(tether_client* client, unsigned code, const char* reason) {
  return guarded_call(client, "tether_client_close", [&] {
    if (code > 0xFFFF) {
      return failure(TETHER_INVALID_ARGUMENT,
                     "close code " + std::to_string(code) + " is not a 16-bit value");
    }
    return from_error(
        client->client.close(static_cast<std::uint16_t>(code), reason == nullptr ? "" : reason));
  });
}

tether_code tether_client_state(const tether_client* client, tether_state* state) {
  if (client == nullptr || state == nullptr) return TETHER_INVALID_ARGUMENT;
  return during_call(client, TETHER_INTERNAL_ERROR, [&] {
    *state = static_cast<tether_state>(client->client.state());
    return TETHER_OK;
  });
}

tether_code tether_client_transport(const tether_client* client, tether_transport* transport) {
  if (client == nullptr || transport == nullptr) return TETHER_INVALID_ARGUMENT;
  return during_call(client, TETHER_INTERNAL_ERROR, [&] {
    *transport = static_cast<tether_transport>(client->client.transport());
    return TETHER_OK;
  });
}

tether_code tether_client_subprotocol(const tether_client* client, char* buffer, size_t size,
                                      size_t* length) {
  return guarded_call(client, "tether_client_subprotocol", [&] {
    return tether::c_api::copy_out(client->client.subprotocol(), buffer, size, length);
  });
}

const char* tether_client_errmsg(const tether_client* client) {
  if (client == nullptr) return "the tether_client is NULL";
  return during_call(client, "", [&] { return client->messages.get(); });
}

}  // extern "C"
