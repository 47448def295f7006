#include "tls/openssl_lifetime.hpp"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

namespace tether::tls {

void skip_openssl_cleanup_at_exit() noexcept { OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT, nullptr); }

}  // namespace tether::tls
