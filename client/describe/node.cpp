// NodeDescriber (describe.go describeNode, describeNodeResource) with kubectl's pod resource
// sums (util/resource PodRequestsAndLimits).
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "client/describe/common.h"
#include "client/describe/describer.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

using machinery::Quantity;
using ResourceList = std::map<std::string, Quantity>;

ResourceList resource_list(const Json& j) {
  ResourceList out;
  for (const auto& k : sorted_keys(j)) {
    auto q = Quantity::from_json(j.at(k));
    out[k] = q.ok() ? *q : Quantity();
  }
  return out;
}

void add_list(ResourceList& list, const ResourceList& add) {
  for (const auto& [k, q] : add) {
    auto it = list.find(k);
    if (it == list.end())
      list[k] = q;
    else
      it->second.add(q);
  }
}

void max_list(ResourceList& list, const ResourceList& other) {
  for (const auto& [k, q] : other) {
    auto it = list.find(k);
    if (it == list.end() || q.cmp(it->second) > 0) list[k] = q;
  }
}

// podRequests / podLimits without in-place resize.
void pod_requests_and_limits(const Json& pod, ResourceList& reqs, ResourceList& limits) {
  const Json& spec = at(pod, "spec");
  for (const auto& c : items(at(spec, "containers"))) {
    add_list(reqs, resource_list(path(c, {"resources", "requests"})));
    add_list(limits, resource_list(path(c, {"resources", "limits"})));
  }
  for (const char* kind : {"requests", "limits"}) {
    ResourceList& total = kind == std::string("requests") ? reqs : limits;
    ResourceList restartable, init;
    for (const auto& c : items(at(spec, "initContainers"))) {
      ResourceList r = resource_list(path(c, {"resources", kind}));
      if (str(c, "restartPolicy") == "Always") {
        add_list(total, r);
        add_list(restartable, r);
        r = restartable;
      } else {
        add_list(r, restartable);
      }
      max_list(init, r);
    }
    max_list(total, init);
  }
  if (has(spec, "overhead")) {
    ResourceList overhead = resource_list(at(spec, "overhead"));
    add_list(reqs, overhead);
    for (const auto& [k, q] : overhead)
      if (auto it = limits.find(k); it != limits.end() && !it->second.is_zero()) it->second.add(q);
  }
}

Quantity get(const ResourceList& l, const std::string& k) {
  auto it = l.find(k);
  return it == l.end() ? Quantity() : it->second;
}

// int64(float64(a) / float64(b) * 100) as Go computes it (Inf/NaN convert to MinInt64 on amd64).
int64_t percent(int64_t a, int64_t b) {
  double f = static_cast<double>(a) / static_cast<double>(b) * 100;
  if (!(f == f) || f >= 9.2e18 || f <= -9.2e18) return INT64_MIN;
  return static_cast<int64_t>(f);
}

void describe_node_resource(const std::vector<Json>& pods, const Json& node, PrefixWriter& w) {
  w.write(kLevel0, "Non-terminated Pods:\t(" + std::to_string(pods.size()) + " in total)\n");
  w.write(kLevel1,
          "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(kLevel1,
          "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const Json& status = at(node, "status");
  ResourceList allocatable = size_of(at(status, "allocatable")) > 0
                                 ? resource_list(at(status, "allocatable"))
                                 : resource_list(at(status, "capacity"));
  Quantity alloc_cpu = get(allocatable, "cpu"), alloc_mem = get(allocatable, "memory"),
           alloc_eph = get(allocatable, "ephemeral-storage");
  ResourceList total_reqs, total_limits;
  for (const auto& pod : pods) {
    ResourceList reqs, limits;
    pod_requests_and_limits(pod, reqs, limits);
    add_list(total_reqs, reqs);
    add_list(total_limits, limits);
    Quantity cr = get(reqs, "cpu"), cl = get(limits, "cpu"), mr = get(reqs, "memory"),
             ml = get(limits, "memory");
    const Json& meta = at(pod, "metadata");
    w.write(kLevel1, str(meta, "namespace") + "\t" + str(meta, "name") + "\t\t" + cr.to_string() +
                         " (" + std::to_string(percent(cr.milli_value(), alloc_cpu.milli_value())) +
                         "%)\t" + cl.to_string() + " (" +
                         std::to_string(percent(cl.milli_value(), alloc_cpu.milli_value())) +
                         "%)\t" + mr.to_string() + " (" +
                         std::to_string(percent(mr.value(), alloc_mem.value())) + "%)\t" +
                         ml.to_string() + " (" +
                         std::to_string(percent(ml.value(), alloc_mem.value())) + "%)\t" +
                         since(at(meta, "creationTimestamp")) + "\n");
  }
  w.write(kLevel0,
          "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(kLevel1, "Resource\tRequests\tLimits\n");
  w.write(kLevel1, "--------\t--------\t------\n");
  auto row = [&](const std::string& name, const Quantity& alloc, bool milli) {
    Quantity r = get(total_reqs, name), l = get(total_limits, name);
    int64_t a = milli ? alloc.milli_value() : alloc.value();
    int64_t rp = 0, lp = 0;
    if (a != 0) {
      rp = percent(milli ? r.milli_value() : r.value(), a);
      lp = percent(milli ? l.milli_value() : l.value(), a);
    }
    w.write(kLevel1, name + "\t" + r.to_string() + " (" + std::to_string(rp) + "%)\t" +
                         l.to_string() + " (" + std::to_string(lp) + "%)\n");
  };
  row("cpu", alloc_cpu, true);
  row("memory", alloc_mem, false);
  row("ephemeral-storage", alloc_eph, false);
  std::vector<std::string> ext, huge;
  for (const auto& [name, _] : allocatable) {
    if (name.rfind("hugepages-", 0) == 0)
      huge.push_back(name);
    else if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pods")
      ext.push_back(name);
  }
  for (const auto& name : huge) row(name, get(allocatable, name), false);
  for (const auto& name : ext)
    w.write(kLevel1, name + "\t" + get(total_reqs, name).to_string() + "\t" +
                         get(total_limits, name).to_string() + "\n");
}

}  // namespace

Result<std::string> describe_node(Describe& d, const Json& node) {
  const Json& meta = at(node, "metadata");
  const Json& spec = at(node, "spec");
  const Json& status = at(node, "status");
  std::string name = str(meta, "name");
  bool can_view_pods = true;
  std::vector<Json> pods;
  auto listed = d.list("/api/v1/pods",
                       {{"fieldSelector", "spec.nodeName=" + name +
                                              ",status.phase!=Succeeded,status.phase!=Failed"}},
                       "pods");
  if (listed.ok())
    pods = *listed;
  else if (listed.error().reason == "Forbidden")
    can_view_pods = false;
  else
    return listed.error();
  std::vector<Json> events;
  if (d.settings().show_events) {
    // Controllers report node events with the node's uid, kubelets with its name.
    events = d.events("", "Node", name, str(meta, "uid"), "");
    for (auto& e : d.events("", "Node", name, name, "")) events.push_back(std::move(e));
  }
  auto lease = d.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name);

  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + name + "\n");
  std::set<std::string> roles;
  for (const auto& k : sorted_keys(at(meta, "labels"))) {
    const std::string prefix = "node-role.kubernetes.io/";
    if (k.rfind(prefix, 0) == 0) {
      if (k.size() > prefix.size()) roles.insert(k.substr(prefix.size()));
    } else if (k == "kubernetes.io/role" && !str(at(meta, "labels"), k.c_str()).empty()) {
      roles.insert(str(at(meta, "labels"), k.c_str()));
    }
  }
  w.write(kLevel0,
          "Roles:\t" +
              (roles.empty() ? std::string("<none>") : join({roles.begin(), roles.end()}, ",")) +
              "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "CreationTimestamp:\t" + rfc1123z(at(meta, "creationTimestamp")) + "\n");
  print_taints_multiline(w, "Taints", at(spec, "taints"));
  w.write(kLevel0, std::string("Unschedulable:\t") +
                       (boolean(spec, "unschedulable") ? "true" : "false") + "\n");
  if (lease.ok()) {
    const Json& ls = at(*lease, "spec");
    w.write(kLevel0, "Lease:\n");
    w.write(kLevel1, "HolderIdentity:\t" +
                         (has(ls, "holderIdentity") ? str(ls, "holderIdentity") : "<unset>") +
                         "\n");
    w.write(kLevel1, "AcquireTime:\t" +
                         (has(ls, "acquireTime") ? rfc1123z(at(ls, "acquireTime")) : "<unset>") +
                         "\n");
    w.write(kLevel1, "RenewTime:\t" +
                         (has(ls, "renewTime") ? rfc1123z(at(ls, "renewTime")) : "<unset>") + "\n");
  } else {
    w.write(kLevel0, "Lease:\tFailed to get lease: " + lease.error().message + "\n");
  }
  if (size_of(at(status, "conditions")) > 0) {
    w.write(
        kLevel0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(kLevel1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const auto& c : items(at(status, "conditions")))
      w.write(kLevel1, str(c, "type") + " \t" + str(c, "status") + " \t" +
                           rfc1123z(at(c, "lastHeartbeatTime")) + " \t" +
                           rfc1123z(at(c, "lastTransitionTime")) + " \t" + str(c, "reason") +
                           " \t" + str(c, "message") + "\n");
  }
  w.write(kLevel0, "Addresses:\n");
  for (const auto& a : items(at(status, "addresses")))
    w.write(kLevel1, str(a, "type") + ":\t" + str(a, "address") + "\n");
  for (const char* field : {"capacity", "allocatable"}) {
    const Json& list = at(status, field);
    if (size_of(list) == 0) continue;
    w.write(kLevel0,
            std::string(field == std::string("capacity") ? "Capacity" : "Allocatable") + ":\n");
    for (const auto& k : sorted_keys(list))
      w.write(kLevel0, "  " + k + ":\t" + quantity(list.at(k)) + "\n");
  }
  const Json& info = at(status, "nodeInfo");
  w.write(kLevel0, "System Info:\n");
  w.write(kLevel0, "  Machine ID:\t" + str(info, "machineID") + "\n");
  w.write(kLevel0, "  System UUID:\t" + str(info, "systemUUID") + "\n");
  w.write(kLevel0, "  Boot ID:\t" + str(info, "bootID") + "\n");
  w.write(kLevel0, "  Kernel Version:\t" + str(info, "kernelVersion") + "\n");
  w.write(kLevel0, "  OS Image:\t" + str(info, "osImage") + "\n");
  w.write(kLevel0, "  Operating System:\t" + str(info, "operatingSystem") + "\n");
  w.write(kLevel0, "  Architecture:\t" + str(info, "architecture") + "\n");
  w.write(kLevel0, "  Container Runtime Version:\t" + str(info, "containerRuntimeVersion") + "\n");
  w.write(kLevel0, "  Kubelet Version:\t" + str(info, "kubeletVersion") + "\n");
  w.write(kLevel0, "  Kube-Proxy Version:\t" + str(info, "kubeProxyVersion") + "\n");
  if (!str(spec, "podCIDR").empty()) w.write(kLevel0, "PodCIDR:\t" + str(spec, "podCIDR") + "\n");
  if (size_of(at(spec, "podCIDRs")) > 0)
    w.write(kLevel0, "PodCIDRs:\t" + join(strings_of(at(spec, "podCIDRs")), ",") + "\n");
  if (!str(spec, "providerID").empty())
    w.write(kLevel0, "ProviderID:\t" + str(spec, "providerID") + "\n");
  if (can_view_pods)
    describe_node_resource(pods, node, w);
  else
    w.write(kLevel0, "Pods:\tnot authorized\n");
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
