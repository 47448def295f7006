#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace tether::gateway {

// Whether a nonce's lifetime counts when an answer to it is checked. It bounds how long a
// challenge may be answered; an emulated session's later requests keep answering the nonce their
// create answered, with new counts, for as long as the session lives (docs/gateway.md).
enum class NonceExpiry { enforced, ignored };

// The nonces of the gateway's Digest challenges, each valid for lifetime after it was issued, and
// the nonce counts each has been answered with, so that a replayed answer is refused.
//
// Thread safety: use from the gateway's one thread only.
class DigestNonces {
 public:
  enum class Use { accepted, expired, unknown, replayed };

  explicit DigestNonces(std::chrono::milliseconds lifetime) : lifetime_(lifetime) {}

  std::string issue();

  // Records nonce_count as used with nonce when the nonce is live (or its expiry ignored) and the
  // count new. Call it only for an answer whose response hash is right, so that a wrong guess
  // cannot burn a count.
  Use use(std::string_view nonce, std::uint32_t nonce_count, NonceExpiry expiry);

 private:
  struct Nonce {
    std::chrono::steady_clock::time_point expiry;
    std::set<std::uint32_t> used_counts;
  };

  std::chrono::milliseconds lifetime_;
  // Expired nonces are kept, so that an answer to one gets stale=true rather than a plain refusal;
  // a test gateway issues too few for that to matter.
  std::map<std::string, Nonce, std::less<>> nonces_;
};

}  // namespace tether::gateway
