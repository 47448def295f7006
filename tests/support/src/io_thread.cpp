#include "io_thread.hpp"

namespace tether::test {

IoThread::IoThread() : io_(1), work_(io_.get_executor()), thread_([this] { io_.run(); }) {}

IoThread::~IoThread() { stop(); }

void IoThread::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
}

}  // namespace tether::test
