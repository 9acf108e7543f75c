#include "client/rest_client.h"

#include <strings.h>

#include <string>

#include "client/cmd/command.h"
#include "client/connect_proxy.h"
#include "client/exec_plugin.h"
#include "client/http_client.h"
#include "client/proxy_env.h"
#include "client/proxy_relay.h"
#include "client/proxy_url.h"
#include "client/socks5.h"
#include "client/tls_client_context.h"
#include "client/warnings.h"
#include "pkg/machinery/base64.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

constexpr const char* kVersion = "v1.33.0";

// What kubectl most often says when --request-timeout runs out (client-go puts the timeout on
// both the request's context and http.Client.Timeout, and either may win: "context deadline
// exceeded" is the other answer).
constexpr const char* kTimeoutText = "net/http: request canceled (Client.Timeout exceeded while awaiting headers)";

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
  std::optional<ProxyUrl> proxy;  // the cluster's proxy-url, else one from HTTPS_PROXY & co.
  bool proxy_unsupported = false;  // an https:// proxy for an http:// server
  std::string proxy_refusal;  // Go's error for HTTP_PROXY under CGI (REQUEST_METHOD set)
  // A socks5:// or https:// proxy: the client connects to this relay, which tunnels to the server.
  std::unique_ptr<ProxyRelay> relay;
  SslCtxPtr tls;  // https:// servers
  std::unique_ptr<HttpClient> http;  // declared after relay and tls: destroyed before them
  bool absolute_uri = false;  // through an http:// proxy: "GET http://host/path HTTP/1.1"
  std::string basic_auth;     // the Authorization value for a username/password user
  std::string proxy_auth;     // Proxy-Authorization for an http:// proxy with userinfo
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
  return request("GET", path, accept, "", "", nullptr);
}

Result<HttpResponse> RestClient::get_lines(const std::string& path, const std::string& accept,
                                           const std::function<bool(const std::string&)>& on_line) {
  return request("GET", path, accept, "", "", &on_line);
}

Result<HttpResponse> RestClient::send(const std::string& method, const std::string& path,
                                      const std::string& content_type, const std::string& body) {
  return request(method, path, kJsonAccept, content_type, body, nullptr);
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
  TransportError dial_err;
  auto conn = HttpConnection::dial(p.host, p.port, 5, dial_err);
  CmdError e;
  e.url = url_for(path);
  if (!conn) {
    e.kind = dial_err.refused ? CmdError::Kind::kConnRefused : CmdError::Kind::kConnError;
    e.detail = "proxyconnect tcp: " + dial_err.text;
    e.message = dial_err.refused ? config_.host_port : e.detail;
    return e;
  }
  std::string text;
  if (impl_->relay) {
    text = impl_->relay->last_error().value_or("");
  } else if (impl_->proxy_unsupported) {
    text = "proxyconnect tcp: kapi does not support " + p.scheme + " proxies for http:// servers";
  }
  if (text.empty()) return std::nullopt;
  e.kind = CmdError::Kind::kConnError;
  e.message = e.detail = text;
  return e;
}

CmdError RestClient::transport_error(const TransportError& err, const std::string& path) const {
  if (impl_->proxy) {
    if (auto pe = proxy_error(path)) return *pe;
  }
  CmdError e;
  e.url = url_for(path);
  if (err.kind == TransportError::Kind::kDial || err.kind == TransportError::Kind::kDns) {
    e.kind = err.refused ? CmdError::Kind::kConnRefused : CmdError::Kind::kConnError;
    e.message = err.refused ? config_.host_port : err.text;
    e.detail = err.text;
    return e;
  }
  e.kind = CmdError::Kind::kConnError;
  e.message = e.detail = err.kind == TransportError::Kind::kTimeout ? kTimeoutText : err.text;
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
  if (impl_->http) return std::nullopt;
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
      // CONNECT to the URL's host and port (not the TLS server name), through TLS first for an
      // https:// proxy.
      ProxyTls tls{config_.insecure ? "" : config_.ca_pem, config_.insecure, config_.tls_server_name};
      std::string target = join_host_port(config_.host, config_.port);
      impl_->relay = ProxyRelay::start(p, [p, tls, target](TunnelEnd& end) {
        return connect_proxy_handshake(end, p, tls, target);
      });
    }
    if ((p.scheme == "socks5" || config_.scheme == "https") && !impl_->relay)
      return CmdError::msg(p.scheme + " proxy: cannot listen on 127.0.0.1");
  }
  HttpEndpoint ep;
  ep.host = config_.host;
  ep.port = config_.port;
  if (impl_->relay) {
    // Through a relay the client dials 127.0.0.1:<relay port>, under the server's name.
    ep.host = "127.0.0.1";
    ep.port = impl_->relay->port();
  } else if (impl_->proxy) {
    // An http:// proxy for an http:// server: absolute-URI requests to the proxy.
    const ProxyUrl& p = *impl_->proxy;
    impl_->proxy_unsupported = p.scheme != "http";
    impl_->absolute_uri = true;
    ep.host = p.host;
    ep.port = p.port;
    if (!p.username.empty() || !p.password.empty())
      impl_->proxy_auth = "Basic " + machinery::base64_encode(p.username + ":" + p.password);
  }
  if (config_.scheme == "https") {
    const std::string& cert_pem = impl_->exec_cert_pem.empty() ? config_.client_cert_pem : impl_->exec_cert_pem;
    const std::string& key_pem = impl_->exec_cert_pem.empty() ? config_.client_key_pem : impl_->exec_key_pem;
    auto ctx = new_tls_client_context({cert_pem, key_pem, config_.ca_pem, config_.insecure});
    if (!ctx.ok()) return ctx.error();
    impl_->tls = std::move(*ctx);
    ep.tls = impl_->tls.get();
    // With --tls-server-name the TLS layer (SNI, name check) uses that name while the
    // connection still goes to the configured host.
    ep.tls_name = config_.tls_server_name.empty() ? config_.host : config_.tls_server_name;
    ep.verify = !config_.insecure;
  }
  ep.io_timeout = config_.timeout_seconds > 0 ? config_.timeout_seconds : 0;
  // A bearer token goes into each request's headers; basic auth otherwise.
  if (config_.bearer_token.empty() && config_.bearer_token_file.empty() && !config_.exec &&
      (!config_.username.empty() || !config_.password.empty()))
    impl_->basic_auth = "Basic " + machinery::base64_encode(config_.username + ":" + config_.password);
  impl_->http = std::make_unique<HttpClient>(std::move(ep));
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
      impl_->http.reset();  // a new client certificate needs a new TLS connection
      impl_->tls.reset();
    }
    impl_->used_exec = true;
  }
  return std::nullopt;
}

namespace {

// client-go's warning handling (rest.handleWarnings with kubectl's deduplicating
// WarningWriter): each `299 - "text"` of the Warning headers is printed once per process as
// "Warning: text" on stderr, as it arrives.
void print_warnings(const HttpHeaders& headers) {
  for (const auto& [name, v] : headers) {
    if (name.size() != 7 || strncasecmp(name.c_str(), "Warning", 7) != 0) continue;
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

// After a 401 with exec credentials client-go runs the plugin again for later requests.
void RestClient::after_response(int status) {
  if (status == 401 && impl_->used_exec) (void)exec_credentials(*config_.exec, /*refresh=*/true);
}

void RestClient::add_credentials(HttpRequest& req, const std::string& token) const {
  bool has_auth = false;
  for (const auto& [k, v] : req.headers) has_auth = has_auth || strcasecmp(k.c_str(), "Authorization") == 0;
  if (has_auth) {
  } else if (!token.empty()) {
    req.headers.emplace_back("Authorization", "Bearer " + token);
  } else if (!impl_->basic_auth.empty()) {
    req.headers.emplace_back("Authorization", impl_->basic_auth);
  }
  if (!config_.impersonate_user.empty()) req.headers.emplace_back("Impersonate-User", config_.impersonate_user);
  if (!config_.impersonate_uid.empty()) req.headers.emplace_back("Impersonate-Uid", config_.impersonate_uid);
  for (const auto& g : config_.impersonate_groups) req.headers.emplace_back("Impersonate-Group", g);
  if (!impl_->proxy_auth.empty()) req.headers.emplace_back("Proxy-Authorization", impl_->proxy_auth);
}

Result<ForwardedHead> RestClient::forward(const ForwardRequest& in) {
  const std::string path = in.target;
  std::string token;
  if (auto err = bearer_for_request(path, token)) return *err;
  if (auto err = connect()) return *err;
  if (impl_->proxy_unsupported || !impl_->proxy_refusal.empty()) return *proxy_error(path);
  HttpRequest req;
  req.method = in.method;
  req.target = (impl_->absolute_uri ? "http://" + config_.host_port : "") +
               (in.server_path ? config_.path_prefix : "") + in.target;
  req.host = config_.host_port;
  req.headers.reserve(in.headers.size() + 4);
  bool has_agent = false;
  for (const auto& [k, v] : in.headers) {
    if (strcasecmp(k.c_str(), "User-Agent") == 0) {
      if (v.empty()) continue;  // an empty one is replaced, as client-go's user agent round tripper does
      has_agent = true;
      req.headers.emplace_back("User-Agent", v);  // serialize_request looks for this spelling
      continue;
    }
    req.headers.emplace_back(k, v);
  }
  if (!has_agent) req.headers.emplace_back("User-Agent", user_agent_);
  req.body = in.body;
  add_credentials(req, token);
  HttpResponseHead head;
  if (TransportError err = impl_->http->send(req, head)) return transport_error(err, path);
  after_response(head.status);
  ForwardedHead out;
  out.status = head.status;
  const bool undone = req.transport_gzip() && head.find("Content-Encoding") &&
                      strcasecmp(head.find("Content-Encoding")->c_str(), "gzip") == 0;
  for (auto& [k, v] : head.headers) {
    // Go's transport drops the encoding it undid, and the length that went with it.
    if (undone && (strcasecmp(k.c_str(), "Content-Encoding") == 0 || strcasecmp(k.c_str(), "Content-Length") == 0))
      continue;
    out.headers.emplace_back(k, v);
  }
  return out;
}

bool RestClient::forward_body(const std::function<bool(const char*, size_t)>& sink) {
  return !impl_->http->read_body(sink);
}

Result<HttpResponse> RestClient::request(const std::string& method, const std::string& path,
                                         const std::string& accept, const std::string& content_type,
                                         const std::string& body,
                                         const std::function<bool(const std::string&)>* on_line) {
  std::string token;
  if (auto err = bearer_for_request(path, token)) return *err;
  if (auto err = connect()) return *err;
  if (impl_->proxy_unsupported || !impl_->proxy_refusal.empty()) return *proxy_error(path);

  HttpRequest req;
  req.method = method;
  req.target = (impl_->absolute_uri ? "http://" + config_.host_port : "") + config_.path_prefix + path;
  req.host = config_.host_port;  // Go's Host: the URL's host[:port], whatever is dialled
  req.headers.reserve(8);
  req.headers.emplace_back("Accept", accept);
  req.headers.emplace_back("User-Agent", user_agent_);
  if (method != "GET") {  // a GET carries no body
    if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
    req.body = body;
  }
  add_credentials(req, token);

  HttpResponse out;
  std::string pending;  // a watch line not yet complete
  bool stopped = false;  // on_line said so
  auto on_head = [&](const HttpResponseHead& head) {
    out.status = head.status;
    out.reason = head.reason;
    if (const std::string* ct = head.find("Content-Type")) out.content_type = *ct;
    print_warnings(head.headers);
  };
  // A streamed 200 answer goes out line by line as it arrives; anything else is collected.
  BodySink sink = [&](const char* data, size_t size) {
    if (!on_line || out.status != 200) {
      out.body.append(data, size);
      return true;
    }
    pending.append(data, size);
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      if (!(*on_line)(pending.substr(start, nl - start))) return !(stopped = true);
      start = nl + 1;
    }
    pending.erase(0, start);
    return true;
  };
  bool got_head = false;
  TransportError err = impl_->http->round_trip(req, on_head, sink, got_head);
  // A stream that breaks off after its head just ends (as the watch's end).
  if (err && !(on_line && got_head)) return transport_error(err, path);
  // The last line of a stream that ended without a newline.
  if (on_line && out.status == 200 && !stopped && !pending.empty()) (*on_line)(pending);
  after_response(out.status);
  return out;
}

}  // namespace kapi::client
