#pragma once
// OpenSSL frees its global state from an atexit function, registered when it is first
// initialised. Registered after the join of the shared IoContext's thread (core/exit_actions), it
// would run before that join, while the thread may still be finishing a TLS shutdown or hashing a
// Digest answer: a crash after main() returns. So OpenSSL is initialised without that cleanup
// before the join is registered; the process is ending and the OS reclaims the memory.

namespace tether::tls {

/// Registers with core::prepare_exit that OpenSSL is initialised, unless it already was, without
/// its exit-time cleanup. Every layer whose handlers may use OpenSSL on the shared I/O thread
/// (the native transport, the libcurl adapter) calls it before its first connection.
///
/// Thread-safety: safe from any thread, any number of times.
void prepare_openssl_for_exit();

}  // namespace tether::tls
