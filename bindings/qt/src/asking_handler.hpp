#pragma once

#include <functional>
#include <memory>

#include "challenge_private.hpp"
#include "tether/auth.hpp"

namespace tether::qt {

/// Receives each question on Tether's I/O thread; it must not block (post it on).
using AskApplication = std::function<void(Challenge::Private question)>;

/// The challenge handler of a WebSocket whose options have none: Digest, Basic and Bearer, each
/// asking the application through `ask` and answering when the application does.
std::shared_ptr<auth::ChallengeHandler> make_asking_handler(const AskApplication& ask);

}  // namespace tether::qt
