#pragma once
// What the baseline clients (plain websocketpp, plain Beast) share: a Driver that opens one
// connection object per connect(), of one type for ws:// and another for wss://, and closes it by
// destroying it. Each baseline then only writes its connection.

#include <memory>
#include <string>
#include <utility>

#include "driver.hpp"

namespace tether::bench {

/// One open connection of a baseline client. Its constructor connects, or throws
/// std::runtime_error naming the URL; its destructor closes and waits until the connection has
/// ended and no handler runs any more.
class BaselineConnection {
 public:
  virtual ~BaselineConnection() = default;
  virtual void send_binary(std::string_view payload) = 0;
};

/// A Driver over a PlainConnection for ws:// URLs and a TlsConnection for wss:// ones, each
/// constructed from (const Endpoint&, Driver::MessageHandler, Driver::FailureHandler).
template <class PlainConnection, class TlsConnection>
class BaselineDriver final : public Driver {
 public:
  explicit BaselineDriver(std::string name) : name_(std::move(name)) {}

  std::string name() const override { return name_; }

  void connect(const Endpoint& endpoint, MessageHandler on_message,
               FailureHandler on_failure) override {
    if (endpoint.url.rfind("wss://", 0) == 0) {
      connection_ =
          std::make_unique<TlsConnection>(endpoint, std::move(on_message), std::move(on_failure));
    } else {
      connection_ =
          std::make_unique<PlainConnection>(endpoint, std::move(on_message), std::move(on_failure));
    }
  }

  void send_binary(std::string_view payload) override { connection_->send_binary(payload); }

  void close() override { connection_.reset(); }

 private:
  std::string name_;
  std::unique_ptr<BaselineConnection> connection_;
};

}  // namespace tether::bench
