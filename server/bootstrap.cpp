#include "server/bootstrap.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "server/registry/resource.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

namespace {
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
    // Namespace lifecycle: delete the contents, then drop the finalizer and the namespace.
    bool remaining = false;
    for (const auto& r : all_resources()) {
      if (!r.namespaced || !r.stored()) continue;
      storage::ListOptions lo;
      lo.prefix = r.storage_prefix + name + "/";
      auto list = cache.list(lo);
      if (!list.ok()) continue;
      for (const auto& item : list->items) {
        remaining = true;
        (void)cache.backend().remove(item->key, 0);
      }
    }
    if (remaining) return;  // the next pass sees them gone
    (void)cache.backend().remove(obj->key, 0);
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

void Controllers::run() {
  auto& cache = store_.cache();
  while (!stop_) {
    auto watcher = cache.watch("/registry/namespaces/", 0, nullptr, 100000);
    while (!stop_) {
      storage::WatchEvent ev;
      if (!watcher->next(ev, std::chrono::milliseconds(200))) {
        if (watcher->closed()) break;
        continue;
      }
      if (!ev.object || ev.type == storage::WatchEvent::Type::kDeleted) continue;
      std::string key = ev.object->key;
      std::string name = key.substr(key.rfind('/') + 1);
      reconcile_namespace(name);
      // Namespaces being deleted are revisited until empty.
      Json ns = Json::parse(ev.object->value);
      while (!stop_ && ns["metadata"].contains("deletionTimestamp") && cache.get(key)) {
        reconcile_namespace(name);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    watcher->stop();
  }
}

}  // namespace kapi::server
