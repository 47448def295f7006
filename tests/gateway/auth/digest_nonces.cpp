#include "auth/digest_nonces.hpp"

#include "auth/random_text.hpp"

namespace tether::gateway {

std::string DigestNonces::issue() {
  auto nonce = random_hex(16);
  nonces_[nonce] = Nonce{std::chrono::steady_clock::now() + lifetime_, {}};
  return nonce;
}

DigestNonces::Use DigestNonces::use(std::string_view nonce, std::uint32_t nonce_count,
                                    NonceExpiry expiry) {
  const auto found = nonces_.find(nonce);
  if (found == nonces_.end()) return Use::unknown;
  if (expiry == NonceExpiry::enforced && std::chrono::steady_clock::now() >= found->second.expiry) {
    return Use::expired;
  }
  if (!found->second.used_counts.insert(nonce_count).second) return Use::replayed;
  return Use::accepted;
}

}  // namespace tether::gateway
