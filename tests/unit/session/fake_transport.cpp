#include "fake_transport.hpp"

#include <asio/post.hpp>
#include <chrono>
#include <future>

#include "core/io_context_impl.hpp"

namespace tether::testing {

FakeTransport::FakeTransport(IoContext& io, TransportKind kind, FakeNetwork& network)
    : io_(io), kind_(kind), network_(network) {}

transport::HandshakeRequestLine FakeTransport::handshake_request_line(const http::Url& url) const {
  return {"GET", url.target};
}

transport::HandshakeRequestLine FakeTransport::proxy_request_line(const http::Url& url) const {
  return {"CONNECT", url.authority()};
}

void FakeTransport::start(transport::TransportRequest request,
                          std::weak_ptr<transport::TransportListener> listener) {
  {
    std::lock_guard lock(mutex_);
    request_ = std::move(request);
    listener_ = std::move(listener);
    started_ = true;
  }
  network_.notify_started();
}

Error FakeTransport::send(MessageKind, std::string_view payload, std::uint64_t* number) {
  std::lock_guard lock(mutex_);
  if (sends_blocked_) return {ErrorCode::WouldBlock, "the fake transport's queue is full"};
  ++messages_sent_;
  payloads_sent_.emplace_back(payload);
  if (number) *number = messages_sent_;
  return {};
}

Error FakeTransport::send_control(const control::ControlMessage& message) {
  std::lock_guard lock(mutex_);
  if (!control_channel_) {
    return {ErrorCode::InvalidState, "the control channel was not negotiated"};
  }
  controls_sent_.push_back(message);
  return {};
}

std::vector<control::ControlMessage> FakeTransport::controls_sent() const {
  std::lock_guard lock(mutex_);
  return controls_sent_;
}

Error FakeTransport::ping(std::string_view payload) {
  std::lock_guard lock(mutex_);
  ping_payloads_.emplace_back(payload);
  return {};
}

void FakeTransport::close(std::uint16_t code, std::string_view reason) {
  std::lock_guard lock(mutex_);
  close_request_.emplace(code, std::string(reason));
}

void FakeTransport::abort() {
  std::lock_guard lock(mutex_);
  aborted_ = true;
}

template <class Event>
void FakeTransport::play(Event event) {
  auto deliver = [this, &event] {
    std::shared_ptr<transport::TransportListener> listener;
    {
      std::lock_guard lock(mutex_);
      if (!aborted_) listener = listener_.lock();
    }
    if (listener) event(*listener);
  };
  if (io_.running_in_this_thread()) {  // a test's task on the I/O thread plays in its place
    deliver();
    return;
  }
  std::promise<void> done;
  asio::post(io_context_impl(io_).io, [&] {
    deliver();
    done.set_value();
  });
  done.get_future().wait();
}

void FakeTransport::connected() {
  play([](transport::TransportListener& listener) { listener.on_transport_connected(); });
}

void FakeTransport::open(std::string subprotocol, std::vector<std::string> set_cookies) {
  transport::OpenInfo info;
  info.subprotocol = std::move(subprotocol);
  info.set_cookies = std::move(set_cookies);
  play_open(info);
}

void FakeTransport::open_with_control_channel() {
  transport::OpenInfo info;
  info.control_channel = control::ChannelAnswer{};
  play_open(info);
}

void FakeTransport::open_with_control_channel(const control::ChannelAnswer& answer) {
  transport::OpenInfo info;
  info.control_channel = answer;
  play_open(info);
}

void FakeTransport::block_sends(bool blocked) {
  std::lock_guard lock(mutex_);
  sends_blocked_ = blocked;
}

void FakeTransport::writable() {
  play([](transport::TransportListener& listener) { listener.on_transport_writable(); });
}

std::vector<std::string> FakeTransport::payloads_sent() const {
  std::lock_guard lock(mutex_);
  return payloads_sent_;
}

void FakeTransport::play_open(const transport::OpenInfo& info) {
  {
    std::lock_guard lock(mutex_);
    control_channel_ = info.control_channel.has_value();
  }
  play([&](transport::TransportListener& listener) { listener.on_transport_open(info); });
}

void FakeTransport::receive(std::string text) {
  play([&](transport::TransportListener& listener) {
    listener.on_transport_message({MessageKind::Text, text});
  });
}

void FakeTransport::control(control::ControlMessage message) {
  play([&](transport::TransportListener& listener) { listener.on_transport_control(message); });
}

void FakeTransport::refuse(int status, std::vector<std::string> challenges, bool from_proxy) {
  play([&](transport::TransportListener& listener) {
    transport::HandshakeResponse response;
    response.status = status;
    response.from_proxy = from_proxy;
    response.challenges = challenges;
    listener.on_transport_failed(
        {ErrorCode::HandshakeRejected, "HTTP " + std::to_string(status), status}, response);
  });
}

void FakeTransport::closed(CloseInfo close) {
  play([&](transport::TransportListener& listener) { listener.on_transport_closed(close); });
}

void FakeTransport::pong(std::string payload) {
  play([&](transport::TransportListener& listener) { listener.on_transport_pong(payload); });
}

transport::TransportRequest FakeTransport::request() const {
  std::lock_guard lock(mutex_);
  return request_;
}

bool FakeTransport::aborted() const {
  std::lock_guard lock(mutex_);
  return aborted_;
}

std::uint64_t FakeTransport::messages_sent() const {
  std::lock_guard lock(mutex_);
  return messages_sent_;
}

int FakeTransport::pings() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(ping_payloads_.size());
}

std::vector<std::string> FakeTransport::ping_payloads() const {
  std::lock_guard lock(mutex_);
  return ping_payloads_;
}

std::optional<std::pair<std::uint16_t, std::string>> FakeTransport::close_request() const {
  std::lock_guard lock(mutex_);
  return close_request_;
}

std::shared_ptr<transport::Transport> FakeNetwork::create(TransportKind kind, const http::Url&) {
  auto transport = std::make_shared<FakeTransport>(io_, kind, *this);
  std::lock_guard lock(mutex_);
  transports_.push_back(transport);
  return transport;
}

std::shared_ptr<FakeTransport> FakeNetwork::started(std::size_t index) {
  std::unique_lock lock(mutex_);
  std::shared_ptr<FakeTransport> found;
  changed_.wait_for(lock, std::chrono::seconds(5), [&] {
    if (index >= transports_.size()) return false;
    std::lock_guard transport_lock(transports_[index]->mutex_);
    if (!transports_[index]->started_) return false;
    found = transports_[index];
    return true;
  });
  return found;
}

std::size_t FakeNetwork::created() const {
  std::lock_guard lock(mutex_);
  return transports_.size();
}

void FakeNetwork::notify_started() {
  std::lock_guard lock(mutex_);
  changed_.notify_all();
}

}  // namespace tether::testing
