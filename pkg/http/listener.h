#pragma once
// The listening socket: bind with SO_REUSEADDR (not SO_REUSEPORT, which would let a second
// server share the port), listen with the system's maximum backlog, accept.
#include <string>

namespace kapi::http {

// Binds `address` (numeric IPv4 or IPv6, or a host name) and listens; port 0 picks a free port.
// Returns the socket and sets *bound_port, or returns -1 with *error set to the text
// `kapi serve` prints.
int listen_tcp(const std::string& address, int port, int* bound_port, std::string* error);

// True when something already accepts connections on address:port (0.0.0.0 and :: probe the
// loopback address).
bool port_in_use(const std::string& address, int port);

// Go's net.Listen for network "tcp" (address "host:port", a name resolved to its first
// address) or "unix" (a path). Returns the socket and sets *bound to the listener's address as
// Go's Addr().String() prints it ("127.0.0.1:34495", "[::1]:8001", the path), or returns -1
// with *error set to Go's text ("listen tcp 1.2.3.4:8001: bind: cannot assign requested
// address").
int listen_go(const std::string& network, const std::string& address, std::string* bound, std::string* error);

// The local port of a TCP socket (0 for others).
int local_port(int fd);

// The numeric address of the peer of a connected socket ("" if unknown).
std::string peer_address(int fd);

}  // namespace kapi::http
