#include "process_usage.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tether::bench {
namespace {

std::string proc_path(pid_t pid, const char* file) {
  return "/proc/" + (pid == 0 ? std::string("self") : std::to_string(pid)) + "/" + file;
}

}  // namespace

double process_cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto us = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) * 1e6 + static_cast<double>(time.tv_usec);
  };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

double other_process_cpu_us(pid_t pid) {
  const std::string path = proc_path(pid, "stat");
  std::ifstream file(path);
  std::string stat;
  std::getline(file, stat);
  // The command name, field 2, is in parentheses and may hold spaces: count fields after it.
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) throw std::runtime_error("cannot read " + path);
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  // Fields 3 to 13 (state ... cmajflt), then utime (14) and stime (15), in clock ticks.
  for (int index = 3; index <= 13; ++index) fields >> field;
  unsigned long long user_ticks = 0;
  unsigned long long system_ticks = 0;
  if (!(fields >> user_ticks >> system_ticks)) throw std::runtime_error("cannot read " + path);
  return static_cast<double>(user_ticks + system_ticks) * 1e6 /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t resident_kib(pid_t pid) {
  const std::string path = proc_path(pid, "status");
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  }
  throw std::runtime_error("no VmRSS in " + path);
}

std::size_t raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) return static_cast<std::size_t>(limit.rlim_cur);
  }
  throw std::runtime_error(std::string("cannot raise the descriptor limit: ") +
                           std::strerror(errno));
}

}  // namespace tether::bench
