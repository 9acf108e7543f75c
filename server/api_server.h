#pragma once
// The request path: authentication -> non-resource endpoints (health, version, discovery,
// OpenAPI, metrics) -> authorization -> the generic store. One function owns the order.
#include <atomic>
#include <memory>
#include <string>

#include "server/http/http.h"
#include "server/registry/store.h"

namespace kapi::server {

class Metrics;
class TokenFile;

struct ApiServerOptions {
  std::string client_ca_file;
  std::shared_ptr<const TokenFile> tokens;  // --token-auth-file; null when not given
  bool anonymous_auth = true;
  std::string server_address;  // host:port for /api serverAddressByClientCIDRs
  int verbosity = 0;
  std::shared_ptr<Metrics> metrics;  // shared with the storage instrumentation; null = own
  std::shared_ptr<const ServiceAccountTokens> sa_tokens;  // service-account JWTs; null = none
};

class Authenticator;

class ApiServer {
 public:
  ApiServer(ApiServerOptions opts, Store& store);
  ~ApiServer();
  void handle(const HttpRequest& req, HttpResponse& out);
  void set_ready(bool ready) { ready_ = ready; }
  void set_shutting_down() { shutting_down_ = true; }

 private:
  bool serve_health(const HttpRequest& req, HttpResponse& out);
  void serve_version(HttpResponse& out);
  ApiServerOptions opts_;
  Store& store_;
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<Authenticator> authn_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> shutting_down_{false};
};

}  // namespace kapi::server
