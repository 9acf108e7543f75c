#include "server/bootstrap.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/duration.h"

#include "server/registry/json_access.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "pkg/runtime/json_codec.h"

#include "server/registry/resource.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

namespace {
std::string now_rfc3339() {
  return machinery::format_rfc3339(std::chrono::system_clock::now());
}

const ResourceInfo& res(const char* group, const char* resource) {
  return *find_resource(group, "v1", resource);
}
}  // namespace

void bootstrap_objects(Store& store, const BootstrapOptions& o) {
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    Json j = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    store.ensure(res("", "namespaces"), "", j.dump());
  }
  Json svc = {{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", {{"name", "kubernetes"}, {"namespace", "default"},
                            {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
              {"spec", {{"clusterIP", o.kubernetes_service_ip},
                        {"ports", Json::array({{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", o.secure_port}}})},
                        {"sessionAffinity", "None"}, {"type", "ClusterIP"}}}};
  store.ensure(res("", "services"), "default", svc.dump());
  bool loopback = o.advertise_address.empty() || o.advertise_address.rfind("127.", 0) == 0 || o.advertise_address == "::1";
  if (!loopback) {
    Json ep = {{"apiVersion", "v1"}, {"kind", "Endpoints"},
               {"metadata", {{"name", "kubernetes"}, {"namespace", "default"},
                             {"labels", {{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}},
               {"subsets", Json::array({{{"addresses", Json::array({{{"ip", o.advertise_address}}})},
                                          {"ports", Json::array({{{"name", "https"}, {"port", o.secure_port}, {"protocol", "TCP"}}})}}})}};
    store.ensure(res("", "endpoints"), "default", ep.dump());
    Json eps = {{"apiVersion", "discovery.k8s.io/v1"}, {"kind", "EndpointSlice"},
                {"metadata", {{"name", "kubernetes"}, {"namespace", "default"},
                              {"labels", {{"kubernetes.io/service-name", "kubernetes"}}}}},
                {"addressType", "IPv4"},
                {"endpoints", Json::array({{{"addresses", Json::array({o.advertise_address})}, {"conditions", {{"ready", true}}}}})},
                {"ports", Json::array({{{"name", "https"}, {"port", o.secure_port}, {"protocol", "TCP"}}})}};
    store.ensure(res("discovery.k8s.io", "endpointslices"), "default", eps.dump());
  }
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"},
             {"metadata", {{"name", "extension-apiserver-authentication"}, {"namespace", "kube-system"}}},
             {"data", {{"client-ca-file", o.client_ca_pem},
                       {"requestheader-allowed-names", "[\"front-proxy-client\"]"},
                       {"requestheader-client-ca-file", o.requestheader_ca_pem},
                       {"requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]"},
                       {"requestheader-group-headers", "[\"X-Remote-Group\"]"},
                       {"requestheader-username-headers", "[\"X-Remote-User\"]"}}}};
  store.ensure(res("", "configmaps"), "kube-system", cm.dump());
}

Controllers::Controllers(Store& store, BootstrapOptions opts)
    : store_(store), opts_(std::move(opts)), thread_([this] { run(); }) {}

Controllers::~Controllers() { stop(); }

void Controllers::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Controllers::reconcile_namespace(const std::string& name) {
  auto& cache = store_.cache();
  auto obj = cache.get("/registry/namespaces/" + name);
  if (!obj) return;
  Json ns = Json::parse(obj->value);
  if (ns["metadata"].contains("deletionTimestamp")) {
    finish_namespace(name, ns);
    return;
  }
  if (ns["status"].value("phase", "") != "Active") return;
  Json sa = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "default"}, {"namespace", name}}}};
  store_.ensure(res("", "serviceaccounts"), name, sa.dump());
  if (!opts_.ca_pem.empty()) {
    Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"},
               {"metadata", {{"name", "kube-root-ca.crt"}, {"namespace", name},
                             {"annotations", {{"kubernetes.io/description", "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}}}}},
               {"data", {{"ca.crt", opts_.ca_pem}}}};
    store_.ensure(res("", "configmaps"), name, cm.dump());
  }
}

// The namespace controller's deletion: delete every object in the namespace through the API
// (finalizers and graceful deletion apply), report progress in status.conditions, and once
// nothing remains drop the `kubernetes` finalizer, which lets the namespace go.
void Controllers::finish_namespace(const std::string& name, Json ns) {
  auto& cache = store_.cache();
  std::map<std::string, int> remaining;       // resource -> count
  std::map<std::string, int> with_finalizers; // finalizer -> count
  for (const auto& r : all_resources()) {
    if (!r.namespaced || !r.stored() || r.storage_owner) continue;  // shared storage: deleted via its owner
    storage::ListOptions lo;
    lo.prefix = r.storage_prefix + name + "/";
    auto list = cache.list(lo);
    if (!list.ok()) continue;
    for (const auto& item : list->items) {
      Json o = Json::parse(item->value);
      std::string resource = r.group.empty() ? r.resource : r.resource + "." + r.group;
      ++remaining[resource];
      for (const auto& f : arr_at(o["metadata"], "finalizers")) ++with_finalizers[f.get<std::string>()];
      if (!o["metadata"].contains("deletionTimestamp"))
        store_.internal("delete", r, name, o["metadata"].value("name", ""), R"({"propagationPolicy":"Background"})");
    }
  }
  auto condition = [](const std::string& type, bool on, const std::string& reason, const std::string& msg) {
    Json c = {{"type", type}, {"status", on ? "True" : "False"}, {"lastTransitionTime", nullptr},
              {"reason", reason}, {"message", msg}};
    return c;
  };
  std::string content_msg, final_msg;
  for (const auto& [r, n] : remaining)
    content_msg += (content_msg.empty() ? "" : ", ") + r + " has " + std::to_string(n) + " resource instances";
  for (const auto& [f, n] : with_finalizers)
    final_msg += (final_msg.empty() ? "" : ", ") + f + " in " + std::to_string(n) + " resource instances";
  Json conditions = Json::array({
      condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"),
      condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
      condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
      remaining.empty() ? condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed")
                        : condition("NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: " + content_msg),
      with_finalizers.empty() ? condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
                              : condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: " + final_msg)});
  if (arr_at(ns["status"], "conditions").size() != conditions.size() ||
      [&] {
        const Json& old = ns["status"]["conditions"];
        for (size_t i = 0; i < conditions.size(); ++i)
          if (old[i].value("status", "") != conditions[i]["status"] || old[i].value("message", "") != conditions[i]["message"]) return true;
        return false;
      }()) {
    std::string now = now_rfc3339();
    for (auto& c : conditions) c["lastTransitionTime"] = now;
    Json patch = {{"status", {{"conditions", conditions}}}};
    HttpResponse r = store_.internal("patch", *find_resource("", "v1", "namespaces"), name, name, patch.dump(), "status");
    (void)r;
  }
  if (!remaining.empty()) return;
  // Content gone: drop the kubernetes finalizer (as PUT .../finalize does).
  auto obj = cache.get("/registry/namespaces/" + name);
  if (!obj) return;
  Json cur = Json::parse(obj->value);
  if (!arr_at(obj_at(cur, "spec"), "finalizers").empty()) {
    cur["spec"]["finalizers"] = Json::array();
    (void)cache.backend().update(obj->key, runtime::encode_json(cur), obj->mod_revision);
    obj = cache.get("/registry/namespaces/" + name);
    if (!obj) return;
    cur = Json::parse(obj->value);
  }
  if (arr_at(cur["metadata"], "finalizers").empty())
    (void)cache.backend().remove(obj->key, obj->mod_revision);
}

void Controllers::run() {
  auto& cache = store_.cache();
  std::set<std::string> terminating;  // revisited until gone
  while (!stop_) {
    auto watcher = cache.watch("/registry/namespaces/", 0, nullptr, 100000);
    while (!stop_) {
      storage::WatchEvent ev;
      bool got = watcher->next(ev, std::chrono::milliseconds(200));
      if (got && ev.object && ev.type != storage::WatchEvent::Type::kDeleted) {
        std::string name = ev.object->key.substr(ev.object->key.rfind('/') + 1);
        Json ns = Json::parse(ev.object->value);
        try {
          if (ns["metadata"].contains("deletionTimestamp")) terminating.insert(name);
          else reconcile_namespace(name);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "namespace controller: %s: %s\n", name.c_str(), e.what());
        }
      }
      if (!got) {
        if (watcher->closed()) break;
        for (auto it = terminating.begin(); it != terminating.end();) {
          try {
            reconcile_namespace(*it);
          } catch (const std::exception& e) {
            std::fprintf(stderr, "namespace controller: %s: %s\n", it->c_str(), e.what());
          }
          it = cache.get("/registry/namespaces/" + *it) ? std::next(it) : terminating.erase(it);
        }
      }
    }
    watcher->stop();
  }
}

}  // namespace kapi::server
