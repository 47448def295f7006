#include "sdk_driver.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "tether/tether.hpp"

namespace tether::bench {
namespace {

constexpr std::chrono::seconds open_timeout{15};
constexpr std::chrono::seconds close_timeout{15};

class SdkDriver final : public Driver {
 public:
  explicit SdkDriver(TransportPolicy policy) : policy_(policy) {}
  ~SdkDriver() override { close(); }

  std::string name() const override { return "sdk"; }

  void connect(const Endpoint& endpoint, MessageHandler on_message,
               FailureHandler on_failure) override {
    client_.on_message(
        [on_message = std::move(on_message)](const Message& message) { on_message(message.data); });
    client_.on_state_changed([this](State, State to) {
      if (to == State::Open) {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
      }
    });
    client_.on_closed([this, on_failure = std::move(on_failure)](const CloseInfo& close) {
      bool unexpected = false;
      {
        std::lock_guard lock(mutex_);
        unexpected = open_ && !closing_;
        closed_ = true;
        if (!open_) failure_ = describe(close);
        changed_.notify_all();
      }
      if (unexpected) on_failure(describe(close));
    });

    ConnectOptions options;
    options.url = endpoint.url;
    options.tls.ca_file = endpoint.ca_file;
    options.use_proxy_environment = false;  // The gateway is on loopback; never go via a proxy.
    options.transport = policy_;
    if (Error error = client_.connect(options)) {
      throw std::runtime_error("sdk: cannot connect to " + endpoint.url + ": " + error.message);
    }

    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, open_timeout, [this] { return open_ || closed_; })) {
      throw std::runtime_error("sdk: no connection to " + endpoint.url + " within " +
                               std::to_string(open_timeout.count()) + " s");
    }
    if (!open_)
      throw std::runtime_error("sdk: cannot connect to " + endpoint.url + ": " + failure_);
    connected_ = true;
  }

  void send_binary(std::string_view payload) override {
    if (Error error = client_.send_binary(payload)) {
      throw std::runtime_error("sdk refused a message: " + error.message);
    }
  }

  void close() override {
    if (!connected_) return;
    connected_ = false;
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    // Fails only when already closing or closed: on_closed comes all the same.
    static_cast<void>(client_.close());
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, close_timeout, [this] { return closed_; });
  }

 private:
  static std::string describe(const CloseInfo& close) {
    if (close.error) return close.error.message;
    return "the server closed the connection (code " + std::to_string(close.code) + ")";
  }

  const TransportPolicy policy_;
  bool connected_ = false;  // Touched by the bench's thread only.

  // Shared with the client's callbacks; declared before client_ so they outlive it.
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  bool closing_ = false;
  bool closed_ = false;
  std::string failure_;

  std::shared_ptr<IoContext> io_ = std::make_shared<IoContext>();
  Client client_{io_};
};

}  // namespace

std::unique_ptr<Driver> make_sdk_driver(TransportPolicy policy) {
  return std::make_unique<SdkDriver>(policy);
}

}  // namespace tether::bench
