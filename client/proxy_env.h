#pragma once
// The proxy a request takes when the cluster has no proxy-url: Go's http.ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy). HTTPS_PROXY for https:// servers, HTTP_PROXY for http://
// (upper case first, then lower case); NO_PROXY lists hosts to reach directly; localhost and
// loopback IPs are never proxied.
#include <optional>
#include <string>

namespace kapi::client {

struct ProxyEnv {
  std::string http_proxy, https_proxy, no_proxy;
  bool cgi = false;  // REQUEST_METHOD is set: HTTP_PROXY may be attacker-controlled

  // A few getenv calls; nothing is parsed until proxy_for.
  static ProxyEnv from_environment();
  bool empty() const { return http_proxy.empty() && https_proxy.empty(); }
};

// The proxy URL for a request to scheme://host:port (host without brackets), nullopt for a
// direct connection. `error` is set (and nullopt returned) when Go refuses HTTP_PROXY under CGI.
std::optional<std::string> proxy_for(const ProxyEnv& env, const std::string& scheme,
                                     const std::string& host, int port, std::string* error = nullptr);

// httpproxy's useProxy for "host:port" against a NO_PROXY list (exposed for tests).
bool use_proxy(const std::string& no_proxy, const std::string& host, int port);

}  // namespace kapi::client
