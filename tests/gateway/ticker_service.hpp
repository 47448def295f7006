#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "service.hpp"

namespace tether::gateway {

// /ticker: every interval, one JSON quote {"symbol","price","seq","time_ms"} is sent to every
// connected client. seq counts the quotes sent, from 1, and only advances while someone listens.
// Messages from clients are ignored.
class TickerService final : public Service {
 public:
  TickerService(boost::asio::io_context& io, std::chrono::milliseconds interval);

  void on_open(const std::shared_ptr<Connection>& connection) override;
  void on_message(Connection&, WebSocketMessage) override {}
  void on_close(Connection& connection) override;

 private:
  void wait_for_next_tick();
  void broadcast_quote();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  std::uint64_t sequence_ = 0;
  std::vector<std::weak_ptr<Connection>> subscribers_;
};

}  // namespace tether::gateway
