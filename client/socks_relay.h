#pragma once
// A socks5:// proxy-url for cpp-httplib, which can only dial a host and port itself (it cannot
// take a connected socket): an in-process relay listens on 127.0.0.1:<ephemeral>, and each
// connection the HTTP client makes to it is carried through the SOCKS5 proxy (RFC 1928, with
// RFC 1929 username/password when the URL has userinfo) to the API server. The TLS session
// still runs end to end between the client and the server, so SNI and certificate checks keep
// the server's name.
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/proxy_url.h"

namespace kapi::client {

// Go's form of an address: host:port, an IPv6 literal in brackets (net.JoinHostPort).
std::string join_host_port(const std::string& host, int port);

// The SOCKS5 exchange on a socket already connected to the proxy, as Go's net/http dialer does
// it: greeting (no-auth, plus username/password when `proxy` has userinfo), sub-negotiation,
// then CONNECT host:port (a domain name unless host is an IP literal). "" when the tunnel is
// open, else the error text Go gives ("username/password authentication failed",
// "unknown error connection not allowed by ruleset", ...).
std::string socks5_handshake(int fd, const ProxyUrl& proxy, const std::string& host, int port);

class SocksRelay {
 public:
  // Listens on 127.0.0.1 and starts accepting; nullptr if no socket could be had.
  static std::unique_ptr<SocksRelay> start(ProxyUrl proxy, std::string host, int port);
  ~SocksRelay();  // stops every tunnel and joins the threads

  int port() const { return port_; }
  // Why the last tunnel could not be opened, as kubectl says it ("socks connect tcp
  // proxy->server: ..."), or nullopt (none failed, or the proxy could not be dialed at all:
  // that is diagnosed by the caller as for an http:// proxy).
  std::optional<std::string> last_error() const;

 private:
  SocksRelay(ProxyUrl proxy, std::string host, int port) : proxy_(std::move(proxy)), host_(std::move(host)), target_port_(port) {}
  void accept_loop();
  void serve(int client_fd);
  void pump(int a, int b) const;
  void set_error(std::optional<std::string> text);

  ProxyUrl proxy_;
  std::string host_;
  int target_port_ = 0;
  int listen_fd_ = -1, port_ = 0;
  int stop_pipe_[2] = {-1, -1};  // readable once the relay is being destroyed
  std::thread acceptor_;
  std::vector<std::thread> tunnels_;  // joined on destruction (accept thread only appends)
  mutable std::mutex mu_;
  std::optional<std::string> error_;
  std::set<int> handshaking_;  // proxy sockets in the handshake (shut down to stop)
  bool stopping_ = false;
};

}  // namespace kapi::client
