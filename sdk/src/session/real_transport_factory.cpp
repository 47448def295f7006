#include "session/real_transport_factory.hpp"

#include "transport/emulated/emulated_transport.hpp"
#include "transport/native/native_transport.hpp"

namespace tether::session {
namespace {

class RealTransportFactory final : public transport::TransportFactory {
 public:
  explicit RealTransportFactory(IoContext& io) : io_(io) {}

  std::shared_ptr<transport::Transport> create(TransportKind kind, const http::Url& url) override {
    return kind == TransportKind::Emulated ? transport::make_emulated_transport(io_)
                                           : transport::make_native_transport(io_, url.is_secure());
  }

 private:
  IoContext& io_;
};

}  // namespace

std::shared_ptr<transport::TransportFactory> make_real_transport_factory(IoContext& io) {
  return std::make_shared<RealTransportFactory>(io);
}

}  // namespace tether::session
