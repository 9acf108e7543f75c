#include "client/proxy_url.h"

#include <cctype>

namespace kapi::client {
namespace {

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool all_digits(const std::string& s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

Result<ProxyUrl> parse_proxy_url(const std::string& url) {
  CmdError cannot = CmdError::msg("could not parse: " + url);
  for (unsigned char c : url)
    if (c < 0x20 || c == 0x7f) return cannot;  // net/url: invalid control character in URL
  // getScheme: letters, then letters, digits, "+-."; a leading digit or other character means
  // there is no scheme.
  std::string scheme, rest = url;
  for (size_t i = 0; i < url.size(); ++i) {
    char c = url[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return cannot;  // missing protocol scheme
      scheme = url.substr(0, i);
      rest = url.substr(i + 1);
    }
    break;
  }
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  rest = rest.substr(0, rest.find('#'));
  rest = rest.substr(0, rest.find('?'));
  ProxyUrl u;
  u.scheme = scheme;
  if (rest.rfind("//", 0) == 0) {
    std::string authority = rest.substr(2, rest.find('/', 2) == std::string::npos ? std::string::npos : rest.find('/', 2) - 2);
    std::string hostport = authority;
    if (size_t at = authority.rfind('@'); at != std::string::npos) {
      std::string userinfo = authority.substr(0, at);
      hostport = authority.substr(at + 1);
      size_t colon = userinfo.find(':');
      u.username = percent_decode(userinfo.substr(0, colon));
      if (colon != std::string::npos) u.password = percent_decode(userinfo.substr(colon + 1));
    }
    std::string port;
    if (!hostport.empty() && hostport[0] == '[') {
      size_t close = hostport.find(']');
      if (close == std::string::npos) return cannot;  // missing ']' in host
      u.host = hostport.substr(1, close - 1);
      std::string after = hostport.substr(close + 1);
      if (!after.empty()) {
        if (after[0] != ':') return cannot;
        port = after.substr(1);
      }
    } else {
      size_t colon = hostport.rfind(':');
      u.host = hostport.substr(0, colon);
      if (colon != std::string::npos) port = hostport.substr(colon + 1);
    }
    if (!all_digits(port)) return cannot;  // invalid port after host
    if (!port.empty()) u.port = std::stoi(port);
  } else if (scheme.empty()) {
    // A relative reference whose first segment has a colon.
    if (rest.substr(0, rest.find('/')).find(':') != std::string::npos) return cannot;
  }
  if (scheme != "http" && scheme != "https" && scheme != "socks5")
    return CmdError::msg("unsupported scheme \"" + scheme + "\", must be http, https, or socks5");
  if (u.port == 0) u.port = scheme == "http" ? 80 : scheme == "https" ? 443 : 1080;
  return u;
}

}  // namespace kapi::client
