// `kapi cluster-info` (kubectl pkg/cmd/clusterinfo): the server URL, then every service labelled
// kubernetes.io/cluster-service=true in the namespace (default kube-system). kubectl's colors
// (go-colortext) never reach a pipe or, in 1.33, a terminal either, so the text is plain.
// `cluster-info dump` is cluster_info_dump.cpp.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/resource_builder.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kTrailer = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

std::string service_link(const Json& svc, const std::string& host) {
  const Json& spec = svc.value("spec", Json::object());
  const Json ports = spec.value("ports", Json::array());
  const Json ingress = svc.value("status", Json::object()).value("loadBalancer", Json::object()).value("ingress", Json::array());
  const Json& meta = svc["metadata"];
  std::string link;
  if (!ingress.empty()) {
    std::string ip = ingress[0].value("ip", "");
    if (ip.empty()) ip = ingress[0].value("hostname", "");
    for (const auto& p : ports) link += "http://" + ip + ":" + std::to_string(p.value("port", 0)) + " ";
    return link;
  }
  std::string name = meta.value("name", "");
  if (!ports.empty()) {
    // utilnet.JoinSchemeNamePort: <scheme>:<name>:<port name>, empty parts left off the ends.
    std::string port_name = ports[0].value("name", "");
    std::string scheme = (port_name == "https" || ports[0].value("port", 0) == 443) ? "https" : "";
    if (!scheme.empty()) name = scheme + ":" + name + ":" + port_name;
    else if (!port_name.empty()) name = name + ":" + port_name;
  }
  return host + "/api/v1/namespaces/" + meta.value("namespace", "") + "/services/" + name + "/proxy";
}

}  // namespace

int run_cluster_info(CommandEnv& env) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return report_error(env.out, discovery.error());
  auto ns_flag = env.factory.client_config().options().namespace_;
  BuilderOptions bo;
  bo.program = env.factory.program();
  bo.namespace_ = ns_flag && !ns_flag->empty() ? *ns_flag : "kube-system";
  bo.label_selector = "kubernetes.io/cluster-service=true";
  bo.chunk_size = 0;
  bo.accept = kJsonAccept;
  ResourceBuilder b(**client, **discovery, bo);
  bool single = false;
  auto visits = b.plan({"services"}, &single);
  std::optional<CmdError> err;
  if (!visits.ok()) {
    err = visits.error();
  } else {
    for (const auto& v : *visits) b.fetch(v);
    if (!b.errors().empty()) err = b.errors().front();
  }
  if (!err) {
    const std::string& host = (*client)->config().server;
    for (const auto& info : b.infos()) {
      env.out += "Kubernetes control plane is running at " + host + "\n";
      for (const auto& svc : info.object->value("items", Json::array())) {
        const Json& meta = svc["metadata"];
        std::string name = meta.value("labels", Json::object()).value("kubernetes.io/name", "");
        if (name.empty()) name = meta.value("name", "");
        env.out += name + " is running at " + service_link(svc, host) + "\n";
      }
    }
  }
  env.out += kTrailer;
  if (err) return report_error(env.out, *err);
  return 0;
}

}  // namespace kapi::client
