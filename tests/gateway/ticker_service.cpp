#include "ticker_service.hpp"

#include <algorithm>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/ostream.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "control/control_message.hpp"

namespace tether::gateway {
namespace {

// The symbol of a text message {"subscribe":"SYMBOL"}, or nullopt for any other message.
std::optional<std::string> subscribed_symbol(const WebSocketMessage& message) {
  if (!message.is_text) return std::nullopt;
  const auto request = nlohmann::json::parse(
      boost::beast::buffers_to_string(message.payload->data()), nullptr, false);
  if (!request.is_object()) return std::nullopt;
  const auto symbol = request.find("subscribe");
  // A symbol is a topic of the control channel: 1 to 256 bytes (docs/control-channel.md
  // section 7), so that a DENIED can name it.
  if (symbol == request.end() || !symbol->is_string() || symbol->get<std::string>().empty() ||
      symbol->get<std::string>().size() > control::max_topic_size) {
    return std::nullopt;
  }
  return symbol->get<std::string>();
}

}  // namespace

TickerService::TickerService(boost::asio::io_context& io, std::chrono::milliseconds interval,
                             std::vector<std::string> symbols, LiveAuthorization& authorization)
    : timer_(io), interval_(interval), symbols_(std::move(symbols)), authorization_(authorization) {
  timer_.expires_after(interval_);
  wait_for_next_tick();
}

void TickerService::on_open(const std::shared_ptr<Connection>& connection) {
  subscribers_.push_back({connection, {}});
}

void TickerService::on_message(Connection& connection, WebSocketMessage message) {
  const auto symbol = subscribed_symbol(message);
  if (!symbol) return;
  if (!authorization_.may_receive(connection, *symbol)) {
    authorization_.refuse_receive(connection, connection.messages_received(), *symbol);
    return;
  }
  for (auto& subscriber : subscribers_) {
    if (subscriber.connection.lock().get() == &connection) subscriber.subscriptions.insert(*symbol);
  }
}

void TickerService::on_close(Connection& connection) {
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [&connection](const Subscriber& subscriber) {
                                      auto alive = subscriber.connection.lock();
                                      return !alive || alive.get() == &connection;
                                    }),
                     subscribers_.end());
}

void TickerService::wait_for_next_tick() {
  timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;  // cancelled: the gateway is stopping
    // Scheduling from the previous expiry keeps the cadence steady however long a tick takes.
    timer_.expires_at(timer_.expiry() + interval_);
    broadcast_quotes();
    wait_for_next_tick();
  });
}

bool TickerService::wants(const Subscriber& subscriber, const Connection& connection,
                          const std::string& symbol) const {
  const bool subscribed = subscriber.subscriptions.empty() ||
                          subscriber.subscriptions.find(symbol) != subscriber.subscriptions.end();
  return subscribed && authorization_.may_receive(connection, symbol);
}

void TickerService::broadcast_quotes() {
  if (subscribers_.empty()) return;
  ++sequence_;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  for (std::size_t index = 0; index < symbols_.size(); ++index) {
    const auto& symbol = symbols_[index];
    const nlohmann::json quote = {
        {"symbol", symbol},
        // From whole cents, so that the JSON shows 123.46, not 123.46000000000001.
        {"price", static_cast<double>(12345 + 1000 * index + sequence_ % 100) / 100.0},
        {"seq", sequence_},
        {"time_ms", time_ms}};
    auto payload = std::make_shared<boost::beast::flat_buffer>();
    boost::beast::ostream(*payload) << quote.dump();
    const WebSocketMessage message{std::move(payload), /*is_text=*/true};
    for (const auto& subscriber : subscribers_) {
      const auto connection = subscriber.connection.lock();
      if (connection && wants(subscriber, *connection, symbol)) connection->send(message);
    }
  }
}

}  // namespace tether::gateway
