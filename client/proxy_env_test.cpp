// Go's httpproxy rules, with the tables of golang.org/x/net/http/httpproxy/proxy_test.go
// (TestUseProxy, TestAllNoProxy, TestInvalidNoProxy, the ASCII cases of TestProxyForURL).
#include "client/proxy_env.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

constexpr const char* kNoProxy =
    "foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, "
    "2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64";

struct UseProxyCase {
  const char* host;
  bool use;
};

const UseProxyCase kUseProxy[] = {
    {"localhost", false},  // never proxied
    {"127.0.0.1", false},
    {"127.0.0.2", false},
    {"::1", false},
    {"::2", true},  // not a loopback address
    {"192.168.1.1", false},  // exact IPv4
    {"192.168.1.2", true},   // ports differ
    {"192.168.1.3", false},  // exact IPv4:port
    {"192.168.1.4", true},
    {"10.0.0.2", false},  // IPv4/CIDR
    {"2001:db8::52:0:1", false},  // exact IPv6
    {"2001:db8::52:0:2", true},
    {"2001:db8::52:0:3", false},  // exact [IPv6]:port
    {"2002:db8:a::123", false},   // IPv6/CIDR
    {"fe80::424b:c8be:1643:a1b6", true},
    {"barbaz.net", true},  // .barbaz.net matches subdomains only
    {"www.barbaz.net", false},
    {"foobar.com", false},
    {"www.foobar.com", false},
    {"foofoobar.com", true},
    {"baz.com", true},
    {"localhost.net", true},
    {"local.localhost", true},
    {"barbarbaz.net", true},
    {"wildcard.io", true},  // *.wildcard.io matches subdomains only
    {"nested.wildcard.io", false},
    {"awildcard.io", true},
};

TEST(ProxyEnv, UseProxyTable) {
  for (const auto& c : kUseProxy) EXPECT_EQ(use_proxy(kNoProxy, c.host, 80), c.use) << c.host;
}

TEST(ProxyEnv, AllAndInvalidNoProxy) {
  for (const auto& c : kUseProxy) EXPECT_FALSE(use_proxy("*", c.host, 80)) << c.host;
  EXPECT_TRUE(use_proxy(":1", "example.com", 80));
  EXPECT_FALSE(use_proxy("EXAMPLE.com:443", "Example.COM", 443));  // lower-cased both sides
  EXPECT_TRUE(use_proxy("10.0.0.0/8", "2001:db8::1", 80));  // an IPv4 network holds no IPv6
}

std::string proxy_of(ProxyEnv env, const std::string& url = "http://example.com") {
  std::string scheme = url.substr(0, url.find("://"));
  std::string host = url.substr(url.find("://") + 3);
  host = host.substr(0, host.find('/'));
  int port = scheme == "https" ? 443 : 80;
  std::string err;
  auto p = proxy_for(env, scheme, host, port, &err);
  if (!err.empty()) return "error: " + err;
  return p ? *p : "<nil>";
}

TEST(ProxyEnv, ProxyForUrlTable) {
  EXPECT_EQ(proxy_of({"127.0.0.1:8080", "", ""}), "http://127.0.0.1:8080");
  EXPECT_EQ(proxy_of({"cache.corp.example.com:1234", "", ""}), "http://cache.corp.example.com:1234");
  EXPECT_EQ(proxy_of({"cache.corp.example.com", "", ""}), "http://cache.corp.example.com");
  EXPECT_EQ(proxy_of({"localhost", "", ""}), "http://localhost");  // a single label parses as a scheme
  EXPECT_EQ(proxy_of({"https://cache.corp.example.com", "", ""}), "https://cache.corp.example.com");
  EXPECT_EQ(proxy_of({"http://127.0.0.1:8080", "", ""}), "http://127.0.0.1:8080");
  EXPECT_EQ(proxy_of({"https://127.0.0.1:8080", "", ""}), "https://127.0.0.1:8080");
  EXPECT_EQ(proxy_of({"socks5://127.0.0.1", "", ""}), "socks5://127.0.0.1");
  EXPECT_EQ(proxy_of({"http.proxy.tld", "secure.proxy.tld", ""}, "http://insecure.tld/"), "http://http.proxy.tld");
  EXPECT_EQ(proxy_of({"http.proxy.tld", "secure.proxy.tld", ""}, "https://secure.tld/"), "http://secure.proxy.tld");
  EXPECT_EQ(proxy_of({"http.proxy.tld", "https://secure.proxy.tld", ""}, "https://secure.tld/"),
            "https://secure.proxy.tld");
  EXPECT_EQ(proxy_of({"http.proxy.tld", "", ""}, "https://secure.tld/"), "<nil>");
  EXPECT_EQ(proxy_of({"http.proxy.tld", "", ""}, "ftp://insecure.tld/"), "<nil>");
  // Issue 16405: no HTTP_PROXY under CGI, where it can be attacker-controlled; HTTPS_PROXY is.
  EXPECT_EQ(proxy_of({"http://10.1.2.3:8080", "", "", true}),
            "error: refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy");
  EXPECT_EQ(proxy_of({"", "https://secure.proxy.tld", "", true}, "https://secure.tld/"), "https://secure.proxy.tld");
  EXPECT_EQ(proxy_of({}), "<nil>");
  EXPECT_EQ(proxy_of({"proxy", "", "example.com"}, "http://example.com/"), "<nil>");
  EXPECT_EQ(proxy_of({"proxy", "", ".example.com"}, "http://example.com/"), "http://proxy");
  EXPECT_EQ(proxy_of({"proxy", "", "ample.com"}, "http://example.com/"), "http://proxy");
  EXPECT_EQ(proxy_of({"proxy", "", "example.com"}, "http://foo.example.com/"), "<nil>");
  EXPECT_EQ(proxy_of({"proxy", "", ".foo.com"}, "http://example.com/"), "http://proxy");
  // The CGI refusal comes before the loopback rule.
  EXPECT_EQ(proxy_for({"http://p:1", "", "", true}, "http", "127.0.0.1", 80), std::nullopt);
}

}  // namespace
}  // namespace kapi::client
