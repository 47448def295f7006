#include "tether_test/silent_listener.hpp"

#include <atomic>
#include <vector>

#include "io_thread.hpp"
#include "loopback_acceptor.hpp"

namespace tether::test {

// Members are destroyed in reverse order: the sockets and the acceptor go before the io_context.
struct SilentListener::State {
  IoThread io_thread;
  std::atomic<std::size_t> accepted{0};
  std::vector<boost::asio::ip::tcp::socket> connections;  // touched on io_thread only
  LoopbackAcceptor acceptor{io_thread.io(), [this](boost::asio::ip::tcp::socket socket) {
                              connections.push_back(std::move(socket));
                              ++accepted;
                            }};
};

SilentListener::SilentListener() : state_(std::make_unique<State>()) {}

SilentListener::~SilentListener() { state_->io_thread.stop(); }

std::uint16_t SilentListener::port() const { return state_->acceptor.port(); }

std::size_t SilentListener::accepted() const { return state_->accepted.load(); }

}  // namespace tether::test
