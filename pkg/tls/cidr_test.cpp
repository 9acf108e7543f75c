#include "pkg/tls/cidr.h"

#include <gtest/gtest.h>

namespace kapi::tls {
namespace {

std::string first(const std::string& cidr) {
  auto r = first_ip_of_cidr(cidr);
  return r.ok() ? *r : "ERR: " + r.error().message;
}

TEST(Cidr, FirstIp) {
  EXPECT_EQ(first("10.96.0.0/12"), "10.96.0.1");
  EXPECT_EQ(first("10.96.5.7/12"), "10.96.0.1");  // host bits masked, as net.ParseCIDR
  EXPECT_EQ(first("192.168.0.0/16"), "192.168.0.1");
  EXPECT_EQ(first("10.0.0.0/31"), "10.0.0.1");
  EXPECT_EQ(first("fd00::/108"), "fd00::1");
  EXPECT_EQ(first("FD00:0:0:0::/64"), "fd00::1");
  EXPECT_EQ(first("2001:db8:1::/48"), "2001:db8:1::1");
}

TEST(Cidr, Errors) {
  for (const char* bad : {"", "10.96.0.0", "10.96.0.0/", "10.96.0.0/33", "10.96.0.0/-1",
                          "10.96.0.0/012", "foo/12", "/12", "10.96.0.0/12/3", "10.96.0/12",
                          "fd00::/129", "fd00::%eth0/64", "10.96.0.0/1a", " 10.96.0.0/12"}) {
    auto r = parse_cidr(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().message, std::string("invalid CIDR address: ") + bad);
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
  auto small = first_ip_of_cidr("10.0.0.5/32");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().message.find("subnet too small"), std::string::npos);
  EXPECT_FALSE(first_ip_of_cidr("fd00::1/128").ok());
}

TEST(Cidr, ParseAndContains) {
  auto c = parse_cidr("10.96.0.0/12");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->to_string(), "10.96.0.0/12");
  EXPECT_FALSE(c->network.v6);
  EXPECT_TRUE(c->contains(*parse_ip("10.111.255.255")));
  EXPECT_FALSE(c->contains(*parse_ip("10.112.0.0")));
  EXPECT_FALSE(c->contains(*parse_ip("::1")));
  auto zero = parse_cidr("0.0.0.0/0");
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->contains(*parse_ip("8.8.8.8")));

  auto v6 = parse_cidr("fd00:10:96::1234/112");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->to_string(), "fd00:10:96::/112");
  EXPECT_TRUE(v6->network.v6);
}

TEST(Cidr, IndexedIpCarries) {
  auto c = parse_cidr("10.0.0.0/8");
  ASSERT_TRUE(c.ok());
  auto ip = indexed_ip(*c, 256);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip->to_string(), "10.0.1.0");
  ip = indexed_ip(*c, 0x00ffffff);
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(ip->to_string(), "10.255.255.255");
  EXPECT_FALSE(indexed_ip(*c, 0x01000000).ok());
}

TEST(Cidr, DualStackList) {
  auto l = parse_cidr_list("10.96.0.0/12,fd00::/108");
  ASSERT_TRUE(l.ok()) << l.error().message;
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[1].to_string(), "fd00::/108");
  EXPECT_FALSE(parse_cidr_list("10.96.0.0/12,10.97.0.0/16").ok());
  EXPECT_FALSE(parse_cidr_list("10.96.0.0/12,").ok());
  EXPECT_FALSE(parse_cidr_list("10.96.0.0/12,fd00::/108,10.1.0.0/16").ok());
}

TEST(Ip, Parse) {
  EXPECT_EQ(parse_ip("FD00:0:0::1")->to_string(), "fd00::1");
  EXPECT_EQ(parse_ip("127.0.0.1")->to_string(), "127.0.0.1");
  EXPECT_TRUE(is_ip("::"));
  EXPECT_FALSE(is_ip("localhost"));
  EXPECT_FALSE(is_ip("1.2.3"));
  EXPECT_FALSE(is_ip("01.2.3.4"));
  auto r = parse_ip("nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "invalid IP address: nope");
}

}  // namespace
}  // namespace kapi::tls
