#include "tether_test/misbehaving_server.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "base64.hpp"
#include "io_thread.hpp"
#include "loopback_acceptor.hpp"

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

// The value of the header `name` (given in lower case) in `head`, or empty.
std::string header_value(const std::string& head, const std::string& name) {
  std::string lowered = head;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto start = lowered.find("\r\n" + name + ":");
  if (start == std::string::npos) return {};
  auto value_start = start + 3 + name.size();
  const auto value_end = head.find("\r\n", value_start);
  while (value_start < value_end && head[value_start] == ' ') ++value_start;
  return head.substr(value_start, value_end - value_start);
}

// One connection: its first request head gets the scripted answer, then the server only reads.
class MisbehavingSession : public std::enable_shared_from_this<MisbehavingSession> {
 public:
  MisbehavingSession(tcp::socket socket, const MisbehavingServer::Answer& answer,
                     std::atomic<std::size_t>& answered)
      : socket_(std::move(socket)), answer_(answer), answered_(answered) {}

  void read_head() {
    boost::asio::async_read_until(
        socket_, boost::asio::dynamic_buffer(received_), "\r\n\r\n",
        [self = shared_from_this()](boost::system::error_code error, std::size_t head_size) {
          if (error) return;
          self->reply_ = self->answer_(self->received_.substr(0, head_size));
          ++self->answered_;
          boost::asio::async_write(self->socket_, boost::asio::buffer(self->reply_),
                                   [self](boost::system::error_code write_error, std::size_t) {
                                     if (!write_error) self->drain();
                                   });
        });
  }

 private:
  void drain() {
    socket_.async_read_some(
        boost::asio::buffer(scratch_),
        [self = shared_from_this()](boost::system::error_code error, std::size_t) {
          if (!error) self->drain();
        });
  }

  tcp::socket socket_;
  const MisbehavingServer::Answer& answer_;
  std::atomic<std::size_t>& answered_;
  std::string received_;
  std::string reply_;
  char scratch_[4096] = {};
};

}  // namespace

// Members are destroyed in reverse order: the acceptor goes before the io_context, and sessions
// (kept alive by their pending handlers) go with the io_context.
struct MisbehavingServer::State {
  explicit State(Answer scripted) : answer(std::move(scripted)) {}

  Answer answer;
  std::atomic<std::size_t> answered{0};
  IoThread io_thread;
  LoopbackAcceptor acceptor{
      io_thread.io(), [this](tcp::socket socket) {
        std::make_shared<MisbehavingSession>(std::move(socket), answer, answered)->read_head();
      }};
};

MisbehavingServer::MisbehavingServer(Answer answer)
    : state_(std::make_unique<State>(std::move(answer))) {}

MisbehavingServer::~MisbehavingServer() { state_->io_thread.stop(); }

std::uint16_t MisbehavingServer::port() const { return state_->acceptor.port(); }

std::string MisbehavingServer::ws_url(const std::string& path) const {
  return "ws://127.0.0.1:" + std::to_string(port()) + path;
}

std::size_t MisbehavingServer::requests_answered() const { return state_->answered.load(); }

std::string switching_protocols_head(const std::string& request_head) {
  const std::string key =
      header_value(request_head, "sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: " +
         base64_encode({reinterpret_cast<const char*>(digest), sizeof digest}) + "\r\n";
}

std::string server_frame(unsigned opcode, const std::string& payload) {
  if (payload.size() >= 126) throw std::invalid_argument("server_frame: payload too long");
  std::string frame;
  frame += static_cast<char>(0x80 | (opcode & 0x0f));
  frame += static_cast<char>(payload.size());
  return frame + payload;
}

}  // namespace tether::test
