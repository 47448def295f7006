#pragma once
// What a process uses, read from the kernel: CPU time, resident memory and the descriptor limit.
// Linux only (/proc).

#include <sys/types.h>

#include <cstddef>

namespace tether::bench {

/// CPU time (user + system) used so far by every thread of this process, in microseconds.
double process_cpu_us();

/// CPU time (user + system) used so far by process `pid` (another one, such as the gateway), in
/// microseconds, from /proc/<pid>/stat. Throws std::runtime_error when it cannot be read.
double other_process_cpu_us(pid_t pid);

/// The resident memory of process `pid` (0: this one), in KiB: VmRSS of /proc/<pid>/status.
/// Throws std::runtime_error when it cannot be read.
std::size_t resident_kib(pid_t pid = 0);

/// Raises this process's soft limit of open descriptors to its hard limit, which the processes
/// it starts afterwards (the gateway) inherit, and returns the new limit. The bench raises it,
/// not the SDK: how many descriptors an application may hold is the application's choice.
/// Throws std::runtime_error when setrlimit fails.
std::size_t raise_descriptor_limit();

}  // namespace tether::bench
