#pragma once
// The SOCKS5 client side of a socks5:// proxy-url (RFC 1928, with RFC 1929 username/password
// when the URL has userinfo), as Go's net/http dialer speaks it.
#include <string>

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

}  // namespace kapi::client
