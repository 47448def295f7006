#pragma once
// What must happen when a program returns from main() while a connection is still being torn
// down. The shared IoContext is never destroyed (clients may outlive static destruction), but
// its thread is stopped and joined by an atexit function. The I/O thread's handlers use static
// objects of the libraries below them (error categories of Asio and websocketpp, OpenSSL's global
// state): each layer that brings such objects registers here what must be done about them before
// the join is registered, since an atexit function runs before the static objects constructed
// before its registration are destroyed, and before the atexit functions registered before it
// ([basic.start.term]).

namespace tether::core {

/// Constructs static objects, or asks a library not to clean up from its own atexit function.
using ExitPreparation = void (*)() noexcept;

/// Runs `prepare` unless it already ran, then registers with std::atexit the stop and join of the
/// shared IoContext's thread, so that at exit the thread is joined before anything `prepare`
/// constructed is destroyed. Asio's own error categories are constructed first, once. Each
/// layer calls it before its handlers can first run on the shared thread (the transports, when
/// they are made).
///
/// Thread-safety: safe from any thread.
void prepare_exit(ExitPreparation prepare);

}  // namespace tether::core
