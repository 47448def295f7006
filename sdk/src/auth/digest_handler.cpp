#include <map>
#include <mutex>
#include <optional>

#include "auth/crypto.hpp"
#include "auth/digest_response.hpp"
#include "auth/handler_support.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

/// What the handler remembers per protection space to answer without asking the provider.
struct DigestHandler::State {
  struct Space {
    Secret user_name;
    Secret realm_key;  ///< H(user:realm:password), for `hash`.
    DigestHash hash = DigestHash::Md5;
    std::string nonce;
    std::uint32_t nonce_count = 0;  ///< The last count sent with `nonce`.
  };

  std::mutex mutex;
  std::map<std::string, Space> spaces;
};

namespace {

constexpr std::size_t cnonce_bytes = 16;

// RFC 7235 section 2.2: a protection space is the origin and the realm. The location's origin
// is what precedes its path.
std::string space_key(const ChallengeRequest& request, const std::string& realm) {
  const auto authority = request.location.find("://");
  const auto path = request.location.find('/', authority == std::string::npos ? 0 : authority + 3);
  return (request.for_proxy ? "proxy " : "server ") + request.location.substr(0, path) + " " +
         realm;
}

// Answers `challenge` from `space`, counting the nonce. The caller holds the state's lock, or
// owns `space` alone.
std::optional<Secret> answer_from(DigestHandler::State::Space& space,
                                  const DigestChallenge& challenge,
                                  const ChallengeRequest& request) {
  if (space.nonce != challenge.nonce) {
    space.nonce = challenge.nonce;
    space.nonce_count = 0;
  }
  DigestExchange exchange{request.method, request.request_target, random_hex(cnonce_bytes),
                          ++space.nonce_count};
  if (exchange.cnonce.empty()) return std::nullopt;
  std::string header =
      digest_authorization(challenge, space.user_name.value(), space.realm_key.value(), exchange);
  if (header.empty()) return std::nullopt;
  return Secret(std::move(header));
}

// Answers from what is remembered for `key`, if anything for the same hash.
std::optional<Secret> answer_known(DigestHandler::State& state, const std::string& key,
                                   const DigestChallenge& digest, const ChallengeRequest& request) {
  std::lock_guard lock(state.mutex);
  const auto known = state.spaces.find(key);
  if (known == state.spaces.end() || known->second.hash != digest.algorithm.hash) {
    return std::nullopt;
  }
  return answer_from(known->second, digest, request);
}

/// Drops what is remembered for `key` and returns it.
std::optional<DigestHandler::State::Space> forget(DigestHandler::State& state,
                                                  const std::string& key) {
  std::lock_guard lock(state.mutex);
  const auto known = state.spaces.find(key);
  if (known == state.spaces.end()) return std::nullopt;
  auto space = std::move(known->second);
  state.spaces.erase(known);
  return space;
}

bool same_credentials(const DigestHandler::State::Space& a, const DigestHandler::State::Space& b) {
  return a.hash == b.hash && a.user_name.value() == b.user_name.value() &&
         a.realm_key.value() == b.realm_key.value();
}

constexpr const char* hash_failure =
    "the Digest response could not be computed (OpenSSL refused the hash or the random "
    "generator)";

}  // namespace

DigestHandler::DigestHandler(CredentialProvider provider)
    : provider_(std::move(provider)), state_(std::make_shared<State>()) {}

DigestHandler::~DigestHandler() = default;

bool DigestHandler::can_handle(const ChallengeRequest& /*request*/,
                               const Challenge& challenge) const {
  DigestChallenge digest;
  return provider_ && challenge.scheme_is("Digest") && !read_digest_challenge(challenge, digest);
}

void DigestHandler::respond(const ChallengeRequest& request, const Challenge& challenge,
                            ChallengeReply reply) {
  DigestChallenge digest;
  if (auto error = read_digest_challenge(challenge, digest)) return reply.decline(error.message);
  const std::string key = space_key(request, digest.realm);
  if (digest.stale) {
    // The credentials were right and only the nonce expired (RFC 7616 section 3.3): answer the
    // new nonce without troubling the user.
    if (auto header = answer_known(*state_, key, digest, request))
      return reply.complete(std::move(*header));
  }
  // A challenge that is not stale after an answer of this attempt means that answer was refused:
  // its credentials are not sent again. (On a first challenge what is remembered may be another
  // client's accepted answer, since handlers are shared.)
  auto refused = forget(*state_, key);
  if (request.attempt <= 1) refused.reset();
  provider_(
      make_credential_request(request, challenge),
      forward_to<Credentials>(
          std::move(reply), [state = state_, key, digest, request, refused = std::move(refused)](
                                Credentials credentials, ChallengeReply& answer) {
            State::Space space;
            space.hash = digest.algorithm.hash;
            space.realm_key = digest_realm_key(space.hash, credentials.user_name.value(),
                                               digest.realm, credentials.password.value());
            space.user_name = std::move(credentials.user_name);
            if (refused && same_credentials(*refused, space)) {
              return answer.decline(repeated_credentials_reason);
            }
            auto header = answer_from(space, digest, request);
            if (!header) return answer.decline(hash_failure);
            {
              std::lock_guard lock(state->mutex);
              state->spaces[key] = std::move(space);
            }
            answer.complete(std::move(*header));
          }));
}

std::optional<Secret> DigestHandler::reauthorize(const ChallengeRequest& request,
                                                 const Challenge& challenge,
                                                 const Secret& /*previous*/) {
  DigestChallenge digest;
  if (read_digest_challenge(challenge, digest)) return std::nullopt;
  return answer_known(*state_, space_key(request, digest.realm), digest, request);
}

}  // namespace tether::auth
