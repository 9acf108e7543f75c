// clientcmd parseProxyURL over Go's url.Parse (texts checked against kubectl 1.33).
#include "client/proxy_url.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

std::string error_of(const std::string& url) {
  auto r = parse_proxy_url(url);
  return r.ok() ? "(ok)" : r.error().message;
}

TEST(ProxyUrl, Parses) {
  auto p = parse_proxy_url("http://user:p%40ss@127.0.0.1:3128");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->scheme, "http");
  EXPECT_EQ(p->host, "127.0.0.1");
  EXPECT_EQ(p->port, 3128);
  EXPECT_EQ(p->username, "user");
  EXPECT_EQ(p->password, "p@ss");
  EXPECT_EQ(parse_proxy_url("HTTPS://proxy")->port, 443);
  EXPECT_EQ(parse_proxy_url("socks5://[::1]")->host, "::1");
  EXPECT_EQ(parse_proxy_url("socks5://[::1]")->port, 1080);
  EXPECT_EQ(parse_proxy_url("http://proxy/")->port, 80);
}

TEST(ProxyUrl, ErrorsAsKubectl) {
  EXPECT_EQ(error_of("ftp://x"), "unsupported scheme \"ftp\", must be http, https, or socks5");
  EXPECT_EQ(error_of("localhost:3128"), "unsupported scheme \"localhost\", must be http, https, or socks5");
  EXPECT_EQ(error_of("/just/a/path"), "unsupported scheme \"\", must be http, https, or socks5");
  EXPECT_EQ(error_of("127.0.0.1:3128"), "could not parse: 127.0.0.1:3128");
  EXPECT_EQ(error_of("http://[bad"), "could not parse: http://[bad");
  EXPECT_EQ(error_of("http://h:port"), "could not parse: http://h:port");
  EXPECT_EQ(error_of(":3128"), "could not parse: :3128");
}

}  // namespace
}  // namespace kapi::client
