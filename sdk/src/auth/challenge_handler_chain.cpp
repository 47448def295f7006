#include "tether/auth.hpp"

namespace tether::auth {
namespace {

ChallengeHandler* first_capable(const std::vector<std::shared_ptr<ChallengeHandler>>& handlers,
                                const ChallengeRequest& request, const Challenge& challenge) {
  for (const auto& handler : handlers) {
    if (handler && handler->can_handle(request, challenge)) return handler.get();
  }
  return nullptr;
}

}  // namespace

ChallengeHandlerChain::ChallengeHandlerChain(
    std::vector<std::shared_ptr<ChallengeHandler>> handlers)
    : handlers_(std::move(handlers)) {}

bool ChallengeHandlerChain::can_handle(const ChallengeRequest& request,
                                       const Challenge& challenge) const {
  return first_capable(handlers_, request, challenge) != nullptr;
}

void ChallengeHandlerChain::respond(const ChallengeRequest& request, const Challenge& challenge,
                                    ChallengeReply reply) {
  if (auto* handler = first_capable(handlers_, request, challenge)) {
    return handler->respond(request, challenge, std::move(reply));
  }
  reply.decline("no handler answers the " + challenge.scheme + " challenge");
}

std::optional<Secret> ChallengeHandlerChain::reauthorize(const ChallengeRequest& request,
                                                         const Challenge& challenge,
                                                         const Secret& previous) {
  auto* handler = first_capable(handlers_, request, challenge);
  return handler ? handler->reauthorize(request, challenge, previous) : std::nullopt;
}

}  // namespace tether::auth
