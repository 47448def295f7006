#include "websocketpp_driver.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>

#include "baseline_driver.hpp"

namespace tether::bench {
namespace {

namespace asio = websocketpp::lib::asio;

constexpr std::chrono::seconds open_timeout{10};

// One websocketpp endpoint with one connection and the thread that runs it.
template <class Config>
class EndpointConnection final : public BaselineConnection {
 public:
  static constexpr bool uses_tls = std::is_same_v<Config, websocketpp::config::asio_tls_client>;
  using Client = websocketpp::client<Config>;

  EndpointConnection(const Endpoint& endpoint, Driver::MessageHandler on_message,
                     Driver::FailureHandler on_failure)
      : on_message_(std::move(on_message)), on_failure_(std::move(on_failure)) {
    client_.clear_access_channels(websocketpp::log::alevel::all);
    client_.clear_error_channels(websocketpp::log::elevel::all);
    client_.init_asio();
    install_handlers(endpoint);

    websocketpp::lib::error_code error;
    connection_ = client_.get_connection(endpoint.url, error);
    if (error)
      throw std::runtime_error("websocketpp: cannot connect to " + endpoint.url + ": " +
                               error.message());
    client_.connect(connection_);
    thread_ = std::thread([this] { client_.run(); });

    auto opened = open_result_.get_future();
    if (opened.wait_for(open_timeout) == std::future_status::timeout) {
      close();
      throw std::runtime_error("websocketpp: no connection to " + endpoint.url + " within " +
                               std::to_string(open_timeout.count()) + " s");
    }
    if (std::string failure = opened.get(); !failure.empty()) {
      close();
      throw std::runtime_error("websocketpp: cannot connect to " + endpoint.url + ": " + failure);
    }
  }

  ~EndpointConnection() override { close(); }
  EndpointConnection(const EndpointConnection&) = delete;
  EndpointConnection& operator=(const EndpointConnection&) = delete;

  void send_binary(std::string_view payload) override {
    const auto error =
        connection_->send(payload.data(), payload.size(), websocketpp::frame::opcode::binary);
    if (error) throw std::runtime_error("websocketpp refused a message: " + error.message());
  }

 private:
  // Closes the connection and waits until its thread has ended.
  void close() {
    if (!thread_.joinable()) return;
    closing_ = true;
    websocketpp::lib::error_code error;
    connection_->close(websocketpp::close::status::normal, "", error);
    // A connection that is not open (failed, or still connecting) has no closing handshake to
    // wait for; otherwise run() returns once it has ended, within websocketpp's close timeout.
    if (error) client_.stop();
    thread_.join();
  }

  // Handlers go on the endpoint before the connection is created: each connection copies the
  // endpoint's handlers when it is made and never looks at them again.
  void install_handlers(const Endpoint& endpoint) {
    // TCP_NODELAY must be set here: when socket_init runs the socket does not exist yet, and
    // without it Nagle and delayed ACK hold large wss messages for about 40 ms each.
    client_.set_tcp_pre_init_handler([this](websocketpp::connection_hdl handle) {
      asio::error_code ignored;  // A socket that refuses the option is measured as it is.
      client_.get_con_from_hdl(handle)->get_raw_socket().set_option(asio::ip::tcp::no_delay(true),
                                                                    ignored);
    });
    if constexpr (uses_tls) {
      const std::string host = websocketpp::uri(endpoint.url).get_host();
      const std::string ca_file = endpoint.ca_file;
      client_.set_tls_init_handler([host, ca_file](const websocketpp::connection_hdl&) {
        auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
        context->set_options(asio::ssl::context::default_workarounds |
                             asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                             asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
        context->set_verify_mode(asio::ssl::verify_peer);
        context->load_verify_file(ca_file);
        context->set_verify_callback(asio::ssl::host_name_verification(host));
        return context;
      });
    }
    client_.set_open_handler([this](const websocketpp::connection_hdl&) {
      if (!opened_.exchange(true)) open_result_.set_value({});
    });
    client_.set_fail_handler([this](websocketpp::connection_hdl handle) {
      const std::string reason = client_.get_con_from_hdl(handle)->get_ec().message();
      if (!opened_.exchange(true)) {
        open_result_.set_value(reason.empty() ? "the connection failed" : reason);
      } else if (!closing_) {
        on_failure_("the connection failed: " + reason);
      }
    });
    client_.set_close_handler([this](websocketpp::connection_hdl handle) {
      if (closing_) return;
      const auto connection = client_.get_con_from_hdl(handle);
      on_failure_("the server closed the connection (code " +
                  std::to_string(connection->get_remote_close_code()) + ")");
    });
    client_.set_message_handler(
        [this](const websocketpp::connection_hdl&, const typename Client::message_ptr& message) {
          on_message_(message->get_payload());
        });
  }

  Driver::MessageHandler on_message_;
  Driver::FailureHandler on_failure_;
  Client client_;
  typename Client::connection_ptr connection_;
  std::thread thread_;
  std::promise<std::string> open_result_;  // Empty string: open; otherwise why it failed.
  std::atomic<bool> opened_{false};
  std::atomic<bool> closing_{false};
};

}  // namespace

std::unique_ptr<Driver> make_websocketpp_driver() {
  return std::make_unique<BaselineDriver<EndpointConnection<websocketpp::config::asio_client>,
                                         EndpointConnection<websocketpp::config::asio_tls_client>>>(
      "websocketpp");
}

}  // namespace tether::bench
