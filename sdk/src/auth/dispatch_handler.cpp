#include <algorithm>
#include <mutex>

#include "auth/location_pattern.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

struct DispatchHandler::Registrations {
  struct Entry {
    LocationPattern pattern;
    std::string realm;
    std::shared_ptr<ChallengeHandler> handler;
  };

  /// The handlers registered for the challenge, most specific first, as a chain: the first of
  /// them that can answer the challenge answers it.
  ChallengeHandlerChain candidates(const ChallengeRequest& request,
                                   const Challenge& challenge) const {
    const std::string realm = challenge.realm();
    std::vector<std::pair<std::tuple<PatternSpecificity, bool>, std::shared_ptr<ChallengeHandler>>>
        matches;
    {
      std::lock_guard lock(mutex);
      for (const auto& entry : entries) {
        if ((entry.realm.empty() || entry.realm == realm) &&
            entry.pattern.matches(request.location)) {
          matches.emplace_back(std::make_tuple(entry.pattern.specificity(), !entry.realm.empty()),
                               entry.handler);
        }
      }
    }
    std::stable_sort(matches.begin(), matches.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::shared_ptr<ChallengeHandler>> handlers;
    handlers.reserve(matches.size());
    for (auto& match : matches) handlers.push_back(std::move(match.second));
    return ChallengeHandlerChain(std::move(handlers));
  }

  mutable std::mutex mutex;
  std::vector<Entry> entries;
};

DispatchHandler::DispatchHandler() : registrations_(std::make_unique<Registrations>()) {}

DispatchHandler::~DispatchHandler() = default;

Error DispatchHandler::add(std::string_view location_pattern,
                           std::shared_ptr<ChallengeHandler> handler, std::string realm) {
  if (!handler) return {ErrorCode::InvalidArgument, "DispatchHandler::add: the handler is null"};
  LocationPattern pattern;
  if (auto error = LocationPattern::parse(location_pattern, pattern)) return error;
  std::lock_guard lock(registrations_->mutex);
  registrations_->entries.push_back({std::move(pattern), std::move(realm), std::move(handler)});
  return {};
}

bool DispatchHandler::can_handle(const ChallengeRequest& request,
                                 const Challenge& challenge) const {
  return registrations_->candidates(request, challenge).can_handle(request, challenge);
}

void DispatchHandler::respond(const ChallengeRequest& request, const Challenge& challenge,
                              ChallengeReply reply) {
  registrations_->candidates(request, challenge).respond(request, challenge, std::move(reply));
}

std::optional<Secret> DispatchHandler::reauthorize(const ChallengeRequest& request,
                                                   const Challenge& challenge,
                                                   const Secret& previous) {
  return registrations_->candidates(request, challenge).reauthorize(request, challenge, previous);
}

}  // namespace tether::auth
