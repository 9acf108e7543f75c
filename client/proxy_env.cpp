#include "client/proxy_env.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "client/proxy_url.h"

namespace kapi::client {
namespace {

std::string getenv_any(const char* upper, const char* lower) {
  for (const char* n : {upper, lower})
    if (const char* v = std::getenv(n); v && *v) return v;
  return "";
}

// Go's net.IP: IPv4 addresses as IPv4-mapped IPv6, so that Equal treats both forms alike.
struct Ip {
  std::array<unsigned char, 16> b{};
  bool v4() const {
    static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(b.data(), prefix, 12) == 0;
  }
};

std::optional<Ip> parse_ip(const std::string& s) {
  Ip ip;
  unsigned char v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
    ip.b[10] = ip.b[11] = 0xff;
    std::memcpy(ip.b.data() + 12, v4, 4);
    return ip;
  }
  if (s.find(':') != std::string::npos && inet_pton(AF_INET6, s.c_str(), ip.b.data()) == 1) return ip;
  return std::nullopt;
}

bool is_loopback(const Ip& ip) {
  if (ip.v4()) return ip.b[12] == 127;
  static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::memcmp(ip.b.data(), one, 16) == 0;
}

// net.ParseCIDR's network: an IPv4 one only contains IPv4 addresses, an IPv6 one only IPv6.
struct Cidr {
  Ip net;
  bool v4 = false;
  int bits = 0;
  bool contains(const Ip& ip) const {
    if (ip.v4() != v4) return false;
    int offset = v4 ? 12 : 0;
    for (int i = 0; i < bits; ++i) {
      int byte = offset + i / 8, mask = 0x80 >> (i % 8);
      if ((ip.b[byte] & mask) != (net.b[byte] & mask)) return false;
    }
    return true;
  }
};

std::optional<Cidr> parse_cidr(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto ip = parse_ip(s.substr(0, slash));
  std::string len = s.substr(slash + 1);
  if (!ip || len.empty() || len.size() > 3 || !std::all_of(len.begin(), len.end(), ::isdigit)) return std::nullopt;
  Cidr c{*ip, s.find(':') == std::string::npos, std::atoi(len.c_str())};
  if (c.bits > (c.v4 ? 32 : 128)) return std::nullopt;
  return c;
}

// net.SplitHostPort: false for a missing port or too many colons.
bool split_host_port(const std::string& s, std::string& host, std::string& port) {
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos || close + 1 >= s.size() || s[close + 1] != ':') return false;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
    return port.find_first_of("[]") == std::string::npos;
  }
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  host = s.substr(0, colon);
  port = s.substr(colon + 1);
  return host.find_first_of(":[]") == std::string::npos;
}

std::string trim_lower(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n\v\f"), e = s.find_last_not_of(" \t\r\n\v\f");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// httpproxy's parseProxy: a value that is not an http, https or socks5 URL is tried as
// "http://" + value; nullopt when neither parses (the variable is then ignored).
std::optional<std::string> parse_env_proxy(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (parse_proxy_url(value).ok()) return value;
  if (parse_proxy_url("http://" + value).ok()) return "http://" + value;
  return std::nullopt;
}

}  // namespace

ProxyEnv ProxyEnv::from_environment() {
  ProxyEnv e;
  e.http_proxy = getenv_any("HTTP_PROXY", "http_proxy");
  e.https_proxy = getenv_any("HTTPS_PROXY", "https_proxy");
  if (e.empty()) return e;
  e.no_proxy = getenv_any("NO_PROXY", "no_proxy");
  const char* method = std::getenv("REQUEST_METHOD");
  e.cgi = method && *method;
  return e;
}

bool use_proxy(const std::string& no_proxy, const std::string& host_in, int port_in) {
  if (host_in == "localhost") return false;
  auto ip = parse_ip(host_in);
  if (ip && is_loopback(*ip)) return false;
  std::string host = trim_lower(host_in), port = std::to_string(port_in);
  size_t start = 0;
  while (start <= no_proxy.size()) {
    size_t comma = no_proxy.find(',', start);
    std::string p = trim_lower(no_proxy.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? no_proxy.size() + 1 : comma + 1;
    if (p.empty()) continue;
    if (p == "*") return false;
    if (auto cidr = parse_cidr(p)) {
      if (ip && cidr->contains(*ip)) return false;
      continue;
    }
    std::string phost, pport;
    if (split_host_port(p, phost, pport)) {
      if (phost.empty()) continue;  // malformed (":1")
    } else {
      phost = p;
      pport.clear();
    }
    if (auto pip = parse_ip(phost)) {
      if (ip && pip->b == ip->b && (pport.empty() || pport == port)) return false;
      continue;
    }
    if (phost.rfind("*.", 0) == 0) phost = phost.substr(1);
    bool match_host = phost[0] != '.';
    if (match_host) phost = "." + phost;
    if ((has_suffix(host, phost) || (match_host && host == phost.substr(1))) && (pport.empty() || pport == port))
      return false;
  }
  return true;
}

std::optional<std::string> proxy_for(const ProxyEnv& env, const std::string& scheme, const std::string& host,
                                     int port, std::string* error) {
  std::optional<std::string> proxy;
  if (scheme == "https") {
    proxy = parse_env_proxy(env.https_proxy);
  } else if (scheme == "http") {
    proxy = parse_env_proxy(env.http_proxy);
    if (proxy && env.cgi) {
      if (error) *error = "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy";
      return std::nullopt;
    }
  }
  if (!proxy || !use_proxy(env.no_proxy, host, port)) return std::nullopt;
  return proxy;
}

}  // namespace kapi::client
