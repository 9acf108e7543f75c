#pragma once
// The tunnel through an http:// or https:// proxy to an https:// server, as Go's net/http
// transport opens it: for an https:// proxy TLS to the proxy first (trusting what the API
// server connection trusts: the cluster's CA, or the system roots, or nothing with
// insecure-skip-tls-verify; the name checked is the proxy's host unless tls-server-name is
// set), then "CONNECT host:port" (inside that session).
#include <string>

#include "client/proxy_relay.h"
#include "client/proxy_url.h"

namespace kapi::client {

struct ProxyTls {
  std::string ca_pem;       // "" = the system roots (SSL_CERT_FILE / SSL_CERT_DIR honoured)
  bool insecure = false;
  std::string server_name;  // tls-server-name, "" = the proxy's host
};

// On end.fd (connected to the proxy): "" when the tunnel to `target` ("host:port") is open
// (end.ssl set for an https:// proxy), else kubectl's text ("proxyconnect tcp: tls: failed to
// verify certificate: x509: ...", or the CONNECT answer's status text such as "Forbidden").
std::string connect_proxy_handshake(TunnelEnd& end, const ProxyUrl& proxy, const ProxyTls& tls,
                                  const std::string& target);

}  // namespace kapi::client
