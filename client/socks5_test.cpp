// The SOCKS5 exchange byte for byte against a scripted proxy on a socketpair, and the error
// texts of Go's net/http socks dialer.
#include "client/socks5.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <thread>

namespace kapi::client {
namespace {

// Runs the handshake against a proxy that answers `replies` in order (each after reading what
// the client sent so far); returns the error text and fills `sent` with the client's bytes.
std::string exchange(const ProxyUrl& p, const std::string& host, int port, std::vector<std::string> replies,
                     std::string& sent) {
  int sv[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  std::thread proxy([&] {
    char buf[1024];
    for (const auto& r : replies) {
      ssize_t n = ::read(sv[1], buf, sizeof buf);
      if (n <= 0) break;
      sent.append(buf, static_cast<size_t>(n));
      (void)!::write(sv[1], r.data(), r.size());
    }
    ::shutdown(sv[1], SHUT_WR);
  });
  std::string err = socks5_handshake(sv[0], p, host, port);
  ::close(sv[0]);
  proxy.join();
  ::close(sv[1]);
  return err;
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}

const std::string kOkReply = bytes({5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90});

TEST(Socks5Handshake, NoAuthDomainName) {
  ProxyUrl p{"socks5", "proxy", 1080, "", ""};
  std::string sent;
  EXPECT_EQ(exchange(p, "api.example", 443, {bytes({5, 0}), kOkReply}, sent), "");
  EXPECT_EQ(sent, bytes({5, 1, 0}) + bytes({5, 1, 0, 3, 11}) + "api.example" + bytes({1, 0xbb}));
}

TEST(Socks5Handshake, UserPassIPv6) {
  ProxyUrl p{"socks5", "proxy", 1080, "alice", "pw"};
  std::string sent;
  EXPECT_EQ(exchange(p, "::1", 6443, {bytes({5, 2}), bytes({1, 0}), kOkReply}, sent), "");
  std::string v6 = bytes({5, 1, 0, 4}) + std::string(15, '\0') + bytes({1, 0x19, 0x2b});
  EXPECT_EQ(sent, bytes({5, 2, 0, 2}) + bytes({1, 5}) + "alice" + bytes({2}) + "pw" + v6);
}

TEST(Socks5Handshake, ErrorsAsGo) {
  ProxyUrl anon{"socks5", "proxy", 1080, "", ""}, user{"socks5", "proxy", 1080, "alice", "x"};
  std::string sent;
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {bytes({5, 0xff})}, sent), "no acceptable authentication methods");
  EXPECT_EQ(exchange(user, "1.2.3.4", 443, {bytes({5, 2}), bytes({1, 1})}, sent),
            "username/password authentication failed");
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {bytes({5, 0}), bytes({5, 5, 0, 1})}, sent),
            "unknown error connection refused");
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {bytes({5, 0}), bytes({5, 0, 0, 9})}, sent), "unknown address type 9");
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {bytes({4, 0})}, sent), "unexpected protocol version 4");
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {bytes({5})}, sent), "unexpected EOF");
  EXPECT_EQ(exchange(anon, "1.2.3.4", 443, {""}, sent), "EOF");
  ProxyUrl no_name{"socks5", "proxy", 1080, "", "pw"};
  EXPECT_EQ(exchange(no_name, "1.2.3.4", 443, {bytes({5, 2})}, sent), "invalid username/password");
}

TEST(Socks5Handshake, JoinHostPort) {
  EXPECT_EQ(join_host_port("::1", 1080), "[::1]:1080");
  EXPECT_EQ(join_host_port("localhost", 443), "localhost:443");
}

// A proxy that resets the TCP connection after the greeting: Go's net.OpError text with both
// addresses (taken before the reset).
TEST(Socks5, ResetByProxyIsGosOpError) {
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(l, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(l, 1), 0);
  ASSERT_EQ(getsockname(l, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int port = ntohs(addr.sin_port);
  std::thread proxy([l] {
    int c = ::accept(l, nullptr, nullptr);
    char buf[16];
    (void)!::read(c, buf, sizeof buf);
    struct linger lg {1, 0};
    setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    ::close(c);
  });
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string err = socks5_handshake(fd, ProxyUrl{"socks5", "127.0.0.1", port, "", ""}, "10.0.0.1", 443);
  proxy.join();
  ::close(fd);
  ::close(l);
  EXPECT_TRUE(std::regex_match(err, std::regex("read tcp 127\\.0\\.0\\.1:[0-9]+->127\\.0\\.0\\.1:" +
                                                std::to_string(port) + ": read: connection reset by peer")))
      << err;
}

}  // namespace
}  // namespace kapi::client
