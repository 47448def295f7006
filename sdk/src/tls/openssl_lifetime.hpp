#pragma once
// OpenSSL frees its global state from an atexit handler, while the shared IoContext's thread,
// never joined, may still be finishing a TLS shutdown: a crash after main() returns. Asking
// OpenSSL first, before anything else initialises it, to skip that cleanup removes the race; the
// process is ending and the OS reclaims the memory.

namespace tether::tls {

/// Initialises OpenSSL without its exit-time cleanup, unless it already was initialised.
///
/// Thread-safety: safe to call from any thread, any number of times.
void skip_openssl_cleanup_at_exit() noexcept;

}  // namespace tether::tls
