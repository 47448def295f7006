#pragma once
// The answer to a challenge as it goes on the replayed request: a leaf, so that the transports,
// which send it, do not see the challenge engine, which makes it.

#include <string>

#include "tether/auth.hpp"

namespace tether::auth {

/// The header to add to the replayed request.
///
/// Thread-safety: distinct objects: safe. Shared objects: unsafe.
struct AuthorizationHeader {
  std::string name;  ///< "Authorization" or "Proxy-Authorization".
  Secret value;
};

}  // namespace tether::auth
