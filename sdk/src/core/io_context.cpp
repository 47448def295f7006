#include "tether/io_context.hpp"

#include <atomic>
#include <future>

#include "core/io_context_impl.hpp"
#include "core/log.hpp"

namespace tether {

IoContext::IoContext() : impl_(std::make_shared<Impl>()) {
  std::promise<std::thread::id> started;
  auto started_id = started.get_future();
  impl_->thread = std::thread([impl = impl_, &started] {
    started.set_value(std::this_thread::get_id());
    for (;;) {
      try {
        impl->io.run();
        return;
      } catch (const std::exception& exception) {
        // A callback threw. The SDK's own handlers do not throw; keep serving the others.
        detail::log(LogLevel::Error,
                    std::string("an application callback threw: ") + exception.what());
      }
    }
  });
  impl_->thread_id = started_id.get();
}

IoContext::~IoContext() {
  impl_->work.reset();
  impl_->io.stop();
  if (running_in_this_thread()) {
    // Destroyed from one of its own callbacks: the thread cannot join itself. It finishes the
    // current handler, leaves run() and, holding the last reference, destroys the context.
    impl_->thread.detach();
    return;
  }
  impl_->thread.join();
}

namespace {
std::atomic<IoContext*> shared_context{nullptr};
}  // namespace

void stop_shared_io_context() noexcept {
  IoContext* const context = shared_context.load();
  if (context == nullptr || context->running_in_this_thread()) return;
  auto& impl = io_context_impl(*context);
  impl.work.reset();
  impl.io.stop();
  if (impl.thread.joinable()) impl.thread.join();
}

std::shared_ptr<IoContext> IoContext::shared() {
  // Never destroyed: clients may outlive static destruction order at process exit. Its thread is
  // stopped and joined at exit instead, by the function core::prepare_exit registers.
  static auto* const context = [] {
    auto* created = new std::shared_ptr<IoContext>(std::make_shared<IoContext>());
    shared_context.store(created->get());
    return created;
  }();
  return *context;
}

bool IoContext::running_in_this_thread() const noexcept {
  return std::this_thread::get_id() == impl_->thread_id;
}

}  // namespace tether
