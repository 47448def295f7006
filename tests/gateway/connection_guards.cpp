#include "connection_guards.hpp"

#include <utility>

#include "auth/random_text.hpp"
#include "auth/secret_key.hpp"

namespace tether::gateway {
namespace {

// 24 random bytes, 32 base64url characters: as unguessable as an emulated session's token.
constexpr std::size_t revalidation_token_bytes = 24;

// RFC 6455 section 7.4.1: the close code of a refusal the client cannot be told of.
constexpr std::uint16_t close_policy_violation = 1008;

std::string who(const ConnectionIdentity& identity) {
  return identity.user.empty() ? std::string("this connection") : identity.user;
}

const char* operation_name(control::Operation operation) {
  return operation == control::Operation::Send ? "send" : "receive";
}

}  // namespace

ConnectionGuards::ConnectionGuards(boost::asio::io_context& io, const GatewayConfig& config,
                                   GatewayStats& stats, Rights& rights)
    : io_(io), config_(config), stats_(stats), rights_(rights) {}

void ConnectionGuards::open(const std::shared_ptr<Connection>& connection) {
  const auto& identity = connection->identity();
  std::string token;
  if (connection->has_control_channel()) token = random_base64url(revalidation_token_bytes);
  auto guard = std::make_shared<ConnectionGuard>(
      io_, connection,
      identity.rights ? *identity.rights : rights_.of(identity.user, identity.service_path),
      service_config(config_, identity.service_path), stats_, token);
  if (!token.empty()) by_token_key_[secret_key(token)] = guard;
  guards_[connection.get()] = guard;
  guard->start_revalidations();
}

void ConnectionGuards::close(const Connection& connection) {
  const auto found = guards_.find(&connection);
  if (found == guards_.end()) return;
  const auto& token = found->second->revalidation_token();
  if (!token.empty()) by_token_key_.erase(secret_key(token));
  guards_.erase(found);
}

bool ConnectionGuards::admit_message(Connection& connection, std::uint64_t message_number) {
  const auto* guard = guard_of(connection);
  if (!guard || guard->rights().send) return true;
  refuse(connection,
         {control::Operation::Send, message_number, "",
          who(guard->identity()) + " may not send on " + guard->identity().service_path});
  return false;
}

bool ConnectionGuards::may_receive(const Connection& connection, std::string_view topic) const {
  const auto* guard = guard_of(connection);
  return !guard || guard->rights().receive.allows(topic);
}

void ConnectionGuards::refuse_receive(Connection& connection, std::uint64_t message_number,
                                      std::string_view topic) {
  const auto& identity = connection.identity();
  refuse(connection, {control::Operation::Receive, message_number, std::string(topic),
                      who(identity) + " may not receive " + std::string(topic) + " on " +
                          identity.service_path});
}

void ConnectionGuards::refuse(Connection& connection, control::Denied denied) {
  ++stats_.operations_denied[operation_name(denied.operation)];
  if (denied.reason.size() > control::max_reason_size) {
    // Only a user name of hundreds of bytes gets here: the reason then leaves it out.
    denied.reason = std::string(operation_name(denied.operation)) + " refused on " +
                    connection.identity().service_path;
  }
  if (connection.has_control_channel()) {
    connection.send_control(denied);
  } else {
    connection.close(close_policy_violation);
  }
}

void ConnectionGuards::count_result(const control::RevalidationResult& result) {
  static constexpr const char* outcome_names[] = {"succeeded", "refused", "no_credentials",
                                                  "url_refused", "failed"};
  ++stats_.revalidation_results[outcome_names[static_cast<std::size_t>(result.outcome)]];
}

std::size_t ConnectionGuards::revalidate(const std::optional<std::string>& user) {
  std::size_t asked = 0;
  for (const auto& [connection, guard] : guards_) {
    if (user && guard->identity().user != *user) continue;
    if (guard->ask_to_revalidate()) ++asked;
  }
  return asked;
}

std::shared_ptr<ConnectionGuard> ConnectionGuards::find(std::string_view service_path,
                                                        std::string_view token) const {
  const auto found = by_token_key_.find(secret_key(token));
  if (found == by_token_key_.end()) return nullptr;
  auto guard = found->second.lock();
  if (!guard || !secrets_equal(guard->revalidation_token(), token) ||
      guard->identity().service_path != service_path) {
    return nullptr;
  }
  return guard;
}

const ConnectionGuard* ConnectionGuards::guard_of(const Connection& connection) const {
  const auto found = guards_.find(&connection);
  return found == guards_.end() ? nullptr : found->second.get();
}

}  // namespace tether::gateway
