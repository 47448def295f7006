#include "loopback_acceptor.hpp"

#include <boost/asio/post.hpp>
#include <utility>

namespace tether::test {

using boost::asio::ip::tcp;

LoopbackAcceptor::LoopbackAcceptor(boost::asio::io_context& io, AcceptHandler on_accept)
    : acceptor_(io, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0)),
      on_accept_(std::move(on_accept)),
      port_(acceptor_.local_endpoint().port()) {
  // The acceptor is used only from io's thread from here on.
  boost::asio::post(io, [this] { accept_next(); });
}

void LoopbackAcceptor::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error == boost::asio::error::operation_aborted) return;
    if (!error) on_accept_(std::move(socket));
    accept_next();
  });
}

}  // namespace tether::test
