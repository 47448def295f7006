#include "connection_guard.hpp"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace tether::gateway {
namespace {

// docs/control-channel.md section 5.1.
constexpr std::uint16_t close_revalidation_expired = 4401;

std::string revalidation_url(const std::string& service_path, const std::string& token) {
  return service_path + "/;r/" + token;
}

// changes in as many AUTHORIZATION_CHANGED as it takes for each to fit in a control message
// (docs/control-channel.md section 7), in order: applied one after the other, they change the
// same rights as one would.
std::vector<control::AuthorizationChanged> in_messages(
    const std::vector<control::RightChange>& changes) {
  constexpr std::size_t message_header_size = 1 + 2;     // type, count
  constexpr std::size_t change_header_size = 1 + 1 + 2;  // operation, granted, topic length
  std::vector<control::AuthorizationChanged> messages;
  std::size_t size = control::max_control_message_size;  // full: the first change starts one
  for (const auto& change : changes) {
    const auto change_size = change_header_size + change.topic.size();
    if (size + change_size > control::max_control_message_size) {
      messages.emplace_back();
      size = message_header_size;
    }
    messages.back().changes.push_back(change);
    size += change_size;
  }
  return messages;
}

}  // namespace

ConnectionGuard::ConnectionGuard(boost::asio::io_context& io,
                                 const std::shared_ptr<Connection>& connection,
                                 ServiceRights rights, const ServiceConfig& service,
                                 GatewayStats& stats, std::string revalidation_token)
    : connection_(connection),
      identity_(connection->identity()),
      rights_(std::move(rights)),
      service_(service),
      stats_(stats),
      revalidation_token_(std::move(revalidation_token)),
      schedule_timer_(io),
      expiry_timer_(io),
      deadline_timer_(io) {}

void ConnectionGuard::start_revalidations() {
  if (revalidation_token_.empty()) return;
  schedule_next();
  wait_for_expiry();
}

bool ConnectionGuard::ask_to_revalidate() {
  const auto connection = connection_.lock();
  if (revalidation_token_.empty() || pending_ || !connection) return false;
  pending_ = true;
  ++stats_.revalidation_requests;
  // The config keeps the grace within the 4-byte field, and at least 1 ms.
  const auto deadline_ms = static_cast<std::uint32_t>(std::min<std::int64_t>(
      service_.revalidate_grace.count(), std::numeric_limits<std::uint32_t>::max()));
  connection->send_control(
      control::Revalidate{++last_request_id_, deadline_ms,
                          revalidation_url(identity_.service_path, revalidation_token_)});
  deadline_timer_.expires_after(service_.revalidate_grace);
  when_expired(deadline_timer_, &ConnectionGuard::on_deadline);
  return true;
}

void ConnectionGuard::revalidated(std::optional<Clock::time_point> expiry,
                                  const ServiceRights& current) {
  pending_ = false;
  deadline_timer_.cancel();
  identity_.credentials_expiry = expiry;
  schedule_next();
  wait_for_expiry();
  const auto changes = changes_between(rights_, current);
  rights_ = current;
  const auto connection = connection_.lock();
  if (!connection) return;
  for (auto& message : in_messages(changes)) {
    ++stats_.authorization_changes_sent;
    connection->send_control(message);
  }
}

void ConnectionGuard::schedule_next() {
  schedule_timer_.cancel();
  if (service_.revalidate_after.count() == 0) return;
  schedule_timer_.expires_after(service_.revalidate_after);
  when_expired(schedule_timer_, &ConnectionGuard::ask_from_timer);
}

void ConnectionGuard::wait_for_expiry() {
  expiry_timer_.cancel();
  if (!identity_.credentials_expiry) return;
  expiry_timer_.expires_at(*identity_.credentials_expiry);
  when_expired(expiry_timer_, &ConnectionGuard::ask_from_timer);
}

void ConnectionGuard::on_deadline() {
  if (!pending_) return;
  pending_ = false;
  ++stats_.revalidation_deadlines_expired;
  if (const auto connection = connection_.lock()) connection->close(close_revalidation_expired);
}

void ConnectionGuard::when_expired(boost::asio::steady_timer& timer,
                                   void (ConnectionGuard::*action)()) {
  timer.async_wait([weak = weak_from_this(), &timer, action](boost::system::error_code error) {
    if (error) return;  // cancelled: re-armed, or the guard is being destroyed
    const auto self = weak.lock();
    // A handler already queued when its timer was re-armed is stale: the new wait decides.
    if (!self || timer.expiry() > Clock::now()) return;
    ((*self).*action)();
  });
}

}  // namespace tether::gateway
