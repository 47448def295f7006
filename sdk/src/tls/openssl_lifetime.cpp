#include "tls/openssl_lifetime.hpp"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "core/exit_actions.hpp"

namespace tether::tls {
namespace {

void initialise_without_cleanup_at_exit() noexcept {
  OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT, nullptr);
}

}  // namespace

void prepare_openssl_for_exit() { core::prepare_exit(&initialise_without_cleanup_at_exit); }

}  // namespace tether::tls
