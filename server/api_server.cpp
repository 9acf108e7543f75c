#include "server/api_server.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/status.h"
#include "server/authn.h"
#include "server/authorizer.h"
#include "server/endpoints/discovery.h"
#include "server/endpoints/openapi.h"
#include "server/metrics.h"
#include "server/request_info.h"
#include "server/version.h"

namespace kapi::server {

using runtime::Status;

namespace {

void write_status(HttpResponse& out, const Status& s) {
  out.status = s.code;
  out.content_type = "application/json";
  Status copy = s;
  if (s.code == 403 && !s.has_details) copy.has_details = true;  // upstream sends details:{}
  nlohmann::ordered_json j = copy.to_json();
  if (s.code == 403 && !j.contains("details")) j["details"] = nlohmann::ordered_json::object();
  out.body = runtime::encode_json(j);
}

bool is_public_path(const std::string& path) {
  return path == "/healthz" || path == "/livez" || path == "/readyz" || path == "/version" ||
         path == "/version/" || path.rfind("/healthz/", 0) == 0 || path.rfind("/livez/", 0) == 0 ||
         path.rfind("/readyz/", 0) == 0;
}

bool go_bool(const std::string& v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "True" || v == "TRUE";
}

std::string verb_for_path(const std::string& method) {
  if (method == "GET" || method == "HEAD") return "get";
  if (method == "POST") return "post";
  if (method == "PUT") return "put";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return "delete";
  return "get";
}

std::string klog_time() {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "I%02d%02d %02d:%02d:%02d.%06ld", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<long>(us));
  return buf;
}

}  // namespace

ApiServer::ApiServer(ApiServerOptions opts, Store& store)
    : opts_(std::move(opts)),
      store_(store),
      metrics_(opts_.metrics ? opts_.metrics : std::make_shared<Metrics>()),
      authn_(std::make_unique<Authenticator>(
          opts_.client_ca_file, opts_.anonymous_auth, opts_.tokens, opts_.sa_tokens,
          [&store](const std::string& ns, const std::string& name) -> std::optional<std::string> {
            const ResourceInfo* sa = find_resource("", "v1", "serviceaccounts");
            auto obj = store.cache().get(sa->key(ns, name));
            if (!obj) return std::nullopt;
            auto meta = nlohmann::ordered_json::parse(obj->value).value("metadata", nlohmann::ordered_json::object());
            return meta.value("uid", "");
          })) {}

ApiServer::~ApiServer() = default;

bool ApiServer::serve_health(const HttpRequest& req, HttpResponse& out) {
  const std::string& path = req.path;
  std::string base = path.substr(0, path.find('/', 1));
  if (base != "/healthz" && base != "/livez" && base != "/readyz") return false;
  std::string what = base.substr(1);
  bool ready = base != "/readyz" || (ready_ && !shutting_down_);
  std::vector<std::pair<std::string, bool>> checks = {{"ping", true}, {"log", true}, {"etcd", true}};
  if (base == "/readyz") {
    checks.emplace_back("etcd-readiness", true);
    checks.emplace_back("informer-sync", true);
    checks.emplace_back("shutdown", !shutting_down_.load());
  }
  checks.emplace_back("poststarthook/start-apiserver-admission-initializer", true);
  checks.emplace_back("poststarthook/generic-apiserver-start-informers", true);
  checks.emplace_back("poststarthook/bootstrap-controller", ready_.load());
  out.content_type = "text/plain; charset=utf-8";
  out.set_header("X-Content-Type-Options", "nosniff");
  if (path.size() > base.size() + 1) {
    std::string name = path.substr(base.size() + 1);
    for (const auto& [n, ok] : checks) {
      if (n == name) {
        out.status = ok ? 200 : 500;
        out.body = ok ? "ok" : "internal server error: " + n + " failed\n";
        return true;
      }
    }
    out.status = 404;
    out.body = "404 page not found\n";
    return true;
  }
  bool all = ready;
  for (const auto& [n, ok] : checks) all &= ok;
  out.status = all ? 200 : 500;
  if (req.has_param("verbose")) {
    std::string body;
    for (const auto& [n, ok] : checks) body += ok ? "[+]" + n + " ok\n" : "[-]" + n + " failed: reason withheld\n";
    body += all ? what + " check passed\n" : what + " check failed\n";
    out.body = body;
  } else {
    out.body = all ? "ok" : "[-]shutdown failed: reason withheld\n" + what + " check failed\n";
  }
  return true;
}

void ApiServer::serve_version(HttpResponse& out) {
  out.body = version_json();
  out.content_type = "application/json";
}

void ApiServer::handle(const HttpRequest& req, HttpResponse& out) {
  auto start = std::chrono::steady_clock::now();
  bool watch = go_bool(req.param("watch"));
  RequestInfo info = parse_request_info(req.method, req.path, watch);
  UserInfo user;
  auto finish = [&]() {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string verb = info.is_resource ? info.verb : verb_for_path(req.method);
    metrics_->observe(verb == "watch" ? "WATCH" : verb, info.resource, out.status, secs);
    if (opts_.verbosity >= 2) {
      std::string uri = req.path;
      bool first = true;
      for (const auto& [k, v] : req.query) {
        uri += (first ? "?" : "&") + k + "=" + v;
        first = false;
      }
      std::fprintf(stderr, "%s httplog.go:134] \"HTTP\" verb=\"%s\" URI=\"%s\" latency=\"%.3fms\" userAgent=\"%s\" srcIP=\"%s\" resp=%d\n",
                   klog_time().c_str(), req.method.c_str(), uri.c_str(), secs * 1000,
                   req.header("user-agent").c_str(), req.remote_addr.c_str(), out.status);
    }
  };
  if (shutting_down_ && !is_public_path(req.path)) {
    Status s;
    s.code = 503;
    s.reason = "ServiceUnavailable";
    s.message = "apiserver is shutting down";
    write_status(out, s);
    finish();
    return;
  }
  if (Status s = authn_->authenticate(req, user); !s.ok()) {
    write_status(out, s);
    finish();
    return;
  }
  {
    std::vector<std::string> as_groups;
    for (auto [it, end] = req.headers.equal_range("impersonate-group"); it != end; ++it) as_groups.push_back(it->second);
    ImpersonationError ie = impersonate(user, req.header("impersonate-user"), as_groups, req.header("impersonate-uid"));
    if (ie.code == 403) {
      write_status(out, Status::forbidden({"", ie.kind}, ie.name, ie.message));
      finish();
      return;
    }
    if (ie.code != 0) {
      write_status(out, Status::internal(ie.message));
      finish();
      return;
    }
  }
  // Public info (system:public-info-viewer) for everyone, including anonymous.
  if (req.path == "/version" || req.path == "/version/") {
    serve_version(out);
    finish();
    return;
  }
  if (serve_health(req, out)) {
    finish();
    return;
  }
  AuthzAttributes attrs;
  attrs.is_resource = info.is_resource;
  attrs.verb = info.is_resource ? info.verb : verb_for_path(req.method);
  attrs.group = info.group;
  attrs.resource = info.resource;
  attrs.subresource = info.subresource;
  attrs.namespace_ = info.namespace_;
  attrs.name = info.name;
  attrs.path = req.path;
  if (!authorized(user, attrs)) {
    std::string msg;
    if (!info.is_resource) {
      msg = "forbidden: User \"" + user.name + "\" cannot " + attrs.verb + " path \"" + req.path + "\"";
      write_status(out, Status::forbidden_raw(msg));
    } else {
      std::string resource = info.subresource.empty() ? info.resource : info.resource + "/" + info.subresource;
      std::string why = "User \"" + user.name + "\" cannot " + info.verb + " resource \"" + resource +
                        "\" in API group \"" + info.group + "\"";
      why += info.namespace_.empty() ? " at the cluster scope" : " in the namespace \"" + info.namespace_ + "\"";
      write_status(out, Status::forbidden({info.group, info.resource}, info.name, why));
    }
    finish();
    return;
  }
  if (req.path == "/metrics") {
    out.content_type = "text/plain; version=0.0.4; charset=utf-8";
    out.body = metrics_->render();
    finish();
    return;
  }
  if (serve_discovery(req, out, opts_.server_address) || serve_openapi(req, out)) {
    finish();
    return;
  }
  if (!info.is_resource) {
    write_status(out, Status::not_found_path());
    finish();
    return;
  }
  const ResourceInfo* res = find_resource(info.group, info.version, info.resource);
  if (!res) {
    write_status(out, Status::not_found_path());
    finish();
    return;
  }
  Metrics::WatchKey wk{res->group, res->version, res->resource, res->kind,
                       !info.name.empty() ? "resource" : !info.namespace_.empty() ? "namespace" : "cluster"};
  if (info.verb == "watch") metrics_->watch_opened(wk);
  // Panic recovery: a bug in one request is a 500 for that request, never a dead server.
  try {
    store_.serve(info, *res, req, user, out);
  } catch (const std::exception& e) {
    out = HttpResponse{};
    write_status(out, Status::internal(std::string("an error on the server (\"") + e.what() +
                                       "\") has prevented the request from succeeding"));
  }
  if (info.verb == "watch") {
    if (out.stream) {
      auto inner = out.stream;
      std::shared_ptr<Metrics> m = metrics_;
      out.stream = [inner, m, wk](const ChunkWriter& w) {
        inner(w);
        m->watch_closed(wk);
      };
    } else {
      metrics_->watch_closed(wk);
    }
  }
  finish();
}

}  // namespace kapi::server
