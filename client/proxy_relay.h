#pragma once
// A proxy between the client's HTTP layer and the API server for socks5:// and https:// proxies
// (and CONNECT through an http:// one to an https:// server). An in-process relay listens on
// 127.0.0.1:<ephemeral> and carries each connection the HTTP client makes to it through the
// proxy: a socks5:// proxy (SOCKS5 CONNECT), or an https:// one (TLS to the proxy, then HTTP
// CONNECT inside it). The TLS session with the API server still runs end to end inside the
// tunnel, so SNI and certificate checks keep the server's name; the HTTP client only ever
// deals with one plain socket (no TLS stacked inside TLS). The relay's threads ignore
// SIGPIPE (a closed tunnel is an error, as for Go).
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/proxy_url.h"

typedef struct ssl_st SSL;

namespace kapi::client {

// One tunnel's side towards the proxy: the connected socket, and for an https:// proxy the TLS
// session over it (owned by the relay once set).
struct TunnelEnd {
  int fd = -1;
  SSL* ssl = nullptr;
};

// Opens the tunnel on a socket connected to the proxy: "" when bytes may flow, else the error
// as kubectl prints it. Runs on a relay thread.
using TunnelHandshake = std::function<std::string(TunnelEnd&)>;

class ProxyRelay {
 public:
  // Listens on 127.0.0.1 and starts accepting; nullptr if no socket could be had.
  static std::unique_ptr<ProxyRelay> start(ProxyUrl proxy, TunnelHandshake handshake);
  ~ProxyRelay();  // stops every tunnel and joins the threads

  int port() const { return port_; }
  // Why the last tunnel could not be opened, or nullopt (none failed, or the proxy could not be
  // dialed at all: that is diagnosed by the caller by dialing it again).
  std::optional<std::string> last_error() const;

 private:
  ProxyRelay(ProxyUrl proxy, TunnelHandshake hs) : proxy_(std::move(proxy)), handshake_(std::move(hs)) {}
  void accept_loop();
  void serve(int client_fd);
  void pump(int client_fd, const TunnelEnd& end) const;
  void set_error(std::optional<std::string> text);

  ProxyUrl proxy_;
  TunnelHandshake handshake_;
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
