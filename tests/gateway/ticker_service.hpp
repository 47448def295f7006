#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "live_authorization.hpp"
#include "service.hpp"

namespace tether::gateway {

// /ticker: every interval, one JSON quote {"symbol","price","seq","time_ms"} per symbol is sent to
// every connected client that may receive that symbol (LiveAuthorization) and, once it has sent
// {"subscribe":"SYMBOL"} messages, has subscribed to it. seq counts the ticks that quoted, from 1,
// and only advances while someone listens. Other messages from clients are ignored.
class TickerService final : public Service {
 public:
  TickerService(boost::asio::io_context& io, std::chrono::milliseconds interval,
                std::vector<std::string> symbols, LiveAuthorization& authorization);

  void on_open(const std::shared_ptr<Connection>& connection) override;
  void on_message(Connection& connection, WebSocketMessage message) override;
  void on_close(Connection& connection) override;

 private:
  struct Subscriber {
    std::weak_ptr<Connection> connection;
    std::set<std::string, std::less<>> subscriptions;  // empty: every symbol it may receive
  };

  void wait_for_next_tick();
  void broadcast_quotes();
  bool wants(const Subscriber& subscriber, const Connection& connection,
             const std::string& symbol) const;

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  std::vector<std::string> symbols_;
  LiveAuthorization& authorization_;
  std::uint64_t sequence_ = 0;
  std::vector<Subscriber> subscribers_;
};

}  // namespace tether::gateway
