#include "echo_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace tether::test {
namespace {

int listen_on_loopback(std::uint16_t& port) {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (descriptor < 0 || ::bind(descriptor, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(descriptor, 16) != 0 ||
      ::getsockname(descriptor, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("echo server: cannot listen on 127.0.0.1");
  }
  port = ntohs(address.sin_port);
  return descriptor;
}

// A throwaway P-256 key and a self-signed certificate for it; libcurl is told not to verify.
SSL_CTX* make_tls_context() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(context, certificate);
  SSL_CTX_use_PrivateKey(context, key);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return context;
}

std::string cookie_header_of(const std::string& request) {
  std::size_t line_start = request.find("\r\n");
  while (line_start != std::string::npos) {
    line_start += 2;
    const std::size_t line_end = request.find("\r\n", line_start);
    const std::string line = request.substr(line_start, line_end - line_start);
    std::string lower = line.substr(0, 7);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "cookie:") {
      const std::size_t value = line.find_first_not_of(' ', 7);
      return value == std::string::npos ? "" : line.substr(value);
    }
    line_start = line_end;
  }
  return {};
}

}  // namespace

struct EchoHttpServer::Impl {
  Impl() {
    plain_listener = listen_on_loopback(plain_port);
    tls_listener = listen_on_loopback(tls_port);
    tls_context = make_tls_context();
    if (::pipe(stop_pipe) != 0) throw std::runtime_error("echo server: pipe failed");
    thread = std::thread([this] { run(); });
  }

  ~Impl() {
    const char byte = 0;
    [[maybe_unused]] const auto written = ::write(stop_pipe[1], &byte, 1);
    thread.join();
    for (int descriptor : {plain_listener, tls_listener, stop_pipe[0], stop_pipe[1]}) {
      ::close(descriptor);
    }
    SSL_CTX_free(tls_context);
  }

  void run() {
    while (true) {
      pollfd descriptors[3] = {
          {stop_pipe[0], POLLIN, 0}, {plain_listener, POLLIN, 0}, {tls_listener, POLLIN, 0}};
      if (::poll(descriptors, 3, -1) < 0) continue;
      if (descriptors[0].revents) return;
      for (int i = 1; i < 3; ++i) {
        if (!descriptors[i].revents) continue;
        const int connection = ::accept(descriptors[i].fd, nullptr, nullptr);
        if (connection < 0) continue;
        serve(connection, descriptors[i].fd == tls_listener);
        ::close(connection);
      }
    }
  }

  void serve(int connection, bool tls) {
    SSL* ssl = nullptr;
    if (tls) {
      ssl = SSL_new(tls_context);
      SSL_set_fd(ssl, connection);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        return;
      }
    }
    const auto receive = [&](char* buffer, int size) {
      return ssl ? SSL_read(ssl, buffer, size)
                 : static_cast<int>(::recv(connection, buffer, static_cast<std::size_t>(size), 0));
    };
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const int received = receive(buffer, sizeof(buffer));
      if (received <= 0) break;
      request.append(buffer, static_cast<std::size_t>(received));
    }
    const std::string response = respond_to(request);
    for (std::size_t sent = 0; sent < response.size();) {
      const int size = static_cast<int>(response.size() - sent);
      const int written =
          ssl ? SSL_write(ssl, response.data() + sent, size)
              : static_cast<int>(::send(connection, response.data() + sent,
                                        static_cast<std::size_t>(size), MSG_NOSIGNAL));
      if (written <= 0) break;
      sent += static_cast<std::size_t>(written);
    }
    if (ssl) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
  }

  std::string respond_to(const std::string& request) {
    const std::lock_guard lock(mutex);
    last_cookie = cookie_header_of(request);
    std::string response = "HTTP/1.1 200 OK\r\n";
    for (const std::string& value : next_cookies) response += "Set-Cookie: " + value + "\r\n";
    next_cookies.clear();
    return response + "Content-Length: 0\r\nConnection: close\r\n\r\n";
  }

  int plain_listener = -1;
  int tls_listener = -1;
  std::uint16_t plain_port = 0;
  std::uint16_t tls_port = 0;
  SSL_CTX* tls_context = nullptr;
  int stop_pipe[2] = {-1, -1};
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<std::string> next_cookies;
  std::string last_cookie;
};

EchoHttpServer::EchoHttpServer() : impl_(std::make_unique<Impl>()) {}
EchoHttpServer::~EchoHttpServer() = default;

std::uint16_t EchoHttpServer::http_port() const { return impl_->plain_port; }
std::uint16_t EchoHttpServer::https_port() const { return impl_->tls_port; }

void EchoHttpServer::set_next_cookies(std::vector<std::string> set_cookie_values) {
  const std::lock_guard lock(impl_->mutex);
  impl_->next_cookies = std::move(set_cookie_values);
}

std::string EchoHttpServer::last_cookie_header() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->last_cookie;
}

}  // namespace tether::test
