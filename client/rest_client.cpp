// The only file that includes httplib.h and OpenSSL for the client.
#include "client/rest_client.h"

#include <httplib.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <set>
#include <sstream>
#include <fstream>
#include <string>

#include "client/cmd/command.h"
#include "client/exec_plugin.h"
#include "client/private_key.h"
#include "client/warnings.h"
#include "client/proxy_url.h"
#include "client/connect_proxy.h"
#include "client/proxy_env.h"
#include "client/proxy_relay.h"
#include "client/socks5.h"
#include "client/x509_util.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

constexpr const char* kVersion = "v1.33.0";

struct X509Deleter { void operator()(X509* p) const { X509_free(p); } };
struct PkeyDeleter { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct BioDeleter { void operator()(BIO* p) const { BIO_free(p); } };

std::unique_ptr<BIO, BioDeleter> mem_bio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string httplib_error_text(httplib::Error e) {
  switch (e) {
    case httplib::Error::Read: return "read: connection reset by peer";
    case httplib::Error::Write: return "write: broken pipe";
    case httplib::Error::ExceedRedirectCount: return "stopped after 10 redirects";
    case httplib::Error::Canceled: return "context canceled";
    case httplib::Error::SSLConnection: return "remote error: tls: handshake failure";
    case httplib::Error::SSLLoadingCerts: return "tls: failed to load certificates";
    case httplib::Error::SSLServerVerification:
      return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    default: return "unexpected error";
  }
}

// The first address of `host` as text (httplib's address map wants a numeric host).
std::string numeric_host(const std::string& host) {
  struct addrinfo hints {};
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return host;
  struct addrinfo* pick = res;
  for (auto* p = res; p; p = p->ai_next)
    if (p->ai_family == AF_INET) {
      pick = p;
      break;
    }
  char ip[INET6_ADDRSTRLEN] = "";
  if (pick->ai_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(pick->ai_addr)->sin_addr, ip, sizeof ip);
  else
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(pick->ai_addr)->sin6_addr, ip, sizeof ip);
  freeaddrinfo(res);
  return ip;
}

// Go's resolver names the DNS server it asked: the first nameserver of /etc/resolv.conf
// ("127.0.0.1:53" without one).
std::string dns_server() {
  std::ifstream in("/etc/resolv.conf");
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, addr;
    if (words >> key >> addr && key == "nameserver")
      return addr.find(':') != std::string::npos ? "[" + addr + "]:53" : addr + ":53";
  }
  return "127.0.0.1:53";
}

// Dials host:port once more, blocking, to learn why httplib's connect failed; returns Go's
// net.Dial error text and whether the connection was refused.
std::string dial_error(const std::string& host, int port, bool& refused, int* keep_fd = nullptr) {
  refused = false;
  if (keep_fd) *keep_fd = -1;
  struct addrinfo hints {};
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  std::string port_s = std::to_string(port);
  if (getaddrinfo(host.c_str(), port_s.c_str(), &hints, &res) != 0 || !res) {
    return "dial tcp: lookup " + host + " on " + dns_server() + ": no such host";
  }
  // Go reports the first address it tried; prefer IPv4 as its dialer does for "localhost".
  struct addrinfo* pick = res;
  for (auto* p = res; p; p = p->ai_next)
    if (p->ai_family == AF_INET) {
      pick = p;
      break;
    }
  char ip[INET6_ADDRSTRLEN] = "";
  std::string addr;
  if (pick->ai_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(pick->ai_addr)->sin_addr, ip, sizeof ip);
    addr = std::string(ip) + ":" + port_s;
  } else {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(pick->ai_addr)->sin6_addr, ip, sizeof ip);
    addr = "[" + std::string(ip) + "]:" + port_s;
  }
  int fd = ::socket(pick->ai_family, SOCK_STREAM, 0);
  int err = 0;
  if (fd >= 0) {
    struct timeval tv {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, pick->ai_addr, pick->ai_addrlen) != 0) err = errno;
    if (err == 0 && keep_fd) *keep_fd = fd;
    else ::close(fd);
  }
  freeaddrinfo(res);
  if (err == 0 && keep_fd) return "";
  if (err == 0) return "dial tcp " + addr + ": i/o timeout";
  refused = err == ECONNREFUSED;
  std::string text = err == ECONNREFUSED ? "connection refused"
                     : err == ETIMEDOUT || err == EINPROGRESS ? "i/o timeout"
                     : err == EHOSTUNREACH ? "no route to host"
                     : err == ENETUNREACH ? "network is unreachable"
                                          : std::strerror(err);
  if (text == "i/o timeout") return "dial tcp " + addr + ": " + text;
  return "dial tcp " + addr + ": connect: " + text;
}

// Go's x509.HostnameError for the server's leaf certificate, or "" when `name` matches it (or
// the certificate cannot be fetched). Go checks the name before the chain, so a mismatch is
// what kubectl reports even when the CA is unknown too.
std::string hostname_error(const std::string& host, int port, const std::string& name) {
  bool refused = false;
  int fd = -1;
  dial_error(host, port, refused, &fd);
  if (fd < 0) return "";
  std::string out;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = ctx ? SSL_new(ctx) : nullptr;
  if (ssl) {
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, name.c_str());
    if (SSL_connect(ssl) == 1) {
      if (X509* leaf = SSL_get1_peer_certificate(ssl)) {
        out = x509_name_error(leaf, name);
        X509_free(leaf);
      }
    }
    SSL_free(ssl);
  }
  if (ctx) SSL_CTX_free(ctx);
  ERR_clear_error();
  ::close(fd);
  return out;
}

// Go ignores SIGPIPE from sockets (a closed connection is an error) but dies of it on a closed
// stdout or stderr. While a request runs SIGPIPE is blocked, and one raised by a socket is
// discarded afterwards; write_all re-raises it for a closed stdout/stderr.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SigpipeGuard() {
    struct timespec zero {0, 0};
    while (sigtimedwait(&set_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_, old_;
};

}  // namespace

std::string user_agent(const std::string& program_name) {
  return program_name + "/" + kVersion + " (linux/amd64) kubernetes/kapi";
}

std::string query_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

struct RestClient::Impl {
  std::unique_ptr<httplib::ClientImpl> client;
  std::optional<ProxyUrl> proxy;  // the cluster's proxy-url, else one from HTTPS_PROXY & co.
  bool proxy_unsupported = false;  // an https:// proxy for an http:// server
  std::string proxy_refusal;  // Go's error for HTTP_PROXY under CGI (REQUEST_METHOD set)
  // A socks5:// or https:// proxy: the client connects to this relay, which tunnels to the server.
  std::unique_ptr<ProxyRelay> relay;
  std::string setup_error;
  // The client certificate an exec plugin returned (the connection is rebuilt when it changes).
  std::string exec_cert_pem, exec_key_pem;
  bool used_exec = false;  // the last request carried exec credentials
};

RestClient::RestClient(RestConfig config, std::string ua)
    : config_(std::move(config)), user_agent_(std::move(ua)), impl_(std::make_unique<Impl>()) {}

RestClient::~RestClient() {
  if (prepare_.joinable()) prepare_.join();
}

void RestClient::prepare_async() {
  if (config_.exec || prepare_.joinable()) return;
  prepare_ = std::thread([this] { prepared_error_ = connect_now(); });
}

std::string RestClient::url_for(const std::string& path) const {
  return config_.scheme + "://" + config_.host_port + config_.path_prefix + path;
}

Result<HttpResponse> RestClient::get(const std::string& path, const std::string& accept) {
  return request(path, accept, nullptr);
}

Result<HttpResponse> RestClient::get_lines(const std::string& path, const std::string& accept,
                                           const std::function<bool(const std::string&)>& on_line) {
  return request(path, accept, &on_line);
}

// Why a request through the proxy failed, as Go reports it: the dial to the proxy
// ("proxyconnect tcp: dial tcp ...: connect: connection refused", shown by kubectl as a refused
// connection to the server), or the proxy's refusal of the tunnel ("Bad Gateway").
std::optional<CmdError> RestClient::proxy_error(const std::string& path) const {
  if (!impl_->proxy_refusal.empty()) {
    CmdError e;
    e.url = url_for(path);
    e.kind = CmdError::Kind::kConnError;
    e.message = e.detail = impl_->proxy_refusal;
    return e;
  }
  const ProxyUrl& p = *impl_->proxy;
  bool refused = false;
  int fd = -1;
  std::string detail = dial_error(p.host, p.port, refused, &fd);
  CmdError e;
  e.url = url_for(path);
  if (fd < 0) {
    e.kind = refused ? CmdError::Kind::kConnRefused : CmdError::Kind::kConnError;
    e.detail = "proxyconnect tcp: " + detail;
    e.message = refused ? config_.host_port : e.detail;
    return e;
  }
  std::string text;
  if (impl_->relay) {
    text = impl_->relay->last_error().value_or("");
  } else if (impl_->proxy_unsupported) {
    text = "proxyconnect tcp: kapi does not support " + p.scheme + " proxies for http:// servers";
  }
  ::close(fd);
  if (text.empty()) return std::nullopt;
  e.kind = CmdError::Kind::kConnError;
  e.message = e.detail = text;
  return e;
}

CmdError RestClient::transport_error(int code, const std::string& path) const {
  auto err = static_cast<httplib::Error>(code);
  if (impl_->proxy) {
    if (auto pe = proxy_error(path)) return *pe;
  }
  if (err == httplib::Error::Connection) {
    bool refused = false;
    std::string detail = dial_error(config_.host, config_.port, refused);
    CmdError e;
    e.kind = refused ? CmdError::Kind::kConnRefused : CmdError::Kind::kConnError;
    e.message = refused ? config_.host_port : detail;
    e.detail = detail;
    e.url = url_for(path);
    return e;
  }
  CmdError e;
  e.url = url_for(path);
  e.kind = CmdError::Kind::kConnError;
  std::string name_error;
  if (err == httplib::Error::SSLServerVerification && !impl_->proxy)
    name_error = hostname_error(config_.host, config_.port,
                                config_.tls_server_name.empty() ? config_.host : config_.tls_server_name);
  if (!name_error.empty()) {
    e.message = "tls: failed to verify certificate: " + name_error;
  } else if (err == httplib::Error::Read && config_.timeout_seconds > 0) {
    e.message = "net/http: request canceled (Client.Timeout exceeded while awaiting headers)";
  } else {
    e.message = httplib_error_text(err);
  }
  e.detail = e.message;
  return e;
}

std::optional<CmdError> RestClient::connect() {
  if (prepare_.joinable()) {
    prepare_.join();
    if (prepared_error_) return prepared_error_;
  }
  return connect_now();
}

std::optional<CmdError> RestClient::connect_now() {
  if (!impl_->client) {
    if (!config_.proxy_url.empty() && !impl_->proxy) {
      auto p = parse_proxy_url(config_.proxy_url);  // validated with the kubeconfig already
      if (p.ok()) impl_->proxy = *p;
    } else if (config_.proxy_url.empty() && !impl_->proxy) {
      // No proxy-url: client-go's default, http.ProxyFromEnvironment.
      ProxyEnv env = ProxyEnv::from_environment();
      if (!env.empty()) {
        auto url = proxy_for(env, config_.scheme, config_.host, config_.port, &impl_->proxy_refusal);
        if (url) {
          auto p = parse_proxy_url(*url);
          if (p.ok()) impl_->proxy = *p;
        }
      }
    }
    if (impl_->proxy && !impl_->relay) {
      const ProxyUrl& p = *impl_->proxy;
      std::string host = config_.host;
      int target_port = config_.port;
      if (p.scheme == "socks5") {
        impl_->relay = ProxyRelay::start(p, [p, host, target_port](TunnelEnd& end) {
          std::string err = socks5_handshake(end.fd, p, host, target_port);
          if (err.empty()) return err;
          return "socks connect tcp " + join_host_port(p.host, p.port) + "->" + join_host_port(host, target_port) +
                 ": " + err;
        });
      } else if (config_.scheme == "https") {
        // CONNECT to the URL's host and port (httplib's own proxy support would name the TLS
        // server name there), through TLS first for an https:// proxy.
        ProxyTls tls{config_.insecure ? "" : config_.ca_pem, config_.insecure, config_.tls_server_name};
        std::string target = join_host_port(config_.host, config_.port);
        impl_->relay = ProxyRelay::start(p, [p, tls, target](TunnelEnd& end) {
          return connect_proxy_handshake(end, p, tls, target);
        });
      }
      if ((p.scheme == "socks5" || config_.scheme == "https") && !impl_->relay)
        return CmdError::msg(p.scheme + " proxy: cannot listen on 127.0.0.1");
    }
    // Through a socks5 relay the client dials 127.0.0.1:<relay port>, under the server's name.
    int port = impl_->relay ? impl_->relay->port() : config_.port;
    if (config_.scheme == "https") {
      // kubectl (Go's crypto/tls) knows nothing of /etc/ssl/openssl.cnf; reading and applying
      // it is a sizeable part of a short command's run. (A no-op if OpenSSL is already set up.)
      OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
      // With --tls-server-name the TLS layer (SNI, hostname check) uses that name while the
      // connection still goes to the configured host.
      std::string tls_host = config_.tls_server_name.empty() ? config_.host : config_.tls_server_name;
      std::unique_ptr<httplib::SSLClient> ssl;
      const std::string& cert_pem = impl_->exec_cert_pem.empty() ? config_.client_cert_pem : impl_->exec_cert_pem;
      const std::string& key_pem = impl_->exec_cert_pem.empty() ? config_.client_key_pem : impl_->exec_key_pem;
      if (!cert_pem.empty() || !key_pem.empty()) {
        auto cb = mem_bio(cert_pem);
        std::unique_ptr<X509, X509Deleter> cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
        std::unique_ptr<EVP_PKEY, PkeyDeleter> key(read_private_key_pem(key_pem));
        ERR_clear_error();
        if (!cert || !key) {
          return CmdError::msg("tls: failed to find any PEM data in " +
                               std::string(!cert ? "certificate" : "key") + " input");
        }
        ssl = std::make_unique<httplib::SSLClient>(tls_host, port, cert.get(), key.get());
      } else {
        ssl = std::make_unique<httplib::SSLClient>(tls_host, port);
      }
      if (impl_->relay)
        ssl->set_hostname_addr_map({{tls_host, "127.0.0.1"}});
      else if (!config_.tls_server_name.empty())
        ssl->set_hostname_addr_map({{tls_host, numeric_host(config_.host)}});
      if (config_.insecure) {
        ssl->enable_server_certificate_verification(false);
      } else {
        if (!config_.ca_pem.empty()) {
          X509_STORE* store = store_from_pem(config_.ca_pem);
          if (!store) return CmdError::msg("unable to load root certificates: unable to parse bytes as PEM block");
          ssl->set_ca_cert_store(store);  // the SSL_CTX takes ownership
          // Without a CA path httplib adds the system bundle (SSL_CTX_set_default_verify_paths),
          // which parses ~150 certificates: 20-30 ms of every command. kubectl trusts only the
          // kubeconfig's CA when one is given, so point httplib at a directory lookup that is
          // only consulted on a miss and holds no <hash>.N files.
          ssl->set_ca_cert_path("", "/");
        }
        ssl->enable_server_certificate_verification(true);
      }
      impl_->client = std::move(ssl);
    } else {
      impl_->client = std::make_unique<httplib::ClientImpl>(config_.host, port);
      if (impl_->relay) impl_->client->set_hostname_addr_map({{config_.host, "127.0.0.1"}});
    }
    auto& c = *impl_->client;
    if (impl_->proxy && !impl_->relay) {
      const ProxyUrl& p = *impl_->proxy;
      impl_->proxy_unsupported = p.scheme != "http";
      // An http:// proxy for an http:// server: absolute-URI requests.
      c.set_proxy(p.host, p.port);
      if (!p.username.empty() || !p.password.empty()) c.set_proxy_basic_auth(p.username, p.password);
    }
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    // Paths and queries are escaped already (as Go's url.Values): httplib must not escape them
    // again (it would turn the "+" of an encoded space into %2B).
    c.set_url_encode(false);
    c.set_connection_timeout(30, 0);
    if (config_.timeout_seconds > 0) {
      auto us = static_cast<long long>(config_.timeout_seconds * 1e6);
      c.set_read_timeout(us / 1000000, us % 1000000);
      c.set_write_timeout(us / 1000000, us % 1000000);
    } else {
      c.set_read_timeout(24 * 3600, 0);
      c.set_write_timeout(24 * 3600, 0);
    }
    // A bearer token goes into each request's headers (see add_auth); basic auth otherwise.
    if (config_.bearer_token.empty() && config_.bearer_token_file.empty() && !config_.exec &&
        (!config_.username.empty() || !config_.password.empty()))
      c.set_basic_auth(config_.username, config_.password);
  }
  return std::nullopt;
}

// client-go's auth round trippers, per request: a tokenFile is re-read (and wins when
// readable); an exec plugin is asked for credentials (client-go's getCreds: cached once
// obtained, so a failing plugin runs again on the next request).
std::optional<CmdError> RestClient::bearer_for_request(const std::string& path, std::string& token) {
  impl_->used_exec = false;
  token = config_.bearer_token;
  if (!config_.bearer_token_file.empty()) {
    auto content = tls::read_file(config_.bearer_token_file);
    if (content.ok()) {
      std::string t = *content;
      size_t b = t.find_first_not_of(" \t\r\n\v\f"), e = t.find_last_not_of(" \t\r\n\v\f");
      token = b == std::string::npos ? "" : t.substr(b, e - b + 1);
    }
  }
  if (config_.exec) {
    auto creds = exec_credentials(*config_.exec);
    if (!creds.ok()) {
      CmdError e;
      e.kind = CmdError::Kind::kConnError;
      e.message = e.detail = "getting credentials: " + creds.error().message;
      e.url = url_for(path);
      return e;
    }
    token = creds->token;
    if (creds->cert_pem != impl_->exec_cert_pem || creds->key_pem != impl_->exec_key_pem) {
      impl_->exec_cert_pem = creds->cert_pem;
      impl_->exec_key_pem = creds->key_pem;
      impl_->client.reset();  // a new client certificate needs a new TLS connection
    }
    impl_->used_exec = true;
  }
  return std::nullopt;
}

// After a 401 with exec credentials client-go runs the plugin again for later requests.
namespace {

// client-go's warning handling (rest.handleWarnings with kubectl's deduplicating
// WarningWriter): each `299 - "text"` of the Warning headers is printed once per process as
// "Warning: text" on stderr, as it arrives.
void print_warnings(const httplib::Headers& headers) {
  auto range = headers.equal_range("Warning");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string& v = it->second;
    size_t i = 0;
    while (i < v.size()) {
      // warning-value = code SP agent SP quoted-text [SP quoted-date], comma separated
      while (i < v.size() && (v[i] == ' ' || v[i] == ',')) ++i;
      size_t code_end = v.find(' ', i);
      if (code_end == std::string::npos) break;
      std::string code = v.substr(i, code_end - i);
      size_t agent_end = v.find(' ', code_end + 1);
      if (agent_end == std::string::npos || agent_end + 1 >= v.size() || v[agent_end + 1] != '"') break;
      std::string text;
      size_t j = agent_end + 2;
      for (; j < v.size() && v[j] != '"'; ++j) {
        if (v[j] == '\\' && j + 1 < v.size()) ++j;
        text += v[j];
      }
      i = j + 1;
      if (i < v.size() && v[i] == ' ' && i + 1 < v.size() && v[i + 1] == '"') {  // a quoted date
        size_t close = v.find('"', i + 2);
        i = close == std::string::npos ? v.size() : close + 1;
      }
      if (code != "299" || text.empty()) continue;
      print_warning(text);
    }
  }
}

}  // namespace

void RestClient::after_response(int status) {
  if (status == 401 && impl_->used_exec) (void)exec_credentials(*config_.exec, /*refresh=*/true);
}

Result<HttpResponse> RestClient::send(const std::string& method, const std::string& path,
                                      const std::string& content_type, const std::string& body) {
  SigpipeGuard no_sigpipe;
  httplib::Headers headers{{"Accept", "application/json"}, {"User-Agent", user_agent_}};
  std::string token;
  if (auto err = bearer_for_request(path, token)) return *err;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  if (auto err = connect()) return *err;
  if (impl_->proxy_unsupported || !impl_->proxy_refusal.empty()) return *proxy_error(path);
  // Go's Host is the URL's host[:port], not the relay's address httplib would put there.
  if (impl_->relay) headers.emplace("Host", config_.host_port);
  if (!config_.impersonate_user.empty()) headers.emplace("Impersonate-User", config_.impersonate_user);
  if (!config_.impersonate_uid.empty()) headers.emplace("Impersonate-Uid", config_.impersonate_uid);
  for (const auto& g : config_.impersonate_groups) headers.emplace("Impersonate-Group", g);
  std::string full = config_.path_prefix + path;
  auto& c = *impl_->client;
  httplib::Result res = method == "POST"     ? c.Post(full, headers, body, content_type)
                        : method == "PATCH"  ? c.Patch(full, headers, body, content_type)
                        : method == "PUT"    ? c.Put(full, headers, body, content_type)
                        : method == "DELETE" ? c.Delete(full, headers, body, content_type)
                                             : c.Get(full, headers);
  if (!res) return transport_error(static_cast<int>(res.error()), path);
  print_warnings(res->headers);
  after_response(res->status);
  HttpResponse out;
  out.status = res->status;
  out.reason = res->reason;
  out.body = std::move(res->body);
  out.content_type = res->get_header_value("Content-Type");
  return out;
}

Result<HttpResponse> RestClient::request(const std::string& path, const std::string& accept,
                                         const std::function<bool(const std::string&)>* on_line) {
  SigpipeGuard no_sigpipe;
  httplib::Headers headers{{"Accept", accept}, {"User-Agent", user_agent_}};
  std::string token;
  if (auto err = bearer_for_request(path, token)) return *err;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  if (auto err = connect()) return *err;
  if (impl_->proxy_unsupported || !impl_->proxy_refusal.empty()) return *proxy_error(path);
  // Go's Host is the URL's host[:port], not the relay's address httplib would put there.
  if (impl_->relay) headers.emplace("Host", config_.host_port);
  if (!config_.impersonate_user.empty()) headers.emplace("Impersonate-User", config_.impersonate_user);
  if (!config_.impersonate_uid.empty()) headers.emplace("Impersonate-Uid", config_.impersonate_uid);
  for (const auto& g : config_.impersonate_groups) headers.emplace("Impersonate-Group", g);

  if (on_line) {
    // Lines are handed over as they arrive; a non-200 answer is collected whole.
    int status = 0;
    std::string pending, error_body;
    auto res = impl_->client->Get(
        (config_.path_prefix + path).c_str(), headers,
        [&](const httplib::Response& r) {
          status = r.status;
          print_warnings(r.headers);
          return true;
        },
        [&](const char* data, size_t len) {
          if (status != 200) {
            error_body.append(data, len);
            return true;
          }
          pending.append(data, len);
          size_t start = 0, nl;
          while ((nl = pending.find('\n', start)) != std::string::npos) {
            if (!(*on_line)(pending.substr(start, nl - start))) return false;
            start = nl + 1;
          }
          pending.erase(0, start);
          return true;
        });
    if (!res && res.error() != httplib::Error::Canceled) {
      if (status == 0) return transport_error(static_cast<int>(res.error()), path);
    }
    if (status == 200 && !pending.empty()) (*on_line)(pending);
    after_response(status);
    HttpResponse out;
    out.status = status;
    out.body = std::move(error_body);
    if (res) out.content_type = res->get_header_value("Content-Type");
    return out;
  }
  auto res = impl_->client->Get((config_.path_prefix + path).c_str(), headers);
  if (!res) return transport_error(static_cast<int>(res.error()), path);
  print_warnings(res->headers);
  after_response(res->status);
  HttpResponse out;
  out.status = res->status;
  out.reason = res->reason;
  out.body = std::move(res->body);
  out.content_type = res->get_header_value("Content-Type");
  return out;
}

}  // namespace kapi::client
