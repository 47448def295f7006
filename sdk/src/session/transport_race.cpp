#include "session/transport_race.hpp"

#include <asio/post.hpp>
#include <utility>

#include "core/log.hpp"

namespace tether::session {

// ---- RaceLeg ----

RaceLeg::RaceLeg(asio::io_context& io, std::shared_ptr<transport::Transport> transport,
                 std::weak_ptr<RaceReferee> referee, const HandshakeAttempt& attempt)
    : deadline_(io),
      transport_(std::move(transport)),
      referee_(std::move(referee)),
      handshake_timeout_(attempt.options().handshake_timeout),
      handshake_late_{ErrorCode::HandshakeTimeout,
                      "the emulated connection's create request for " + attempt.url_text() +
                          " (started beside the unanswered WebSocket upgrade) took more than " +
                          std::to_string(attempt.options().handshake_timeout.count()) + " ms"} {}

void RaceLeg::start(transport::TransportRequest request) {
  const auto timeout = request.options.connect_timeout;
  arm(timeout, {ErrorCode::ConnectTimeout, "no TCP connection to " + request.url.authority() +
                                               " for the emulated create within " +
                                               std::to_string(timeout.count()) + " ms"});
  transport_->start(std::move(request), weak_from_this());
}

void RaceLeg::carry_on() {
  role_ = Role::Carrying;
  deadline_.cancel();
}

void RaceLeg::discard() {
  if (role_ != Role::Racing) return;
  if (!connected_) {
    // The create has not gone out: nothing of it can reach the gateway.
    abort();
    return;
  }
  role_ = Role::Discarded;  // the deadline still runs, and holds this object
}

void RaceLeg::abort() {
  role_ = Role::Ended;
  deadline_.cancel();
  transport_->abort();
}

void RaceLeg::arm(std::chrono::milliseconds after, Error error) {
  deadline_.expires_after(after);
  deadline_.async_wait([self = shared_from_this(), error = std::move(error)](std::error_code ec) {
    if (!ec) self->expired(error);
  });
}

void RaceLeg::expired(const Error& error) {
  const Role before = role_;
  if (before != Role::Racing && before != Role::Discarded) return;
  abort();
  if (before != Role::Racing) return;
  if (auto referee = referee_.lock()) referee->on_race_leg_failed(error, {});
}

void RaceLeg::on_transport_connected() {
  connected_ = true;
  if (role_ == Role::Racing || role_ == Role::Discarded) {
    arm(handshake_timeout_, handshake_late_);
  } else if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_connected();
  }
}

void RaceLeg::on_transport_open(const transport::OpenInfo& info) {
  if (role_ == Role::Discarded) {
    // The session the create made would wait on the gateway until it expired: close it, once
    // the transport has finished opening (its downstream carries the gateway's CLOSE). The
    // transport keeps itself alive through its closing handshake.
    role_ = Role::Ended;
    deadline_.cancel();
    asio::post(deadline_.get_executor(), [transport = transport_] {
      transport->close(1000, "another transport carries the connection");
    });
    return;
  }
  auto referee = referee_.lock();
  if (!referee) {
    abort();
    return;
  }
  if (role_ == Role::Racing) {
    deadline_.cancel();
    referee->on_race_leg_open(info);  // the referee makes it carry on, or discards it
  } else if (role_ == Role::Carrying) {
    referee->on_transport_open(info);
  }
}

void RaceLeg::on_transport_message(const Message& message) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_message(message);
  }
}

void RaceLeg::on_transport_pong(std::string_view payload) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_pong(payload);
  }
}

void RaceLeg::on_transport_control(const control::ControlMessage& message) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_control(message);
  }
}

void RaceLeg::on_transport_failed(const Error& error,
                                  const transport::HandshakeResponse& response) {
  const Role before = role_;
  if (before == Role::Racing || before == Role::Discarded) {
    role_ = Role::Ended;
    deadline_.cancel();
  }
  auto referee = referee_.lock();
  if (!referee) return;
  if (before == Role::Racing) {
    referee->on_race_leg_failed(error, response);
  } else if (before == Role::Carrying) {
    referee->on_transport_failed(error, response);
  }
}

void RaceLeg::on_transport_closed(const CloseInfo& close) {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_closed(close);
  }
}

void RaceLeg::on_transport_cookies(const std::vector<std::string>& set_cookies) {
  // A racing leg's cookies count too: an affinity cookie set on its create is the gateway's.
  if (auto referee = referee_.lock();
      referee && (role_ == Role::Racing || role_ == Role::Carrying)) {
    referee->on_transport_cookies(set_cookies);
  }
}

void RaceLeg::on_transport_writable() {
  if (auto referee = referee_.lock(); referee && role_ == Role::Carrying) {
    referee->on_transport_writable();
  }
}

// ---- TransportRace ----

void TransportRace::arm(const HandshakeAttempt& attempt, std::weak_ptr<void> owner,
                        std::function<void()> start) {
  const auto delay = attempt.options().fallback.race_delay;
  if (attempt.transport_kind() != TransportKind::Native ||
      attempt.options().transport != TransportPolicy::Auto || delay.count() <= 0) {
    return;
  }
  delay_.arm(std::move(owner), delay, std::move(start));
}

void TransportRace::start(transport::TransportFactory& transports, const HandshakeAttempt& attempt,
                          std::weak_ptr<RaceReferee> referee) {
  cancel();
  auto transport = transports.create(TransportKind::Emulated, attempt.url());
  transport::TransportRequest request = attempt.emulated_request(*transport);
  auto leg = std::make_shared<RaceLeg>(io_, std::move(transport), std::move(referee), attempt);
  racing_ = leg;
  detail::log(LogLevel::Info, "the WebSocket upgrade to " + attempt.url_text() +
                                  " is unanswered after " +
                                  std::to_string(attempt.options().fallback.race_delay.count()) +
                                  " ms (FallbackOptions::race_delay); the HTTP emulation of "
                                  "WebSocket starts beside it");
  leg->start(std::move(request));
}

std::shared_ptr<transport::Transport> TransportRace::carry_on() {
  if (!racing_) return nullptr;
  carrier_ = std::move(racing_);
  carrier_->carry_on();
  return carrier_->transport();
}

void TransportRace::cancel() {
  delay_.cancel();
  if (!racing_) return;
  racing_->discard();
  racing_.reset();
}

void TransportRace::reset() {
  cancel();
  carrier_.reset();
}

void TransportRace::abort() {
  delay_.cancel();
  if (racing_) racing_->abort();
  racing_.reset();
  carrier_.reset();
}

}  // namespace tether::session
