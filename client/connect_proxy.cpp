#include "client/connect_proxy.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cerrno>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "client/x509_util.h"

namespace kapi::client {
namespace {

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

bool is_ip(const std::string& s) {
  unsigned char b[16];
  return inet_pton(AF_INET, s.c_str(), b) == 1 || inet_pton(AF_INET6, s.c_str(), b) == 1;
}

// TLS to an https:// proxy on end.fd (end.ssl set); "" or kubectl's error text.
std::string tls_to_proxy(TunnelEnd& end, const ProxyUrl& proxy, const ProxyTls& tls) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return "proxyconnect tcp: tls: internal error";
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!tls.insecure) {
    if (!tls.ca_pem.empty()) {
      if (X509_STORE* store = store_from_pem(tls.ca_pem)) SSL_CTX_set_cert_store(ctx, store);
    } else {
      SSL_CTX_set_default_verify_paths(ctx);
    }
  }
  // Verified after the handshake, so that the name is checked before the chain as Go does.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  end.ssl = SSL_new(ctx);
  SSL_CTX_free(ctx);  // the SSL keeps a reference
  if (!end.ssl) return "proxyconnect tcp: tls: internal error";
  std::string name = tls.server_name.empty() ? proxy.host : tls.server_name;
  SSL_set_fd(end.ssl, end.fd);
  if (!is_ip(name)) SSL_set_tlsext_host_name(end.ssl, name.c_str());
  // Go's Transport.TLSHandshakeTimeout (10 s in client-go) for a proxy that never answers.
  struct timeval handshake_timeout {10, 0}, later {30, 0};
  setsockopt(end.fd, SOL_SOCKET, SO_RCVTIMEO, &handshake_timeout, sizeof handshake_timeout);
  int ret = SSL_connect(end.ssl);
  if (ret != 1 && (errno == EAGAIN || errno == EWOULDBLOCK)) return "proxyconnect tcp: net/http: TLS handshake timeout";
  if (ret != 1) return "proxyconnect tcp: " + tls_handshake_error(end.ssl, ret);
  setsockopt(end.fd, SOL_SOCKET, SO_RCVTIMEO, &later, sizeof later);
  if (!tls.insecure) {
    std::string err;
    if (X509* leaf = SSL_get1_peer_certificate(end.ssl)) {
      err = x509_name_error(leaf, name);
      X509_free(leaf);
    }
    if (err.empty() && SSL_get_verify_result(end.ssl) != X509_V_OK)
      err = "x509: certificate signed by unknown authority";
    if (!err.empty()) return "proxyconnect tcp: tls: failed to verify certificate: " + err;
  }
  return "";
}

}  // namespace

std::string connect_proxy_handshake(TunnelEnd& end, const ProxyUrl& proxy, const ProxyTls& tls,
                                  const std::string& target) {
  if (proxy.scheme == "https")
    if (std::string err = tls_to_proxy(end, proxy, tls); !err.empty()) return err;
  // Go's connectReq.Write: the request line, Host, User-Agent and Proxy-Authorization.
  std::string req = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: Go-http-client/1.1\r\n";
  if (!proxy.username.empty() || !proxy.password.empty())
    req += "Proxy-Authorization: Basic " + base64(proxy.username + ":" + proxy.password) + "\r\n";
  req += "\r\n";
  bool sent = end.ssl ? SSL_write(end.ssl, req.data(), static_cast<int>(req.size())) == static_cast<int>(req.size())
                      : ::send(end.fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size());
  if (!sent) return "EOF";
  // The answer's head, byte by byte: what follows belongs to the tunnel.
  std::string head;
  char c;
  while (head.size() < 65536 && (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0)) {
    if ((end.ssl ? SSL_read(end.ssl, &c, 1) : static_cast<int>(::recv(end.fd, &c, 1, 0))) != 1) {
      ERR_clear_error();
      return head.empty() ? "EOF" : "unexpected EOF";
    }
    head += c;
  }
  std::string line = head.substr(0, head.find("\r\n"));  // "HTTP/1.1 403 Forbidden"
  size_t sp = line.find(' ');
  std::string status = sp == std::string::npos ? "" : line.substr(sp + 1);
  if (status.rfind("200", 0) == 0) return "";
  size_t sp2 = status.find(' ');
  return sp2 == std::string::npos ? "unknown status code" : status.substr(sp2 + 1);
}

}  // namespace kapi::client
