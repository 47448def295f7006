#include "tether_test/upgrade_blocker.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <utility>

#include "io_thread.hpp"
#include "loopback_acceptor.hpp"
#include "tunnel.hpp"

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

struct BlockerRecord {
  std::atomic<std::size_t> upgrades_blocked{0};
  std::atomic<std::size_t> connections_relayed{0};
};

bool asks_for_upgrade(std::string head) {
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return head.find("\nupgrade: websocket") != std::string::npos ||
         head.find("\nupgrade:websocket") != std::string::npos;
}

// One client connection: its first request head decides between answering and relaying.
class BlockerSession : public std::enable_shared_from_this<BlockerSession> {
 public:
  BlockerSession(tcp::socket client, std::uint16_t upstream_port, const std::string& answer,
                 BlockerRecord& record)
      : client_(std::move(client)),
        upstream_(client_.get_executor()),
        upstream_port_(upstream_port),
        answer_(answer),
        record_(record) {}

  void read_head() {
    boost::asio::async_read_until(
        client_, boost::asio::dynamic_buffer(received_), "\r\n\r\n",
        [self = shared_from_this()](boost::system::error_code error, std::size_t) {
          if (!error) self->on_head();
        });
  }

 private:
  void on_head() {
    if (!asks_for_upgrade(received_)) {
      relay();
      return;
    }
    ++record_.upgrades_blocked;
    if (answer_.empty()) {
      boost::system::error_code ignored;
      client_.close(ignored);
      return;
    }
    boost::asio::async_write(client_, boost::asio::buffer(answer_),
                             [self = shared_from_this()](boost::system::error_code, std::size_t) {
                               boost::system::error_code ignored;
                               self->client_.shutdown(tcp::socket::shutdown_both, ignored);
                               self->client_.close(ignored);
                             });
  }

  void relay() {
    const tcp::endpoint upstream(boost::asio::ip::address_v4::loopback(), upstream_port_);
    upstream_.async_connect(upstream, [self = shared_from_this()](boost::system::error_code error) {
      if (error) return;
      ++self->record_.connections_relayed;
      start_tunnel(std::move(self->client_), std::move(self->upstream_),
                   std::move(self->received_));
    });
  }

  tcp::socket client_;
  tcp::socket upstream_;
  std::uint16_t upstream_port_;
  const std::string& answer_;
  BlockerRecord& record_;
  std::string received_;
};

}  // namespace

// Members are destroyed in reverse order: the acceptor goes before the io_context, and sessions
// (kept alive by their pending handlers) go with the io_context, never touching the rest.
struct UpgradeBlocker::State {
  State(std::uint16_t port, std::string blocked_answer)
      : upstream_port(port), answer(std::move(blocked_answer)) {}

  std::uint16_t upstream_port;
  std::string answer;
  BlockerRecord record;
  IoThread io_thread;
  LoopbackAcceptor acceptor{io_thread.io(), [this](tcp::socket socket) {
                              std::make_shared<BlockerSession>(std::move(socket), upstream_port,
                                                               answer, record)
                                  ->read_head();
                            }};
};

UpgradeBlocker::UpgradeBlocker(std::uint16_t upstream_port, std::string answer)
    : state_(std::make_unique<State>(upstream_port, std::move(answer))) {}

UpgradeBlocker::~UpgradeBlocker() { state_->io_thread.stop(); }

std::uint16_t UpgradeBlocker::port() const { return state_->acceptor.port(); }

std::string UpgradeBlocker::ws_url(const std::string& path) const {
  return "ws://127.0.0.1:" + std::to_string(port()) + path;
}

std::size_t UpgradeBlocker::upgrades_blocked() const {
  return state_->record.upgrades_blocked.load();
}

std::size_t UpgradeBlocker::connections_relayed() const {
  return state_->record.connections_relayed.load();
}

}  // namespace tether::test
