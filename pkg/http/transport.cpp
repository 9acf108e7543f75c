#include "pkg/http/transport.h"

#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace kapi::http {
namespace {

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}

  size_t read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::recv(fd_, buf, n, 0);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) return 0;
    }
  }

  bool alive() override { return socket_alive(fd_); }

  bool write(std::initializer_list<std::string_view> parts) override {
    if (parts.size() > 8) {
      for (auto p : parts)
        if (!write({p})) return false;
      return true;
    }
    iovec iov[8];
    size_t n = 0;
    for (auto p : parts)
      if (!p.empty()) iov[n++] = {const_cast<char*>(p.data()), p.size()};
    size_t first = 0;
    while (first < n) {
      msghdr msg{};
      msg.msg_iov = iov + first;
      msg.msg_iovlen = n - first;
      ssize_t w = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      // Skip what went out; a partial write resumes inside an iovec.
      auto left = static_cast<size_t>(w);
      while (first < n && left >= iov[first].iov_len) left -= iov[first++].iov_len;
      if (first < n) {
        iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
        iov[first].iov_len -= left;
      }
    }
    return true;
  }

 private:
  int fd_;
};

class TlsTransport : public Transport {
 public:
  explicit TlsTransport(SSL* ssl) : ssl_(ssl) {}

  size_t read(char* buf, size_t n) override {
    int r = SSL_read(ssl_, buf, static_cast<int>(n > (1 << 30) ? (1 << 30) : n));
    if (r > 0) return static_cast<size_t>(r);
    note_error(r);
    return 0;
  }

  bool alive() override { return socket_alive(SSL_get_fd(ssl_)); }

  void finish() override {
    // OpenSSL forbids SSL_shutdown after a fatal error.
    if (!failed_) SSL_shutdown(ssl_);
  }

  bool write(std::initializer_list<std::string_view> parts) override {
    size_t total = 0;
    for (auto p : parts) total += p.size();
    if (total <= kJoinLimit && parts.size() > 1) {
      joined_.clear();
      for (auto p : parts) joined_.append(p);
      return write_one(joined_);
    }
    for (auto p : parts)
      if (!write_one(p)) return false;
    return true;
  }

 private:
  // Copying this much is cheaper than another TLS record and syscall.
  static constexpr size_t kJoinLimit = 64 * 1024;

  bool write_one(std::string_view data) {
    while (!data.empty()) {
      int chunk = static_cast<int>(data.size() > (1 << 30) ? (1 << 30) : data.size());
      int w = SSL_write(ssl_, data.data(), chunk);
      if (w <= 0) {
        note_error(w);
        return false;
      }
      data.remove_prefix(static_cast<size_t>(w));
    }
    return true;
  }

  void note_error(int rc) {
    int e = SSL_get_error(ssl_, rc);
    if (e != SSL_ERROR_ZERO_RETURN) failed_ = true;  // anything but the peer's close_notify
  }

  SSL* ssl_;
  std::string joined_;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<Transport> new_plain_transport(int fd) { return std::make_unique<PlainTransport>(fd); }

std::unique_ptr<Transport> new_tls_transport(SSL* ssl) { return std::make_unique<TlsTransport>(ssl); }

bool socket_alive(int fd) {
  // POLLRDHUP: the peer's FIN even when unread bytes (a TLS close_notify) are queued before it.
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  int n = ::poll(&p, 1, 0);
  return n == 0 || (n > 0 && !(p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)));
}

void set_socket_timeouts(int fd, int read_seconds, int write_seconds) {
  timeval rt{read_seconds, 0}, wt{write_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rt, sizeof rt);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wt, sizeof wt);
}

}  // namespace kapi::http
