#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "tether/client.hpp"

namespace tether::test {

/// A transport a client reported through on_transport_changed, with its reason.
using TransportChange = std::pair<TransportKind, Error>;

/// Records every transport a Client reports (on_transport_changed), in order. It installs only
/// that handler, so it records beside an EventRecorder; it may be destroyed before the client.
///
/// Thread-safety: the recording runs on the client's I/O thread; changes() is safe from any
/// thread.
class TransportLog {
 public:
  explicit TransportLog(Client& client) {
    client.on_transport_changed([record = record_](TransportKind kind, const Error& reason) {
      const std::lock_guard lock(record->mutex);
      record->changes.emplace_back(kind, reason);
    });
  }

  std::vector<TransportChange> changes() const {
    const std::lock_guard lock(record_->mutex);
    return record_->changes;
  }

 private:
  struct Record {
    std::mutex mutex;
    std::vector<TransportChange> changes;
  };
  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

}  // namespace tether::test
