#pragma once
// A cluster's proxy-url as clientcmd parses it (parseProxyURL: Go's url.Parse, then the scheme
// must be http, https or socks5), with the error texts kubectl prints.
#include <string>

#include "client/errors.h"

namespace kapi::client {

struct ProxyUrl {
  std::string scheme;  // lower-case: http | https | socks5
  std::string host;    // without brackets
  int port = 0;        // the scheme's default (80, 443, 1080) when absent
  std::string username, password;  // userinfo, percent-decoded
};

// "could not parse: <url>" or "unsupported scheme \"ftp\", must be http, https, or socks5".
Result<ProxyUrl> parse_proxy_url(const std::string& url);

}  // namespace kapi::client
