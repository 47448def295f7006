#include "auth/crypto.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

// Every path that leaves bytes behind, the moved-from argument included, wipes them.
Secret::Secret(std::string value) noexcept : value_(std::move(value)) { wipe(value); }

Secret::Secret(const char* value) : value_(value) {}

Secret::Secret(const Secret& other) : value_(other.value_) {}

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { wipe(other.value_); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe(value_);
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe(value_);
    value_ = std::move(other.value_);
    wipe(other.value_);
  }
  return *this;
}

Secret::~Secret() { wipe(value_); }

}  // namespace tether::auth
