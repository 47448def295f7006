#include "tether_test/silent_listener.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "io_thread.hpp"
#include "loopback_acceptor.hpp"

namespace tether::test {

// Members are destroyed in reverse order: the sockets and the acceptor go before the io_context.
struct SilentListener::State {
  IoThread io_thread;
  mutable std::mutex mutex;
  mutable std::condition_variable accepted_more;
  std::size_t accepted = 0;                               // guarded by mutex
  std::vector<boost::asio::ip::tcp::socket> connections;  // touched on io_thread only
  LoopbackAcceptor acceptor{io_thread.io(), [this](boost::asio::ip::tcp::socket socket) {
                              connections.push_back(std::move(socket));
                              const std::lock_guard lock(mutex);
                              ++accepted;
                              accepted_more.notify_all();
                            }};
};

SilentListener::SilentListener() : state_(std::make_unique<State>()) {}

SilentListener::~SilentListener() { state_->io_thread.stop(); }

std::uint16_t SilentListener::port() const { return state_->acceptor.port(); }

std::size_t SilentListener::accepted() const {
  const std::lock_guard lock(state_->mutex);
  return state_->accepted;
}

bool SilentListener::wait_for_accepted(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->accepted_more.wait_for(lock, timeout, [&] { return state_->accepted >= count; });
}

}  // namespace tether::test
