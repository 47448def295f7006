#include "session/transport_leg.hpp"

#include <asio/post.hpp>
#include <utility>

namespace tether::session {

TransportLeg::TransportLeg(asio::io_context& io, std::shared_ptr<transport::Transport> transport,
                           std::weak_ptr<LegReferee> referee,
                           std::chrono::milliseconds handshake_timeout, std::string exchange)
    : deadline_(io),
      transport_(std::move(transport)),
      referee_(std::move(referee)),
      handshake_timeout_(handshake_timeout),
      exchange_(std::move(exchange)) {}

void TransportLeg::start(transport::TransportRequest request) {
  const auto timeout = request.options.connect_timeout;
  arm(timeout, {ErrorCode::ConnectTimeout, "no TCP connection to " + request.url.authority() +
                                               " for " + exchange_ + " within " +
                                               std::to_string(timeout.count()) + " ms"});
  transport_->start(std::move(request), weak_from_this());
}

void TransportLeg::carry_on() {
  role_ = Role::Carrying;
  deadline_.cancel();
}

void TransportLeg::discard() {
  if (role_ == Role::Beside && !opened_ && !connected_) {
    // The handshake has not gone out: nothing of it can reach the gateway.
    abort();
    return;
  }
  discard_after_handshake();
}

void TransportLeg::discard_after_handshake() {
  if (role_ != Role::Beside) return;
  if (opened_) {
    close_opened();
    return;
  }
  role_ = Role::Discarded;  // the deadline still runs, and holds this object
}

void TransportLeg::abort() {
  role_ = Role::Ended;
  deadline_.cancel();
  transport_->abort();
}

void TransportLeg::close_opened() {
  // The session the handshake made or took would wait on the gateway until it expired: close it,
  // once the transport has finished opening (an emulated downstream carries the gateway's CLOSE).
  // The transport keeps itself alive through its closing handshake.
  role_ = Role::Ended;
  deadline_.cancel();
  asio::post(deadline_.get_executor(), [transport = transport_] {
    transport->close(1000, "another transport carries the connection");
  });
}

void TransportLeg::arm(std::chrono::milliseconds after, Error error) {
  deadline_.expires_after(after);
  deadline_.async_wait([self = shared_from_this(), error = std::move(error)](std::error_code ec) {
    if (!ec) self->expired(error);
  });
}

void TransportLeg::expired(const Error& error) {
  const Role before = role_;
  if (before != Role::Beside && before != Role::Discarded) return;
  abort();
  if (before != Role::Beside) return;
  if (auto referee = referee_.lock()) referee->on_leg_failed(*this, error, {});
}

void TransportLeg::on_transport_connected() {
  connected_ = true;
  if (role_ == Role::Beside || role_ == Role::Discarded) {
    arm(handshake_timeout_,
        {ErrorCode::HandshakeTimeout,
         exchange_ + " took more than " + std::to_string(handshake_timeout_.count()) + " ms"});
  } else if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_connected();
  }
}

void TransportLeg::on_transport_open(const transport::OpenInfo& info) {
  opened_ = true;
  if (role_ == Role::Discarded) {
    close_opened();
    return;
  }
  auto referee = referee_.lock();
  if (!referee) {
    abort();
    return;
  }
  if (role_ == Role::Beside) {
    deadline_.cancel();
    referee->on_leg_open(*this, info);  // the referee makes it carry on, or discards it
  } else if (role_ == Role::Carrying) {
    referee->on_transport_open(info);
  }
}

void TransportLeg::on_transport_message(const Message& message) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_message(message);
  }
}

void TransportLeg::on_transport_pong(std::string_view payload) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_pong(payload);
  }
}

void TransportLeg::on_transport_control(const control::ControlMessage& message) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_control(message);
  }
}

void TransportLeg::on_transport_failed(const Error& error,
                                       const transport::HandshakeResponse& response) {
  const Role before = role_;
  if (before == Role::Beside || before == Role::Discarded) {
    role_ = Role::Ended;
    deadline_.cancel();
  }
  auto referee = referee_.lock();
  if (!referee) return;
  if (before == Role::Beside) {
    referee->on_leg_failed(*this, error, response);
  } else if (before == Role::Carrying) {
    referee->on_transport_failed(error, response);
  }
}

void TransportLeg::on_transport_closed(const CloseInfo& close) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_closed(close);
  }
}

void TransportLeg::on_transport_cookies(const std::vector<std::string>& set_cookies) {
  // A leg's cookies count while it is beside the connection too: an affinity cookie set on its
  // handshake is the gateway's.
  if (auto referee = referee_.lock();
      referee && (role_ == Role::Beside || role_ == Role::Carrying)) {
    referee->on_transport_cookies(set_cookies);
  }
}

void TransportLeg::on_transport_writable() {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_writable();
  }
}

}  // namespace tether::session
