#pragma once

#include <QMetaObject>
#include <QObject>
#include <mutex>
#include <utility>

namespace tether::qt {

/// Carries work from Tether's I/O thread to the thread a QObject lives in, in the order it was
/// posted, until the object detaches it. Work posted after detach() is dropped; work already
/// queued is discarded by Qt when the object is destroyed (~QObject removes its posted events).
///
/// Thread-safety: post() from any thread; detach() on the object's thread, before the object's
/// destructor lets go of anything the posted work uses.
class ThreadBridge {
 public:
  explicit ThreadBridge(QObject* target) : target_(target) {}

  template <class Work>
  void post(Work work) {
    // Under the lock, so that detach() cannot return while an event for the object is being
    // queued.
    std::lock_guard lock(mutex_);
    if (target_ != nullptr) {
      QMetaObject::invokeMethod(target_, std::move(work), Qt::QueuedConnection);
    }
  }

  void detach() {
    std::lock_guard lock(mutex_);
    target_ = nullptr;
  }

 private:
  std::mutex mutex_;
  QObject* target_;  // guarded by mutex_
};

}  // namespace tether::qt
