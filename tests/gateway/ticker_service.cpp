#include "ticker_service.hpp"

#include <algorithm>
#include <boost/beast/core/ostream.hpp>
#include <nlohmann/json.hpp>

namespace tether::gateway {

TickerService::TickerService(boost::asio::io_context& io, std::chrono::milliseconds interval)
    : timer_(io), interval_(interval) {
  timer_.expires_after(interval_);
  wait_for_next_tick();
}

void TickerService::on_open(const std::shared_ptr<Connection>& connection) {
  subscribers_.push_back(connection);
}

void TickerService::on_close(Connection& connection) {
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [&connection](const std::weak_ptr<Connection>& subscriber) {
                                      auto alive = subscriber.lock();
                                      return !alive || alive.get() == &connection;
                                    }),
                     subscribers_.end());
}

void TickerService::wait_for_next_tick() {
  timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;  // cancelled: the gateway is stopping
    // Scheduling from the previous expiry keeps the cadence steady however long a tick takes.
    timer_.expires_at(timer_.expiry() + interval_);
    broadcast_quote();
    wait_for_next_tick();
  });
}

void TickerService::broadcast_quote() {
  if (subscribers_.empty()) return;
  ++sequence_;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const nlohmann::json quote = {
      {"symbol", "TTHR"},
      // From whole cents, so that the JSON shows 123.46, not 123.46000000000001.
      {"price", static_cast<double>(12345 + sequence_ % 100) / 100.0},
      {"seq", sequence_},
      {"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}};
  auto payload = std::make_shared<boost::beast::flat_buffer>();
  boost::beast::ostream(*payload) << quote.dump();
  const WebSocketMessage message{std::move(payload), /*is_text=*/true};
  for (const auto& subscriber : subscribers_) {
    if (auto connection = subscriber.lock()) connection->send(message);
  }
}

}  // namespace tether::gateway
