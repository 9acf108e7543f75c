#pragma once
// What a fresh cluster has before any client acts: the four namespaces, the `kubernetes`
// Service, kube-system/extension-apiserver-authentication; and the in-process controllers a
// user expects from any cluster until a controllers issue lands (namespace lifecycle, the
// `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap in every namespace).
#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "server/registry/store.h"

namespace kapi::server {

struct BootstrapOptions {
  std::string ca_pem;            // for kube-root-ca.crt
  std::string client_ca_pem;     // extension-apiserver-authentication
  std::string requestheader_ca_pem;
  std::string kubernetes_service_ip;
  std::string advertise_address;
  int secure_port = 6443;
};

void bootstrap_objects(Store& store, const BootstrapOptions& opts);

class Controllers {
 public:
  Controllers(Store& store, BootstrapOptions opts);
  ~Controllers();
  void stop();

 private:
  void run();
  void reconcile_namespace(const std::string& name);
  void finish_namespace(const std::string& name, nlohmann::ordered_json ns);
  Store& store_;
  BootstrapOptions opts_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kapi::server
