#include "core/exit_actions.hpp"

#include <algorithm>
#include <asio/error.hpp>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "core/io_context_impl.hpp"

namespace tether::core {
namespace {

void construct_asio_categories() noexcept {
  (void)asio::error::get_misc_category();
  (void)asio::error::get_netdb_category();
  (void)asio::error::get_addrinfo_category();
}

}  // namespace

void prepare_exit(ExitPreparation prepare) {
  static std::mutex mutex;
  static std::vector<ExitPreparation> prepared;
  std::lock_guard<std::mutex> lock(mutex);
  if (std::find(prepared.begin(), prepared.end(), prepare) != prepared.end()) return;
  if (prepared.empty()) construct_asio_categories();
  prepare();
  prepared.push_back(prepare);
  // Once per preparation: the join registered last runs first, before what it prepared is gone.
  std::atexit(&stop_shared_io_context);
}

}  // namespace tether::core
