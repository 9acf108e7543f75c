#pragma once
// The byte stream under one HTTP connection: a TCP socket, or TLS over one. Timeouts are the
// socket's SO_RCVTIMEO / SO_SNDTIMEO; a timed-out call fails like a closed connection.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

typedef struct ssl_st SSL;

namespace kapi::http {

class Transport {
 public:
  virtual ~Transport() = default;
  // Reads what is available, up to n bytes (blocking for at least one); 0 on EOF, error or timeout.
  virtual size_t read(char* buf, size_t n) = 0;
  // Writes the parts in order, all of them; false once the peer is gone (no SIGPIPE).
  virtual bool write(std::initializer_list<std::string_view> parts) = 0;
  // False once the peer has closed its end (FIN, reset or error seen on the socket), without
  // reading anything: how an idle watch notices that its client went away.
  virtual bool alive() = 0;
  // Ends the stream cleanly before the socket is closed (TLS: close_notify), unless it failed.
  virtual void finish() {}
};

// Plain TCP; the fd stays owned by the caller. Writes go out with one sendmsg where possible.
std::unique_ptr<Transport> new_plain_transport(int fd);

// TLS on an SSL whose handshake is done; the SSL stays owned by the caller. Small parts are
// joined into one SSL_write (one record, one syscall).
std::unique_ptr<Transport> new_tls_transport(SSL* ssl);

// The alive() check on a socket.
bool socket_alive(int fd);

// Sets the read and write timeouts of a socket.
void set_socket_timeouts(int fd, int read_seconds, int write_seconds);

}  // namespace kapi::http
