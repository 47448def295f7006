#include "tunnel.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <utility>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

class Tunnel : public std::enable_shared_from_this<Tunnel> {
 public:
  Tunnel(tcp::socket client, tcp::socket upstream)
      : client_(std::move(client)), upstream_(std::move(upstream)) {}

  void start(std::string already_received) {
    pending_ = std::move(already_received);
    boost::asio::async_write(
        upstream_, boost::asio::buffer(pending_),
        [self = shared_from_this()](boost::system::error_code error, std::size_t) {
          if (error) return;
          self->pump(self->client_, self->upstream_, self->to_upstream_);
          self->pump(self->upstream_, self->client_, self->to_client_);
        });
  }

 private:
  using Buffer = std::array<char, 16 * 1024>;

  // Copies from -> to, one read then one write at a time, until from ends or to breaks.
  void pump(tcp::socket& from, tcp::socket& to, Buffer& buffer) {
    from.async_read_some(
        boost::asio::buffer(buffer), [self = shared_from_this(), &from, &to, &buffer](
                                         boost::system::error_code read_error, std::size_t count) {
          if (read_error) {
            boost::system::error_code ignored;
            to.shutdown(tcp::socket::shutdown_send, ignored);
            return;
          }
          boost::asio::async_write(
              to, boost::asio::buffer(buffer, count),
              [self, &from, &to, &buffer](boost::system::error_code write_error, std::size_t) {
                if (write_error) {
                  boost::system::error_code ignored;
                  from.shutdown(tcp::socket::shutdown_receive, ignored);
                  return;
                }
                self->pump(from, to, buffer);
              });
        });
  }

  tcp::socket client_;
  tcp::socket upstream_;
  std::string pending_;
  Buffer to_upstream_{};
  Buffer to_client_{};
};

}  // namespace

void start_tunnel(tcp::socket client, tcp::socket upstream, std::string already_received) {
  std::make_shared<Tunnel>(std::move(client), std::move(upstream))
      ->start(std::move(already_received));
}

}  // namespace tether::test
