// Test-only (header only): a blocking HTTPS client over Beast whose every
// read and write is bounded by socket timeouts, so a test can never hang on
// the server.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cloison::server::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // field names lower-cased
  bool keep_alive = false;
};

struct ClientOptions {
  std::string ca_file;              // verify the server against it
  std::string cert_file, key_file;  // client certificate (mTLS), optional
  bool tls12_only = false;          // to check that the server refuses it
  std::chrono::milliseconds timeout{5000};
  int receive_buffer = 0;  // SO_RCVBUF before connecting, if > 0 (a slow reader)
};

class Client {
 public:
  Client(uint16_t port, ClientOptions options) : port_(port), options_(std::move(options)) {}

  // Connects and handshakes (again, if the connection was closed).
  Status Connect() {
    stream_.reset();
    buffer_.clear();
    ctx_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    if (options_.tls12_only) {
      SSL_CTX_set_max_proto_version(ctx_->native_handle(), TLS1_2_VERSION);
    }
    ctx_->load_verify_file(options_.ca_file, ec);
    if (ec) return Status::IoError("ca: " + ec.message());
    ctx_->set_verify_mode(ssl::verify_peer);
    ctx_->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    if (!options_.cert_file.empty()) {
      ctx_->use_certificate_chain_file(options_.cert_file, ec);
      if (!ec) ctx_->use_private_key_file(options_.key_file, ssl::context::pem, ec);
      if (ec) return Status::IoError("client cert: " + ec.message());
    }
    stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, *ctx_);
    auto& sock = beast::get_lowest_layer(*stream_).socket();
    if (options_.receive_buffer > 0) {
      sock.open(asio::ip::tcp::v4(), ec);
      if (ec) return Status::IoError("socket: " + ec.message());
      sock.set_option(asio::socket_base::receive_buffer_size(options_.receive_buffer), ec);
      if (ec) return Status::IoError("SO_RCVBUF: " + ec.message());
    }
    sock.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec) return Status::IoError("connect: " + ec.message());
    struct timeval tv;
    tv.tv_sec = options_.timeout.count() / 1000;
    tv.tv_usec = (options_.timeout.count() % 1000) * 1000;
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    stream_->handshake(ssl::stream_base::client, ec);
    if (ec) return Status::IoError("handshake: " + ec.message());
    return Status::Ok();
  }

  // One request on the kept-alive connection (connecting first if needed).
  Result<Reply> Send(const std::string& method, const std::string& target,
                     const std::string& body = {}, const std::string& token = {},
                     const std::map<std::string, std::string>& headers = {}) {
    if (!stream_) RETURN_IF_ERROR(Connect());
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    boost::system::error_code ec;
    http::write(*stream_, req, ec);
    if (ec) return Closed("write: " + ec.message());
    return Read();
  }

  // Raw bytes on the TLS connection, then one answer (or the error).
  Result<Reply> SendRaw(std::string_view bytes) {
    RETURN_IF_ERROR(WriteRaw(bytes));
    return Read();
  }

  // Raw bytes on the TLS connection, no answer read (Read takes them).
  Status WriteRaw(std::string_view bytes) {
    if (!stream_) RETURN_IF_ERROR(Connect());
    boost::system::error_code ec;
    asio::write(*stream_, asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec) return Closed("write: " + ec.message());
    return Status::Ok();
  }

  // Each piece in a TLS record of its own, all sent in one TCP segment
  // (TCP_CORK held meanwhile): the server's first read brings them all.
  Status WriteRecords(const std::vector<std::string>& pieces) {
    if (!stream_) RETURN_IF_ERROR(Connect());
    int fd = beast::get_lowest_layer(*stream_).socket().native_handle();
    int on = 1, off = 0;
    ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
    for (const std::string& p : pieces) {
      boost::system::error_code ec;
      asio::write(*stream_, asio::buffer(p), ec);
      if (ec) return Closed("write: " + ec.message());
    }
    ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
    return Status::Ok();
  }

  // The next answer on the connection.
  Result<Reply> Read() {
    if (!stream_) return Status::IoError("read: not connected");
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    boost::system::error_code ec;
    http::read(*stream_, buffer_, parser, ec);
    if (ec) return Closed("read: " + ec.message());
    auto res = parser.release();
    Reply r;
    r.status = static_cast<int>(res.result_int());
    r.body = res.body();
    r.keep_alive = res.keep_alive();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      r.headers[name] = std::string(f.value());
    }
    if (!r.keep_alive) {
      stream_.reset();
      buffer_.clear();
    }
    return r;
  }

  // Waits for the server to close the connection; true if it did within
  // the timeout.
  bool ClosedByServer() {
    if (!stream_) return true;
    char c;
    boost::system::error_code ec;
    stream_->read_some(asio::buffer(&c, 1), ec);
    bool closed = ec && ec != asio::error::would_block && ec != asio::error::try_again;
    stream_.reset();
    buffer_.clear();
    return closed;
  }

  // Drops the connection without close_notify.
  void Close() {
    stream_.reset();
    buffer_.clear();
  }

 private:
  Status Closed(std::string what) {
    stream_.reset();
    buffer_.clear();
    return Status::IoError(std::move(what));
  }

  uint16_t port_;
  ClientOptions options_;
  asio::io_context ioc_;
  std::unique_ptr<ssl::context> ctx_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream_;
  // Bytes read past an answer: the start of the next one (pipelining).
  beast::flat_buffer buffer_;
};

}  // namespace cloison::server::testing
