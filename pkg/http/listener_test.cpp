#include "pkg/http/listener.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kapi::http {
namespace {

TEST(Listener, AnyPortIPv4AndIPv6) {
  for (std::string addr : {"127.0.0.1", "0.0.0.0", "::", "::1"}) {
    int port = 0;
    std::string err;
    int fd = listen_tcp(addr, 0, &port, &err);
    ASSERT_GE(fd, 0) << addr << ": " << err;
    EXPECT_GT(port, 0);
    EXPECT_TRUE(port_in_use(addr, port)) << addr;
    int reuse = 0;
    socklen_t len = sizeof reuse;
    getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &reuse, &len);
    EXPECT_EQ(reuse, 0) << "SO_REUSEPORT would let a second server share the port";
    ::close(fd);
  }
}

TEST(Listener, DualStackOnAnyIPv6) {
  int port = 0;
  std::string err;
  int fd = listen_tcp("::", 0, &port, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_TRUE(port_in_use("127.0.0.1", port));  // "::" also takes IPv4, as Go's listener
  ::close(fd);
}

TEST(Listener, BusyPortIsGosError) {
  int port = 0;
  std::string err;
  int fd = listen_tcp("127.0.0.1", 0, &port, &err);
  ASSERT_GE(fd, 0);
  int port2 = 0;
  EXPECT_EQ(listen_tcp("127.0.0.1", port, &port2, &err), -1);
  std::string hp = "127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(err, "failed to create listener: failed to listen on " + hp + ": listen tcp " + hp +
                     ": bind: address already in use");
  ::close(fd);
}

TEST(Listener, UnusableAddress) {
  int port = 0;
  std::string err;
  EXPECT_EQ(listen_tcp("192.0.2.1", 0, &port, &err), -1);  // TEST-NET-1: not ours
  EXPECT_EQ(err, "cannot listen on 192.0.2.1");
  EXPECT_EQ(listen_tcp("192.0.2.1", 1234, &port, &err), -1);
  EXPECT_EQ(err, "failed to listen on 192.0.2.1:1234: Cannot assign requested address");
}

// Go's net.Listen texts, as kubectl proxy prints them (observed with kubectl 1.33).
TEST(Listener, GoListen) {
  std::string bound, err;
  int fd = listen_go("tcp", "127.0.0.1:0", &bound, &err);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(bound, "127.0.0.1:" + std::to_string(local_port(fd)));
  EXPECT_EQ(listen_go("tcp", bound, &bound, &err), -1);
  EXPECT_EQ(err, "listen tcp 127.0.0.1:" + std::to_string(local_port(fd)) + ": bind: address already in use");
  ::close(fd);
  EXPECT_EQ(listen_go("tcp", ":::0", &bound, &err), -1);
  EXPECT_EQ(err, "listen tcp: address :::0: too many colons in address");
  EXPECT_EQ(listen_go("tcp", "192.0.2.1:8001", &bound, &err), -1);
  EXPECT_EQ(err, "listen tcp 192.0.2.1:8001: bind: cannot assign requested address");
  fd = listen_go("tcp", "localhost:0", &bound, &err);  // a name: its IPv4 address
  ASSERT_GE(fd, 0);
  EXPECT_EQ(bound.rfind("127.0.0.1:", 0), 0u) << bound;
  ::close(fd);
  std::string path = ::testing::TempDir() + "/kapi-listen-" + std::to_string(::getpid()) + ".sock";
  fd = listen_go("unix", path, &bound, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_EQ(bound, path);
  EXPECT_EQ(listen_go("unix", path, &bound, &err), -1);
  EXPECT_EQ(err, "listen unix " + path + ": bind: address already in use");
  ::close(fd);
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace kapi::http
