#include "curl/curl_multi.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/io_context_impl.hpp"

namespace tether::http {
namespace {

/// How long a spare handle stays unused before it is dropped (at most twice this).
constexpr std::chrono::milliseconds spare_lifetime{10};

}  // namespace

/// The multi handle and everything its callbacks reach. Asio handlers hold it weakly: they do
/// nothing once it is gone.
///
/// libcurl forbids calling it back (curl_multi_add_handle, _remove_handle, _cleanup) from inside
/// curl_multi_socket_action, which is where the stream callbacks run. A start, cancel or
/// destruction requested from there is recorded, and carried out by after_action() once
/// socket_action has returned.
class CurlMulti::State : public std::enable_shared_from_this<State> {
 public:
  explicit State(asio::io_context& io)
      : io_(io), timer_(io), spare_sweep_(io), multi_(new_multi()), socket_events_(io) {
    const int set = ::epoll_create1(EPOLL_CLOEXEC);
    std::error_code ec;
    if (set >= 0) socket_events_.assign(set, ec);
    if (set < 0 || ec) {
      if (set >= 0) ::close(set);
      unusable_ = {ErrorCode::InvalidState, std::string("cannot watch libcurl's sockets: ") +
                                                std::strerror(set < 0 ? errno : ec.value())};
    }
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &State::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &State::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  ~State() { tear_down(); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  TransferId start(CurlExchange exchange, Callbacks callbacks) {
    const TransferId id = ++last_id_;
    auto transfer = std::make_unique<Transfer>(id, take_client(), std::move(callbacks));
    if (exchange.tls) keep_tls_context(exchange.tls);
    Error error = closed_     ? Error{ErrorCode::InvalidState, "the transfers were shut down"}
                  : unusable_ ? unusable_
                              : transfer->client->prepare(std::move(exchange), stream_for(id));
    if (!error) {
      CURL* handle = static_cast<CURL*>(transfer->client->native_handle());
      curl_easy_setopt(handle, CURLOPT_PRIVATE, transfer.get());
      curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &State::on_open_socket);
      curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, this);
      curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, &State::on_close_socket);
      curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, this);
    }
    Transfer& added = *transfer;
    transfers_.emplace(id, std::move(transfer));
    if (error) {
      fail_later(id, std::move(error));
    } else if (depth_ == 0) {
      add(added);
    } else {
      added.waiting_to_be_added = true;
      deferred_.push_back(id);  // after_action() adds it
    }
    return id;
  }

  void cancel(TransferId id) {
    const auto found = transfers_.find(id);
    if (found == transfers_.end()) return;
    found->second->cancelled = true;
    found->second->client->silence();
    if (depth_ == 0) {
      remove(found);
    } else {
      deferred_.push_back(id);  // after_action() removes it
    }
  }

  /// Ends everything; from inside socket_action, once it has returned.
  void close() {
    closed_ = true;
    for (auto& [id, transfer] : transfers_) {
      transfer->cancelled = true;
      transfer->client->silence();
    }
    if (depth_ == 0) tear_down();
  }

 private:
  static CURLM* new_multi() {
    initialise_libcurl();
    return curl_multi_init();
  }

  struct Transfer {
    Transfer(TransferId transfer_id, std::unique_ptr<CurlHttpClient> transfer_client,
             Callbacks transfer_callbacks)
        : id(transfer_id),
          client(std::move(transfer_client)),
          callbacks(std::move(transfer_callbacks)) {}
    TransferId id;
    std::unique_ptr<CurlHttpClient> client;
    Callbacks callbacks;
    bool added = false;
    bool waiting_to_be_added = false;
    bool cancelled = false;
    bool tcp_connected = false;  // one of its sockets has a peer
    bool connected_reported = false;
  };

  /// A socket libcurl opened through on_open_socket, and what libcurl wants to know about it.
  struct Socket {
    std::uint32_t serial = 0;         // tells this socket from a later one with the same descriptor
    int wanted = 0;                   // CURL_POLL_IN and CURL_POLL_OUT bits
    bool in_set = false;              // in the epoll set
    std::uint32_t events_in_set = 0;  // what the set watches it for
    bool has_peer = false;  // connected once: the transfers reusing it need no getpeername
  };

  using Transfers = std::map<TransferId, std::unique_ptr<Transfer>>;

  CurlStream stream_for(TransferId id) {
    CurlStream stream;
    stream.head = [this, id](const Response& head) {
      Transfer* transfer = live(id);
      if (transfer == nullptr) return;
      report_connected(*transfer);
      if (transfer->callbacks.stream.head && live(id)) transfer->callbacks.stream.head(head);
    };
    stream.body = [this, id](std::string_view bytes) {
      Transfer* transfer = live(id);
      if (transfer != nullptr && transfer->callbacks.stream.body) {
        transfer->callbacks.stream.body(bytes);
      }
    };
    return stream;
  }

  /// The transfer `id` if it still reports, else null.
  Transfer* live(TransferId id) {
    const auto found = transfers_.find(id);
    if (found == transfers_.end() || found->second->cancelled) return nullptr;
    return found->second.get();
  }

  void add(Transfer& transfer) {
    transfer.waiting_to_be_added = false;
    const CURLMcode code =
        curl_multi_add_handle(multi_, static_cast<CURL*>(transfer.client->native_handle()));
    if (code != CURLM_OK) {
      fail_later(transfer.id, {ErrorCode::InvalidState, std::string("libcurl cannot start a "
                                                                    "transfer: ") +
                                                            curl_multi_strerror(code)});
      return;
    }
    transfer.added = true;
  }

  void remove(Transfers::iterator found) {
    if (found->second->added) {
      curl_multi_remove_handle(multi_, static_cast<CURL*>(found->second->client->native_handle()));
    }
    transfers_.erase(found);
  }

  void fail_later(TransferId id, Error error) {
    asio::post(io_, [weak = weak_from_this(), id, error = std::move(error)] {
      auto self = weak.lock();
      if (!self) return;
      const auto found = self->transfers_.find(id);
      if (found == self->transfers_.end()) return;
      const auto transfer = std::move(found->second);
      self->transfers_.erase(found);
      if (!transfer->cancelled) transfer->callbacks.done(error, {});
    });
  }

  /// A spare handle if there is one, else a new one.
  std::unique_ptr<CurlHttpClient> take_client() {
    if (spare_clients_.empty()) return std::make_unique<CurlHttpClient>();
    spare_taken_ = true;
    auto client = std::move(spare_clients_.back());
    spare_clients_.pop_back();
    return client;
  }

  /// Clears the handle of a finished transfer and keeps it for a later start(), once the event
  /// loop's current turn is over: the clearing (libcurl's reset, the header lines wiped and
  /// freed) would otherwise delay the request that the transfer's `done` starts, which takes
  /// the other spare. Two spares let an emulated session's upstream requests alternate handles.
  void keep_spare_later(std::unique_ptr<CurlHttpClient> client) {
    finishing_clients_.push_back(std::move(client));
    if (std::exchange(finishing_posted_, true)) return;
    asio::post(io_, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->keep_finishing_clients();
    });
  }

  void keep_finishing_clients() {
    constexpr std::size_t max_spares = 2;
    finishing_posted_ = false;
    for (auto& client : std::exchange(finishing_clients_, {})) {
      client->finish();
      if (spare_clients_.size() < max_spares) {
        spare_clients_.push_back(std::move(client));
      }
    }
    if (!spare_clients_.empty() && !spare_sweep_armed_) {
      spare_taken_ = false;
      arm_spare_sweep();
    }
  }

  void arm_spare_sweep() {
    spare_sweep_armed_ = true;
    spare_sweep_.expires_after(spare_lifetime);
    spare_sweep_.async_wait([weak = weak_from_this()](std::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->spare_sweep_armed_ = false;
      if (self->spare_clients_.empty()) return;  // in use; their return arms the sweep again
      if (!self->spare_taken_) {
        self->spare_clients_.clear();
        return;
      }
      self->spare_taken_ = false;
      self->arm_spare_sweep();
    });
  }

  void keep_tls_context(const std::shared_ptr<const tls::ClientTlsContext>& context) {
    // A cached connection's SSL_CTX calls back into its context for as long as it lives.
    for (const auto& kept : tls_contexts_) {
      if (kept == context) return;
    }
    tls_contexts_.push_back(context);
  }

  void report_connected(Transfer& transfer) {
    if (transfer.connected_reported || !transfer.tcp_connected) return;
    transfer.connected_reported = true;
    if (transfer.callbacks.connected) transfer.callbacks.connected();
  }

  // ---- libcurl's callbacks, called from inside curl_multi_* ----

  // libcurl 7.88 closes the socket of a connection that had not finished connecting (a transfer
  // cancelled meanwhile) with close() alone, never calling on_close_socket (curl pull request
  // 11439, fixed in 8.2.0). Its descriptor is then free for any part of the process. So nothing
  // here owns a descriptor beyond what on_close_socket is told: the sockets are watched through
  // an epoll set of this multi's own, from which the kernel drops a closed socket by itself, and
  // an entry of sockets_ left behind by such a close is replaced when its descriptor comes back.

  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address) {
    auto& state = *static_cast<State*>(self);
    if (purpose != CURLSOCKTYPE_IPCXN ||
        (address->family != AF_INET && address->family != AF_INET6)) {
      return CURL_SOCKET_BAD;
    }
    const curl_socket_t descriptor =
        ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (descriptor < 0) return CURL_SOCKET_BAD;
    state.forget(descriptor);  // one libcurl closed on its own, if any
    Socket& socket = state.sockets_[descriptor];
    socket.serial = ++state.last_socket_serial_;
    return descriptor;
  }

  static int on_close_socket(void* self, curl_socket_t descriptor) {
    static_cast<State*>(self)->forget(descriptor);
    return ::close(descriptor);  // which takes it out of the epoll set
  }

  void forget(curl_socket_t descriptor) {
    const auto found = sockets_.find(descriptor);
    if (found == sockets_.end()) return;
    if (found->second.in_set) --sockets_in_set_;
    sockets_.erase(found);
  }

  static int on_socket(CURL* handle, curl_socket_t descriptor, int what, void* self, void*) {
    auto& state = *static_cast<State*>(self);
    const auto found = state.sockets_.find(descriptor);
    if (found == state.sockets_.end()) return 0;
    Socket& socket = found->second;
    if (what != CURL_POLL_REMOVE) state.note_tcp_connection(handle, descriptor, socket);
    socket.wanted = what == CURL_POLL_REMOVE ? 0 : what;
    state.watch(descriptor, socket);
    return 0;
  }

  /// libcurl asks for a connecting socket to become writable and, once it is connected, for
  /// whatever comes next (the TLS handshake, the request): the first request that finds a peer
  /// shows the TCP connection up, before TLS and the proxy tunnel (CURLINFO_CONNECT_TIME_T
  /// waits for TLS). A connection libcurl reuses was seen connected before: asking the kernel
  /// again would cost every request of the emulated transport a system call.
  void note_tcp_connection(CURL* handle, curl_socket_t descriptor, Socket& socket) {
    Transfer* transfer = nullptr;
    curl_easy_getinfo(handle, CURLINFO_PRIVATE, &transfer);
    if (transfer == nullptr || transfer->tcp_connected) return;
    if (!socket.has_peer) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      socket.has_peer = ::getpeername(descriptor, reinterpret_cast<sockaddr*>(&peer), &length) == 0;
    }
    transfer->tcp_connected = socket.has_peer;
    if (transfer->tcp_connected) newly_connected_.push_back(transfer->id);
  }

  static int on_timer(CURLM*, long timeout_ms, void* self) {
    auto& state = *static_cast<State*>(self);
    state.due_now_ = false;  // each call replaces the deadline before it
    if (timeout_ms < 0) {
      state.timer_.cancel();
      return 0;
    }
    if (timeout_ms == 0) {
      // "At once", which libcurl asks for whenever a transfer starts. Without the timer's cost
      // (a timerfd update to arm it and one to re-arm the next timer, and an epoll wait
      // between), which every emulated request paid: asked from inside act(), as when a
      // response's callback starts the next request, act() runs it before it returns;
      // otherwise a posted handler runs it on the event loop's next turn. The timer's earlier
      // deadline is replaced, as libcurl's contract says.
      state.timer_.cancel();
      if (state.acting_) {
        state.due_now_ = true;
      } else {
        state.post_action_now();
      }
      return 0;
    }
    state.timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    state.timer_.async_wait([weak = state.weak_from_this()](std::error_code ec) {
      if (ec) return;
      if (auto locked = weak.lock()) locked->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  }

  // ---- the event loop's side ----

  /// Puts `socket` in the epoll set for what libcurl wants of it. A socket libcurl no longer
  /// watches (a connection kept for reuse between requests) stays in the set, so that the next
  /// request on it costs no system call when it wants the same events; an event that comes
  /// while nobody wants it takes the socket out (act_on_ready_sockets).
  void watch(curl_socket_t descriptor, Socket& socket) {
    if (socket.wanted == 0) return;
    const std::uint32_t events = ((socket.wanted & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) |
                                 ((socket.wanted & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
    if (!socket.in_set || socket.events_in_set != events) {
      epoll_event event{};
      event.events = events;
      event.data.u64 =
          (std::uint64_t{socket.serial} << 32) | static_cast<std::uint32_t>(descriptor);
      if (::epoll_ctl(socket_set(), socket.in_set ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, descriptor,
                      &event) != 0) {
        // Out of memory, or an inconsistency that a failed transfer will show: libcurl's own
        // timeouts end a transfer whose socket is never reported.
        return;
      }
      if (!socket.in_set) ++sockets_in_set_;
      socket.in_set = true;
      socket.events_in_set = events;
    }
    watch_socket_set();
  }

  void take_out_of_set(curl_socket_t descriptor, Socket& socket) {
    ::epoll_ctl(socket_set(), EPOLL_CTL_DEL, descriptor, nullptr);
    socket.in_set = false;
    --sockets_in_set_;
  }

  int socket_set() { return socket_events_.native_handle(); }

  void watch_socket_set() {
    if (socket_set_watched_ || sockets_in_set_ == 0) return;
    socket_set_watched_ = true;
    socket_events_.async_wait(asio::posix::stream_descriptor::wait_read,
                              [weak = weak_from_this()](std::error_code ec) {
                                auto self = weak.lock();
                                if (!self) return;
                                self->socket_set_watched_ = false;
                                if (ec) return;
                                self->act_on_ready_sockets();
                                self->watch_socket_set();
                              });
  }

  /// The epoll set is level-triggered: what a call of libcurl leaves unread is reported again.
  void act_on_ready_sockets() {
    constexpr int most_at_once = 64;
    epoll_event ready[most_at_once];
    const int count = ::epoll_wait(socket_set(), ready, most_at_once, 0);
    for (int i = 0; i < count && !closed_; ++i) {
      const auto descriptor = static_cast<curl_socket_t>(ready[i].data.u64 & 0xffffffffu);
      const auto serial = static_cast<std::uint32_t>(ready[i].data.u64 >> 32);
      // Looked up again each time: an action may close sockets and open others.
      const auto found = sockets_.find(descriptor);
      if (found == sockets_.end() || found->second.serial != serial) continue;
      const int wanted = found->second.wanted;
      if (wanted == 0) {
        take_out_of_set(descriptor, found->second);
        continue;
      }
      const std::uint32_t what = ready[i].events;
      int events = 0;
      if ((wanted & CURL_POLL_IN) != 0 && (what & (EPOLLIN | EPOLLHUP)) != 0) {
        events |= CURL_CSELECT_IN;
      }
      if ((wanted & CURL_POLL_OUT) != 0 && (what & (EPOLLOUT | EPOLLHUP)) != 0) {
        events |= CURL_CSELECT_OUT;
      }
      if ((what & EPOLLERR) != 0) events |= CURL_CSELECT_ERR;
      if (events != 0) act(descriptor, events);
    }
  }

  void act(curl_socket_t descriptor, int events) {
    if (closed_) return;
    const auto keep_alive = shared_from_this();  // a callback may destroy the CurlMulti
    acting_ = true;
    socket_action(descriptor, events);
    if (due_now_ && !closed_) {
      due_now_ = false;
      socket_action(CURL_SOCKET_TIMEOUT, 0);
    }
    acting_ = false;
    // Asked again by the action just run: once per act(), so that a transfer libcurl keeps
    // asking to run at once cannot keep the event loop from other connections' events.
    if (std::exchange(due_now_, false) && !closed_) post_action_now();
  }

  void socket_action(curl_socket_t descriptor, int events) {
    int running = 0;
    ++depth_;
    curl_multi_socket_action(multi_, descriptor, events, &running);
    --depth_;
    after_action();
  }

  void post_action_now() {
    asio::post(io_, [weak = weak_from_this()] {
      if (auto locked = weak.lock()) locked->act(CURL_SOCKET_TIMEOUT, 0);
    });
  }

  /// What socket_action left to do, in work proportional to what it did rather than to the
  /// transfers under way: a CurlMulti shared by an IoContext's connections holds two transfers
  /// for each of them.
  void after_action() {
    const std::vector<TransferId> connected = std::exchange(newly_connected_, {});
    for (const TransferId id : connected) {
      // Looked up again each time: a connected callback may cancel any transfer.
      if (Transfer* transfer = live(id); transfer != nullptr && !closed_) {
        report_connected(*transfer);
      }
    }
    finish_completed();
    const std::vector<TransferId> deferred = std::exchange(deferred_, {});
    for (const TransferId id : deferred) {
      if (closed_) break;
      const auto found = transfers_.find(id);
      if (found == transfers_.end()) continue;  // finished, or listed twice
      if (found->second->cancelled) {
        remove(found);
      } else if (found->second->waiting_to_be_added) {
        add(*found->second);
      }
    }
    if (closed_) tear_down();
  }

  void finish_completed() {
    int left = 0;
    while (!closed_) {
      CURLMsg* message = curl_multi_info_read(multi_, &left);
      if (message == nullptr) break;
      if (message->msg != CURLMSG_DONE) continue;
      CURL* handle = message->easy_handle;
      const CURLcode code = message->data.result;
      Transfer* finished = nullptr;
      curl_easy_getinfo(handle, CURLINFO_PRIVATE, &finished);
      const auto found = transfers_.find(finished->id);
      if (found == transfers_.end()) continue;
      std::unique_ptr<Transfer> transfer = std::move(found->second);
      transfers_.erase(found);
      curl_multi_remove_handle(multi_, handle);
      if (transfer->cancelled) continue;
      report_connected(*transfer);
      CurlOutcome outcome;
      const Error error = transfer->client->complete(code, outcome);
      keep_spare_later(std::move(transfer->client));
      if (!transfer->cancelled) transfer->callbacks.done(error, outcome);
    }
  }

  void tear_down() {
    if (multi_ == nullptr) return;
    for (auto& [id, transfer] : transfers_) {
      if (transfer->added) {
        curl_multi_remove_handle(multi_, static_cast<CURL*>(transfer->client->native_handle()));
      }
    }
    transfers_.clear();
    spare_clients_.clear();
    finishing_clients_.clear();
    spare_sweep_.cancel();
    curl_multi_cleanup(multi_);  // closes the cached connections through on_close_socket
    multi_ = nullptr;
    timer_.cancel();
    // What is left was closed by libcurl without a word: its descriptors are not ours any more.
    sockets_.clear();
    sockets_in_set_ = 0;
    std::error_code ignored;
    socket_events_.close(ignored);
  }

  asio::io_context& io_;
  asio::steady_timer timer_;
  /// Handles of finished transfers, for the next start()s: a new handle costs libcurl an
  /// allocation, its zeroing and its teardown, about 14,000 instructions, and the emulated
  /// transport makes a request of every upstream message. They are kept while requests follow
  /// each other: a sweep every spare_lifetime drops them unless a start() took one since the
  /// last sweep, so that an idle connection does not hold handles it does not use (about 8 KiB
  /// each).
  std::vector<std::unique_ptr<CurlHttpClient>> spare_clients_;
  /// Handles of transfers finished during this turn of the event loop, not yet cleared.
  std::vector<std::unique_ptr<CurlHttpClient>> finishing_clients_;
  bool finishing_posted_ = false;
  bool spare_taken_ = false;
  bool spare_sweep_armed_ = false;
  asio::steady_timer spare_sweep_;
  CURLM* multi_;
  Transfers transfers_;
  /// The epoll set libcurl's sockets are watched through, as one descriptor of the event loop.
  asio::posix::stream_descriptor socket_events_;
  bool socket_set_watched_ = false;
  std::size_t sockets_in_set_ = 0;
  Error unusable_;  // set when the epoll set could not be made
  std::unordered_map<curl_socket_t, Socket> sockets_;
  std::vector<std::shared_ptr<const tls::ClientTlsContext>> tls_contexts_;
  std::vector<TransferId> newly_connected_;  // whose `connected` after_action() reports
  std::vector<TransferId> deferred_;         // cancelled or started inside socket_action
  TransferId last_id_ = 0;
  std::uint32_t last_socket_serial_ = 0;
  int depth_ = 0;         // > 0 while inside curl_multi_socket_action
  bool acting_ = false;   // inside act(): socket_action and what after_action() does
  bool due_now_ = false;  // libcurl asked, inside act(), for its timeout to expire at once
  bool closed_ = false;
};

namespace {
/// What IoContext::Impl::plain_http_multis holds.
struct SharedMultis {
  std::vector<std::weak_ptr<CurlMulti>> multis;
};
}  // namespace

CurlMulti::CurlMulti(IoContext& io) : state_(std::make_shared<State>(io_context_impl(io).io)) {}

CurlMulti::~CurlMulti() { state_->close(); }

std::shared_ptr<CurlMulti> CurlMulti::shared_for_plain_http(IoContext& io) {
  constexpr long users_per_multi = 16;
  std::shared_ptr<void>& slot = io_context_impl(io).plain_http_multis;
  if (!slot) slot = std::make_shared<SharedMultis>();
  auto& multis = static_cast<SharedMultis*>(slot.get())->multis;
  multis.erase(
      std::remove_if(multis.begin(), multis.end(),
                     [](const std::weak_ptr<CurlMulti>& multi) { return multi.expired(); }),
      multis.end());
  for (const auto& multi : multis) {
    if (multi.use_count() < users_per_multi) return multi.lock();
  }
  auto made = std::make_shared<CurlMulti>(io);
  multis.push_back(made);
  return made;
}

CurlMulti::TransferId CurlMulti::start(CurlExchange exchange, Callbacks callbacks) {
  return state_->start(std::move(exchange), std::move(callbacks));
}

void CurlMulti::cancel(TransferId id) { state_->cancel(id); }

}  // namespace tether::http
