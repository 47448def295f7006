#include "beast_driver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "baseline_driver.hpp"
#include "beast_setup.hpp"

namespace tether::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

using PlainStream = websocket::stream<tcp::socket>;
using TlsStream = websocket::stream<asio::ssl::stream<tcp::socket>>;

// One Beast WebSocket stream, its io_context and the thread that runs it. The handshake runs
// on the caller's thread; from then on the stream belongs to the I/O thread. Beast allows one
// write at a time, so messages wait in a queue and go out one per write, as a simple Beast
// program sends them; their buffers are reused rather than allocated per message.
template <class Stream>
class BeastConnection final : public BeastConnectionBase {
 public:
  static constexpr bool uses_tls = std::is_same_v<Stream, TlsStream>;

  BeastConnection(const Endpoint& endpoint, Driver::MessageHandler on_message,
                  Driver::FailureHandler on_failure)
      : on_message_(std::move(on_message)),
        on_failure_(std::move(on_failure)),
        tls_(make_tls_context(uses_tls ? endpoint.ca_file : std::string())),
        stream_(make_stream<Stream, uses_tls>(io_, tls_)) {
    try {
      handshake(split_url(endpoint.url));
    } catch (const boost::system::system_error& error) {
      throw std::runtime_error("beast: cannot connect to " + endpoint.url + ": " + error.what());
    }
    read_next();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~BeastConnection() override {
    asio::post(io_, [this] {
      closing_ = true;
      // The pending read ends with the close; then run() has nothing left and returns.
      stream_.async_close(websocket::close_code::normal, [](beast::error_code) {});
    });
    thread_.join();
  }
  BeastConnection(const BeastConnection&) = delete;
  BeastConnection& operator=(const BeastConnection&) = delete;

 private:
  void handshake(const UrlParts& url) {
    connect_stream(stream_.next_layer(), url);
    stream_.binary(true);
    stream_.handshake(url.host + ":" + url.port, url.target);
  }

  void read_next() {
    stream_.async_read(received_, [this](beast::error_code error, std::size_t) {
      if (error) {
        if (!closing_) on_failure_("the connection failed: " + error.message());
        return;
      }
      const auto data = received_.cdata();
      on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()));
      received_.consume(received_.size());
      read_next();
    });
  }

  void enqueue(std::string_view payload) override {
    std::string message;
    if (!spare_buffers_.empty()) {
      message = std::move(spare_buffers_.back());
      spare_buffers_.pop_back();
    }
    message.assign(payload);
    outgoing_.push_back(std::move(message));
    if (outgoing_.size() == 1) write_front();
  }

  void write_front() {
    stream_.async_write(asio::buffer(outgoing_.front()),
                        [this](beast::error_code error, std::size_t) {
                          if (error) {
                            if (!closing_) on_failure_("a write failed: " + error.message());
                            return;
                          }
                          spare_buffers_.push_back(std::move(outgoing_.front()));
                          outgoing_.pop_front();
                          if (!outgoing_.empty()) write_front();
                        });
  }

  Driver::MessageHandler on_message_;
  Driver::FailureHandler on_failure_;
  asio::ssl::context tls_;  // Before stream_, which takes its settings when it is made.
  Stream stream_;
  std::thread thread_;

  // The I/O thread's own once it runs.
  beast::flat_buffer received_;
  std::deque<std::string> outgoing_;  // The front one is being written.
  std::vector<std::string> spare_buffers_;
  bool closing_ = false;
};

}  // namespace

std::unique_ptr<Driver> make_beast_driver() {
  return std::make_unique<BaselineDriver<BeastConnection<PlainStream>, BeastConnection<TlsStream>>>(
      "beast");
}

}  // namespace tether::bench
