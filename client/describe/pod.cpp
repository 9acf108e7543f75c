// PodDescriber (describe.go describePod) and the pod QoS class (kubectl util/qos).
#include <nlohmann/json.hpp>
#include <set>

#include "client/describe/common.h"
#include "client/describe/containers.h"
#include "client/describe/describer.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

using machinery::Quantity;

// qos.ComputePodQOS over cpu and memory.
std::string compute_qos(const Json& pod) {
  const Json& spec = at(pod, "spec");
  std::map<std::string, Quantity> requests, limits;
  bool guaranteed = true;
  auto process = [](std::map<std::string, Quantity>& list, const Json& in) {
    for (const auto& name : sorted_keys(in)) {
      if (name != "cpu" && name != "memory") continue;
      auto q = Quantity::from_json(in.at(name));
      if (!q.ok() || q->sign() <= 0) continue;
      auto it = list.find(name);
      if (it == list.end())
        list[name] = *q;
      else
        it->second.add(*q);
    }
  };
  auto has_both_limits = [](const Json& in) {
    std::set<std::string> found;
    for (const auto& name : sorted_keys(in)) {
      auto q = Quantity::from_json(in.at(name));
      if ((name == "cpu" || name == "memory") && q.ok() && q->sign() > 0) found.insert(name);
    }
    return found.size() == 2;
  };
  if (has(spec, "resources")) {
    const Json& r = at(spec, "resources");
    process(requests, at(r, "requests"));
    if (has(r, "limits")) {
      process(limits, at(r, "limits"));
      if (!has_both_limits(at(r, "limits"))) guaranteed = false;
    }
  } else {
    for (const char* field : {"containers", "initContainers"}) {
      for (const auto& c : items(at(spec, field))) {
        process(requests, path(c, {"resources", "requests"}));
        process(limits, path(c, {"resources", "limits"}));
        if (!has_both_limits(path(c, {"resources", "limits"}))) guaranteed = false;
      }
    }
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second.cmp(req) != 0) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

}  // namespace

Result<std::string> describe_pod(Describe& d, const Json& pod) {
  const Json& meta = at(pod, "metadata");
  const Json& spec = at(pod, "spec");
  const Json& status = at(pod, "status");
  std::vector<Json> events;
  if (d.settings().show_events) {
    // The pod's reference without its kind; a mirror pod's events carry the static pod's uid.
    std::string uid = str(meta, "uid");
    if (has(at(meta, "annotations"), "kubernetes.io/config.mirror"))
      uid = str(at(meta, "annotations"), "kubernetes.io/config.mirror");
    events = d.events(str(meta, "namespace"), "", str(meta, "name"), uid, str(meta, "namespace"));
  }

  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  if (has(spec, "priority"))
    w.write(kLevel0, "Priority:\t" + std::to_string(num(spec, "priority")) + "\n");
  if (!str(spec, "priorityClassName").empty())
    w.write(kLevel0, "Priority Class Name:\t" + str(spec, "priorityClassName") + "\n");
  if (!str(spec, "runtimeClassName").empty())
    w.write(kLevel0, "Runtime Class Name:\t" + str(spec, "runtimeClassName") + "\n");
  if (!str(spec, "serviceAccountName").empty())
    w.write(kLevel0, "Service Account:\t" + str(spec, "serviceAccountName") + "\n");
  if (str(spec, "nodeName").empty())
    w.write(kLevel0, "Node:\t<none>\n");
  else
    w.write(kLevel0, "Node:\t" + str(spec, "nodeName") + "/" + str(status, "hostIP") + "\n");
  if (has(status, "startTime"))
    w.write(kLevel0, "Start Time:\t" + rfc1123z(at(status, "startTime")) + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  std::string phase = str(status, "phase");
  if (has(meta, "deletionTimestamp") && phase != "Failed" && phase != "Succeeded") {
    w.write(kLevel0, "Status:\tTerminating (lasts " + since(at(meta, "deletionTimestamp")) + ")\n");
    w.write(kLevel0, "Termination Grace Period:\t" +
                         std::to_string(num(meta, "deletionGracePeriodSeconds")) + "s\n");
  } else {
    w.write(kLevel0, "Status:\t" + phase + "\n");
  }
  if (!str(status, "reason").empty()) w.write(kLevel0, "Reason:\t" + str(status, "reason") + "\n");
  if (!str(status, "message").empty())
    w.write(kLevel0, "Message:\t" + str(status, "message") + "\n");
  const Json& seccomp = path(spec, {"securityContext", "seccompProfile"});
  if (!seccomp.is_null()) {
    w.write(kLevel0, "SeccompProfile:\t" + str(seccomp, "type") + "\n");
    if (str(seccomp, "type") == "Localhost")
      w.write(kLevel0, "LocalhostProfile:\t" + str(seccomp, "localhostProfile") + "\n");
  }
  w.write(kLevel0, "IP:\t" + str(status, "podIP") + "\n");
  if (size_of(at(status, "podIPs")) == 0) {
    w.write(kLevel0, "IPs:\t<none>\n");
  } else {
    w.write(kLevel0, "IPs:\n");
    for (const auto& ip : items(at(status, "podIPs")))
      w.write(kLevel1, "IP:\t" + str(ip, "ip") + "\n");
  }
  if (auto c = controlled_by(pod); !c.empty()) w.write(kLevel0, "Controlled By:\t" + c + "\n");
  if (!str(status, "nominatedNodeName").empty())
    w.write(kLevel0, "NominatedNodeName:\t" + str(status, "nominatedNodeName") + "\n");
  if (has(spec, "resources")) {
    w.write(kLevel0, "Resources:\n");
    describe_resources(at(spec, "resources"), w, kLevel1);
  }
  if (size_of(at(spec, "initContainers")) > 0)
    describe_containers("Init Containers", at(spec, "initContainers"),
                        at(status, "initContainerStatuses"), &pod, w, "");
  describe_containers("Containers", at(spec, "containers"), at(status, "containerStatuses"), &pod,
                      w, "");
  if (size_of(at(spec, "ephemeralContainers")) > 0)
    describe_containers("Ephemeral Containers", at(spec, "ephemeralContainers"),
                        at(status, "ephemeralContainerStatuses"), &pod, w, "");
  if (size_of(at(spec, "readinessGates")) > 0) {
    w.write(kLevel0, "Readiness Gates:\n  Type\tStatus\n");
    for (const auto& g : items(at(spec, "readinessGates"))) {
      std::string s = "<none>";
      for (const auto& c : items(at(status, "conditions")))
        if (str(c, "type") == str(g, "conditionType")) {
          s = str(c, "status");
          break;
        }
      w.write(kLevel1, str(g, "conditionType") + " \t" + s + " \n");
    }
  }
  if (size_of(at(status, "conditions")) > 0) {
    w.write(kLevel0, "Conditions:\n  Type\tStatus\n");
    for (const auto& c : items(at(status, "conditions")))
      w.write(kLevel1, str(c, "type") + " \t" + str(c, "status") + " \n");
  }
  describe_volumes(at(spec, "volumes"), w, "");
  std::string qos = str(status, "qosClass");
  w.write(kLevel0, "QoS Class:\t" + (qos.empty() ? compute_qos(pod) : qos) + "\n");
  print_labels_multiline(w, "Node-Selectors", at(spec, "nodeSelector"));
  print_tolerations_multiline(w, "Tolerations", at(spec, "tolerations"));
  describe_topology_spread_constraints(at(spec, "topologySpreadConstraints"), w, "");
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
