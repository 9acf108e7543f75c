#pragma once
// The one generic REST store: every verb implemented once for every resource. A resource is a
// ResourceInfo row plus a Strategy; nothing here knows a particular kind.
#include <memory>
#include <string>

#include "server/service_account_token.h"

#include "server/http/http.h"
#include "server/request_info.h"
#include "server/registry/resource.h"
#include "server/storage/storage.h"

namespace kapi::server {

struct StoreOptions {
  std::string service_cidr = "10.0.0.0/24";
  std::string node_port_range = "30000-32767";
  // Issues serviceaccounts/token; null: no signing key, the subresource answers 404.
  std::shared_ptr<const ServiceAccountTokens> sa_tokens;
};

class Allocator;

class Store {
 public:
  Store(storage::WatchCache& cache, StoreOptions opts);
  ~Store();
  // Serves one resource request (authenticated and authorized already).
  void serve(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
             const UserInfo& user, HttpResponse& out);
  // Creates an object directly (bootstrap: namespaces, the kubernetes service, ...).
  // body is JSON; returns false if it already existed.
  bool ensure(const ResourceInfo& res, const std::string& ns, const std::string& json);
  // An in-process request as the system (controllers): verb is a RequestInfo verb.
  HttpResponse internal(const std::string& verb, const ResourceInfo& res, const std::string& ns,
                        const std::string& name, const std::string& body = "",
                        const std::string& subresource = "");
  storage::WatchCache& cache() { return cache_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  storage::WatchCache& cache_;
};

}  // namespace kapi::server
