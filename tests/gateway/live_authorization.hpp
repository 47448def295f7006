#pragma once

#include <cstdint>
#include <string_view>

#include "connection.hpp"

namespace tether::gateway {

// The rights of a live connection, as a service that publishes topics (/ticker) asks for them:
// the copy its guard holds (connection_guards.hpp), refreshed at each successful revalidation.
//
// Thread safety: use from the gateway's one thread only.
class LiveAuthorization {
 public:
  virtual ~LiveAuthorization() = default;
  // Whether the connection may receive topic's messages now.
  virtual bool may_receive(const Connection& connection, std::string_view topic) const = 0;
  // Refuses a subscription to topic, message number message_number (docs/control-channel.md
  // section 5.3): DENIED with the control channel; without it the connection is closed with 1008,
  // since the client could not be told why.
  virtual void refuse_receive(Connection& connection, std::uint64_t message_number,
                              std::string_view topic) = 0;
};

}  // namespace tether::gateway
