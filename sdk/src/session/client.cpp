#include "tether/client.hpp"

#include <utility>

#include "session/real_transport_factory.hpp"
#include "session/session.hpp"

namespace tether {

/// The session over the real transports; Client only forwards to it.
struct Client::Impl final : session::Session {
  using Session::Session;
};

Client::Client(std::shared_ptr<IoContext> io) {
  auto transports = session::make_real_transport_factory(*io);
  impl_ = std::make_shared<Impl>(std::move(io), std::move(transports));
}

Client::~Client() { impl_->shut_down(); }

void Client::on_state_changed(StateHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.state = std::move(handler);
  });
}

void Client::on_message(MessageHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.message = std::move(handler);
  });
}

void Client::on_error(ErrorHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.error = std::move(handler);
  });
}

void Client::on_closed(CloseHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.close = std::move(handler);
  });
}

void Client::on_transport_changed(TransportHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.transport = std::move(handler);
  });
}

void Client::on_pong(PongHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.pong = std::move(handler);
  });
}

void Client::on_revalidation(RevalidationHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.revalidation = std::move(handler);
  });
}

void Client::on_reconnecting(ReconnectingHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.reconnecting = std::move(handler);
  });
}

void Client::on_reconnected(ReconnectedHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.reconnected = std::move(handler);
  });
}

void Client::on_writable(WritableHandler handler) {
  impl_->update_handlers([handler = std::move(handler)](session::Handlers& handlers) mutable {
    handlers.writable = std::move(handler);
  });
}

Error Client::connect(ConnectOptions options) { return impl_->connect(std::move(options)); }

Error Client::send_text(std::string_view text, std::uint64_t* number) {
  return impl_->send(MessageKind::Text, text, number);
}

Error Client::send_binary(std::string_view bytes, std::uint64_t* number) {
  return impl_->send(MessageKind::Binary, bytes, number);
}

Error Client::ping(std::string_view payload) { return impl_->ping(payload); }

Error Client::close(std::uint16_t code, std::string_view reason) {
  return impl_->close(code, reason);
}

State Client::state() const noexcept { return impl_->state(); }

TransportKind Client::transport() const noexcept { return impl_->transport_kind(); }

std::string Client::subprotocol() const { return impl_->subprotocol(); }

std::optional<TlsInfo> Client::tls_info() const { return impl_->tls_info(); }

}  // namespace tether
