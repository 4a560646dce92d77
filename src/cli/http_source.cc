#include "cli/http_source.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace cloison::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

// Runs one asynchronous operation to completion on `ioc`. The operation's
// stream carries an expiry (beast::tcp_stream), which bounds it: on expiry
// the socket is closed and the operation completes with a timeout error.
template <typename Start>
beast::error_code Run(net::io_context& ioc, Start start) {
  beast::error_code result;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  ioc.run();
  if (!done) return net::error::timed_out;
  return result;
}

struct Url {
  bool tls = false;
  std::string host;         // without brackets
  std::string host_header;  // as sent in Host:
  std::string port;
  std::string prefix;  // "" or "/path" without a trailing slash
};

Result<Url> ParseUrl(std::string_view url) {
  Url u;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Status::InvalidArgument("--url: got \"" + std::string(url) +
                                   "\", want http://HOST[:PORT]/PATH or https://...");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return Status::InvalidArgument("--url: got \"" + std::string(url) +
                                   "\", want a host (and no user info)");
  std::string_view host = authority, port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return Status::InvalidArgument("--url: unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Status::InvalidArgument("--url: want ':' after ']'");
      port = authority.substr(close + 2);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Status::InvalidArgument("--url: empty host");
  if (!port.empty() &&
      (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos))
    return Status::InvalidArgument("--url: port: got \"" + std::string(port) + "\", want a number");
  if (path.find_first_of("?#") != std::string_view::npos)
    return Status::InvalidArgument("--url: want a prefix without query or fragment");
  u.host = std::string(host);
  u.port = port.empty() ? (u.tls ? "443" : "80") : std::string(port);
  u.host_header = std::string(authority);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  u.prefix = std::string(path);
  return u;
}

}  // namespace

struct HttpSource::Impl {
  Url url;
  HttpOptions options;
  net::io_context ioc;
  std::optional<ssl::context> ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  std::string Where(std::string_view path) const {
    return std::string(url.tls ? "https://" : "http://") + url.host_header + url.prefix + "/" +
           std::string(path);
  }
  bool connected() const { return plain.has_value() || tls.has_value(); }
  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }

  void Close() {
    beast::error_code ec;
    if (plain) plain->socket().close(ec);
    if (tls) beast::get_lowest_layer(*tls).socket().close(ec);
    plain.reset();
    tls.reset();
    buffer.clear();
  }

  Status Connect() {
    Close();
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return Status::IoError("cannot resolve " + url.host + ": " + ec.message());
    if (url.tls) {
      tls.emplace(ioc, *ctx);
      // SNI, then certificate chain and host name checks during the handshake.
      if (!SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str()))
        return Status::IoError("TLS: cannot set the server name " + url.host);
      tls->set_verify_mode(ssl::verify_peer);
      tls->set_verify_callback(ssl::host_name_verification(url.host));
    } else {
      plain.emplace(ioc);
    }
    lowest().expires_after(options.timeout);
    ec = Run(ioc, [&](auto h) { lowest().async_connect(endpoints, h); });
    if (ec) {
      Close();
      return Status::IoError("cannot connect to " + url.host_header + ": " + ec.message());
    }
    if (url.tls) {
      lowest().expires_after(options.timeout);
      ec = Run(ioc, [&](auto h) { tls->async_handshake(ssl::stream_base::client, h); });
      if (ec) {
        Close();
        return Status::IoError(
            "TLS handshake with " + url.host_header + ": " + ec.message() +
            (options.cacert.empty() ? "" : " (trusting " + options.cacert + ")"));
      }
    }
    return Status::Ok();
  }

  template <typename Stream>
  beast::error_code Exchange(Stream& s, const http::request<http::empty_body>& req,
                             http::response_parser<http::string_body>& parser) {
    lowest().expires_after(options.timeout);
    beast::error_code ec = Run(ioc, [&](auto h) { http::async_write(s, req, h); });
    if (ec) return ec;
    lowest().expires_after(options.timeout);
    return Run(ioc, [&](auto h) { http::async_read(s, buffer, parser, h); });
  }

  Result<std::string> Get(std::string_view path) {
    http::request<http::empty_body> req{http::verb::get, url.prefix + "/" + std::string(path), 11};
    req.set(http::field::host, url.host_header);
    req.set(http::field::user_agent, "cloison-verify");
    req.set(http::field::accept_encoding, "identity");
    req.keep_alive(true);
    for (int attempt = 0;; ++attempt) {
      const bool reused = connected();
      if (!reused) RETURN_IF_ERROR(Connect());
      http::response_parser<http::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      parser.header_limit(kMaxHeaderBytes);
      beast::error_code ec = plain ? Exchange(*plain, req, parser) : Exchange(*tls, req, parser);
      if (ec) {
        Close();
        // A kept-alive connection the server has since closed: once more, anew.
        if (reused && attempt == 0 && ec != http::error::body_limit && ec != beast::error::timeout)
          continue;
        if (ec == http::error::body_limit)
          return Status::IoError("GET " + Where(path) + ": larger than " +
                                 std::to_string(options.max_body_bytes) + " bytes");
        return Status::IoError("GET " + Where(path) + ": " + ec.message());
      }
      auto& res = parser.get();
      if (!res.keep_alive()) Close();
      const unsigned code = res.result_int();
      if (code == 404 || code == 410)
        return Status::NotFound("GET " + Where(path) + ": HTTP " + std::to_string(code));
      if (code != 200)
        return Status::IoError("GET " + Where(path) + ": HTTP " + std::to_string(code) + " " +
                               std::string(res.reason()));
      if (auto enc = res[http::field::content_encoding]; !enc.empty() && enc != "identity")
        return Status::IoError("GET " + Where(path) + ": Content-Encoding " + std::string(enc) +
                               ", want identity");
      return std::move(res.body());
    }
  }
};

HttpSource::HttpSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpSource::~HttpSource() {
  if (impl_) impl_->Close();
}

Result<std::unique_ptr<HttpSource>> HttpSource::Open(std::string_view url,
                                                     const HttpOptions& options) {
  ASSIGN_OR_RETURN(Url u, ParseUrl(url));
  auto impl = std::make_unique<Impl>();
  impl->url = std::move(u);
  impl->options = options;
  if (impl->url.tls) {
    try {
      impl->ctx.emplace(ssl::context::tls_client);
      impl->ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1);
      if (options.cacert.empty()) {
        impl->ctx->set_default_verify_paths();
      } else {
        impl->ctx->load_verify_file(options.cacert);
      }
    } catch (const boost::system::system_error& e) {
      return Status::InvalidArgument((options.cacert.empty() ? std::string("TLS: system roots")
                                                             : "--cacert: " + options.cacert) +
                                     ": " + e.code().message());
    }
  } else if (!options.cacert.empty()) {
    return Status::InvalidArgument("--cacert: only with an https:// --url");
  }
  return std::unique_ptr<HttpSource>(new HttpSource(std::move(impl)));
}

Result<std::string> HttpSource::Fetch(std::string_view path) {
  try {
    return impl_->Get(path);
  } catch (const std::exception& e) {  // Beast and Asio throw only on misuse
    impl_->Close();
    return Status::IoError("GET " + impl_->Where(path) + ": " + e.what());
  }
}

}  // namespace cloison::cli
