#include "transport/transport_factory.hpp"

#include "transport/emulated/emulated_transport.hpp"
#include "transport/native/native_transport.hpp"

namespace tether::transport {
namespace {

class RealTransportFactory final : public TransportFactory {
 public:
  explicit RealTransportFactory(IoContext& io) : io_(io) {}

  std::shared_ptr<Transport> create(TransportKind kind, const http::Url& url) override {
    return kind == TransportKind::Emulated ? make_emulated_transport(io_)
                                           : make_native_transport(io_, url.is_secure());
  }

 private:
  IoContext& io_;
};

}  // namespace

std::shared_ptr<TransportFactory> make_transport_factory(IoContext& io) {
  return std::make_shared<RealTransportFactory>(io);
}

}  // namespace tether::transport
