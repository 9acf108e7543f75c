// Core-group describers (describe.go): Service, Endpoints, EndpointSlice, ConfigMap, Secret,
// ServiceAccount, Namespace (with its quotas and limit ranges), LimitRange, ResourceQuota,
// PriorityClass.
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "client/describe/common.h"
#include "client/describe/describer.h"
#include "pkg/machinery/base64.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

using machinery::Quantity;

void name_namespace_labels(PrefixWriter& w, const Json& meta) {
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
}

// net.JoinHostPort.
std::string join_host_port(const std::string& host, int64_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

// formatEndpointSlices for one service port name.
std::string format_endpoint_slices(const std::vector<Json>& slices, const std::string& port_name) {
  if (slices.empty()) return "<none>";
  std::vector<std::string> list;
  const size_t max = 3;
  bool more = false;
  size_t count = 0;
  auto ready = [](const Json& ep) {
    const Json& r = path(ep, {"conditions", "ready"});
    return !r.is_boolean() || r.get<bool>();
  };
  for (const auto& s : slices) {
    if (size_of(at(s, "ports")) == 0) {
      for (const auto& ep : items(at(s, "endpoints"))) {
        if (list.size() == max) more = true;
        if (!ready(ep)) continue;
        if (!more)
          list.push_back(
              strings_of(at(ep, "addresses")).empty() ? "" : strings_of(at(ep, "addresses"))[0]);
        ++count;
      }
      continue;
    }
    for (const auto& port : items(at(s, "ports"))) {
      if (str(port, "name") != port_name) continue;
      for (const auto& ep : items(at(s, "endpoints"))) {
        if (list.size() == max) more = true;
        auto addrs = strings_of(at(ep, "addresses"));
        if (!ready(ep)) continue;
        if (!more) list.push_back(join_host_port(addrs.empty() ? "" : addrs[0], num(port, "port")));
        ++count;
      }
    }
  }
  std::string ret = join(list, ",");
  if (more) return ret + " + " + std::to_string(count - max) + " more...";
  return ret;
}

std::vector<std::string> sorted_resource_names(const Json& list) { return sorted_keys(list); }

// helpTextForResourceQuotaScope.
std::string quota_scope_help(const std::string& scope) {
  static const std::map<std::string, std::string> kHelp = {
      {"Terminating",
       "Matches all pods that have an active deadline. These pods have a limited lifespan on a "
       "node before being actively terminated by the system."},
      {"NotTerminating",
       "Matches all pods that do not have an active deadline. These pods usually include long "
       "running pods whose container command is not expected to terminate."},
      {"BestEffort",
       "Matches all pods that do not have resource requirements set. These pods have a best effort "
       "quality of service."},
      {"NotBestEffort",
       "Matches all pods that have at least one resource requirement set. These pods have a "
       "burstable or guaranteed quality of service."},
  };
  auto it = kHelp.find(scope);
  return it == kHelp.end() ? "" : it->second;
}

void describe_resource_quotas(const std::vector<Json>& quotas_in, PrefixWriter& w) {
  if (quotas_in.empty()) {
    w.write(kLevel0, "No resource quota.\n");
    return;
  }
  std::vector<Json> quotas = quotas_in;
  std::stable_sort(quotas.begin(), quotas.end(), [](const Json& a, const Json& b) {
    return str(at(a, "metadata"), "name") < str(at(b, "metadata"), "name");
  });
  w.write(kLevel0, "Resource Quotas\n");
  for (const auto& q : quotas) {
    w.write(kLevel1, "Name:\t" + str(at(q, "metadata"), "name") + "\n");
    auto scopes = strings_of(path(q, {"spec", "scopes"}));
    if (!scopes.empty()) {
      std::sort(scopes.begin(), scopes.end());
      w.write(kLevel1, "Scopes:\t" + join(scopes, ", ") + "\n");
      for (const auto& s : scopes)
        if (auto help = quota_scope_help(s); !help.empty()) w.write(kLevel1, "* " + help + "\n");
    }
    w.write(kLevel1, "Resource\tUsed\tHard\n");
    w.write(kLevel1, "--------\t---\t---\n");
    const Json& hard = path(q, {"status", "hard"});
    const Json& used = path(q, {"status", "used"});
    for (const auto& r : sorted_resource_names(hard))
      w.write(kLevel1, r + "\t" + quantity(at(used, r.c_str())) + "\t" +
                           quantity(at(hard, r.c_str())) + "\n");
  }
}

// describeLimitRangeSpec: one row per resource of each limit item.
void describe_limit_range_spec(const Json& spec, const std::string& prefix, PrefixWriter& w) {
  for (const auto& item : items(at(spec, "limits"))) {
    std::set<std::string> names;
    for (const char* k : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"})
      for (const auto& n : sorted_keys(at(item, k))) names.insert(n);
    for (const auto& n : names) {
      auto v = [&](const char* k) {
        const Json& q = at(at(item, k), n.c_str());
        return q.is_null() ? std::string("-") : quantity(q);
      };
      w.write(kLevel0, prefix + str(item, "type") + "\t" + n + "\t" + v("min") + "\t" + v("max") +
                           "\t" + v("defaultRequest") + "\t" + v("default") + "\t" +
                           v("maxLimitRequestRatio") + "\n");
    }
  }
}

void describe_limit_ranges(const std::vector<Json>& ranges, PrefixWriter& w) {
  if (ranges.empty()) {
    w.write(kLevel0, "No LimitRange resource.\n");
    return;
  }
  w.write(kLevel0,
          "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax "
          "Limit/Request Ratio\n");
  w.write(kLevel0,
          " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  for (const auto& lr : ranges) describe_limit_range_spec(at(lr, "spec"), " ", w);
}

}  // namespace

Result<std::string> describe_service(Describe& d, const Json& svc) {
  const Json& meta = at(svc, "metadata");
  const Json& spec = at(svc, "spec");
  auto slices = d.list(
      "/apis/discovery.k8s.io/v1/namespaces/" + str(meta, "namespace") + "/endpointslices",
      {{"labelSelector", "kubernetes.io/service-name=" + str(meta, "name")}}, "endpointslices");
  std::vector<Json> endpoint_slices = slices.ok() ? *slices : std::vector<Json>{};
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(svc, "Service");
  TabbedWriter w;
  name_namespace_labels(w, meta);
  w.write(kLevel0, "Selector:\t" + format_labels(at(spec, "selector")) + "\n");
  w.write(kLevel0, "Type:\t" + str(spec, "type") + "\n");
  if (has(spec, "ipFamilyPolicy"))
    w.write(kLevel0, "IP Family Policy:\t" + str(spec, "ipFamilyPolicy") + "\n");
  auto families = strings_of(at(spec, "ipFamilies"));
  w.write(kLevel0, "IP Families:\t" +
                       (families.empty() ? std::string("<none>") : join(families, ",")) + "\n");
  w.write(kLevel0, "IP:\t" + str(spec, "clusterIP") + "\n");
  auto ips = strings_of(at(spec, "clusterIPs"));
  w.write(kLevel0, "IPs:\t" + (ips.empty() ? std::string("<none>") : join(ips, ",")) + "\n");
  if (size_of(at(spec, "externalIPs")) > 0)
    w.write(kLevel0, "External IPs:\t" + join(strings_of(at(spec, "externalIPs")), ",") + "\n");
  if (!str(spec, "loadBalancerIP").empty())
    w.write(kLevel0, "Desired LoadBalancer IP:\t" + str(spec, "loadBalancerIP") + "\n");
  if (!str(spec, "externalName").empty())
    w.write(kLevel0, "External Name:\t" + str(spec, "externalName") + "\n");
  const Json& ingress = path(svc, {"status", "loadBalancer", "ingress"});
  if (size_of(ingress) > 0) {
    std::vector<std::string> parts;
    for (const auto& i : items(ingress)) {
      if (!str(i, "ip").empty())
        parts.push_back(str(i, "ip") + (has(i, "ipMode") ? " (" + str(i, "ipMode") + ")" : ""));
      else
        parts.push_back(str(i, "hostname"));
    }
    w.write(kLevel0, "LoadBalancer Ingress:\t" + join(parts, ", ") + "\n");
  }
  for (const auto& sp : items(at(spec, "ports"))) {
    std::string name = str(sp, "name").empty() ? "<unset>" : str(sp, "name");
    std::string proto = str(sp, "protocol");
    w.write(kLevel0,
            "Port:\t" + name + "\t" + std::to_string(num(sp, "port")) + "/" + proto + "\n");
    w.write(kLevel0, "TargetPort:\t" + int_or_string(at(sp, "targetPort")) + "/" + proto + "\n");
    if (num(sp, "nodePort") != 0)
      w.write(kLevel0, "NodePort:\t" + name + "\t" + std::to_string(num(sp, "nodePort")) + "/" +
                           proto + "\n");
    w.write(kLevel0,
            "Endpoints:\t" + format_endpoint_slices(endpoint_slices, str(sp, "name")) + "\n");
  }
  w.write(kLevel0, "Session Affinity:\t" + str(spec, "sessionAffinity") + "\n");
  if (!str(spec, "externalTrafficPolicy").empty())
    w.write(kLevel0, "External Traffic Policy:\t" + str(spec, "externalTrafficPolicy") + "\n");
  if (has(spec, "internalTrafficPolicy"))
    w.write(kLevel0, "Internal Traffic Policy:\t" + str(spec, "internalTrafficPolicy") + "\n");
  if (num(spec, "healthCheckNodePort") != 0)
    w.write(kLevel0,
            "HealthCheck NodePort:\t" + std::to_string(num(spec, "healthCheckNodePort")) + "\n");
  if (size_of(at(spec, "loadBalancerSourceRanges")) > 0)
    w.write(kLevel0, "LoadBalancer Source Ranges:\t" +
                         join(strings_of(at(spec, "loadBalancerSourceRanges")), ",") + "\n");
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_endpoints(Describe& d, const Json& ep) {
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(ep, "Endpoints");
  TabbedWriter w;
  name_namespace_labels(w, at(ep, "metadata"));
  w.write(kLevel0, "Subsets:\n");
  for (const auto& subset : items(at(ep, "subsets"))) {
    for (const char* field : {"addresses", "notReadyAddresses"}) {
      std::vector<std::string> ips;
      for (const auto& a : items(at(subset, field))) ips.push_back(str(a, "ip"));
      std::string s = join(ips, ",");
      w.write(kLevel1,
              std::string(field == std::string("addresses") ? "Addresses" : "NotReadyAddresses") +
                  ":\t" + (s.empty() ? "<none>" : s) + "\n");
    }
    if (size_of(at(subset, "ports")) > 0) {
      w.write(kLevel1, "Ports:\n");
      w.write(kLevel2, "Name\tPort\tProtocol\n");
      w.write(kLevel2, "----\t----\t--------\n");
      for (const auto& p : items(at(subset, "ports"))) {
        std::string name = str(p, "name").empty() ? "<unset>" : str(p, "name");
        w.write(kLevel2,
                name + "\t" + std::to_string(num(p, "port")) + "\t" + str(p, "protocol") + "\n");
      }
    }
    w.write(kLevel0, "\n");
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_endpoint_slice(Describe& d, const Json& eps) {
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(eps, "EndpointSlice");
  TabbedWriter w;
  name_namespace_labels(w, at(eps, "metadata"));
  w.write(kLevel0, "AddressType:\t" + str(eps, "addressType") + "\n");
  if (size_of(at(eps, "ports")) == 0) {
    w.write(kLevel0, "Ports: <unset>\n");
  } else {
    w.write(kLevel0, "Ports:\n");
    w.write(kLevel1, "Name\tPort\tProtocol\n");
    w.write(kLevel1, "----\t----\t--------\n");
    for (const auto& p : items(at(eps, "ports"))) {
      std::string name = str(p, "name").empty() ? "<unset>" : str(p, "name");
      std::string port = has(p, "port") ? std::to_string(num(p, "port")) : "<unset>";
      w.write(kLevel1, name + "\t" + port + "\t" + str(p, "protocol") + "\n");
    }
  }
  if (size_of(at(eps, "endpoints")) == 0) {
    w.write(kLevel0, "Endpoints: <none>\n");
  } else {
    w.write(kLevel0, "Endpoints:\n");
    for (const auto& ep : items(at(eps, "endpoints"))) {
      std::string addrs = join(strings_of(at(ep, "addresses")), ", ");
      w.write(kLevel1, "- Addresses:\t" + (addrs.empty() ? "<none>" : addrs) + "\n");
      w.write(kLevel2, "Conditions:\n");
      const Json& ready = path(ep, {"conditions", "ready"});
      w.write(kLevel3, "Ready:\t" +
                           (ready.is_boolean() ? std::string(ready.get<bool>() ? "true" : "false")
                                               : "<unset>") +
                           "\n");
      w.write(kLevel2,
              "Hostname:\t" + (has(ep, "hostname") ? str(ep, "hostname") : "<unset>") + "\n");
      if (has(ep, "targetRef"))
        w.write(kLevel2, "TargetRef:\t" + str(at(ep, "targetRef"), "kind") + "/" +
                             str(at(ep, "targetRef"), "name") + "\n");
      w.write(kLevel2,
              "NodeName:\t" + (has(ep, "nodeName") ? str(ep, "nodeName") : "<unset>") + "\n");
      w.write(kLevel2, "Zone:\t" + (has(ep, "zone") ? str(ep, "zone") : "<unset>") + "\n");
    }
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_config_map(Describe& d, const Json& cm) {
  TabbedWriter w;
  name_namespace_labels(w, at(cm, "metadata"));
  w.write(kLevel0, "\nData\n====\n");
  // Go ranges over the map in random order; sorted keys are one of its orders.
  for (const auto& k : sorted_keys(at(cm, "data"))) {
    w.write(kLevel0, k + ":\n----\n");
    w.write(kLevel0, str(at(cm, "data"), k.c_str()) + "\n");
    w.write(kLevel0, "\n");
  }
  w.write(kLevel0, "\nBinaryData\n====\n");
  for (const auto& k : sorted_keys(at(cm, "binaryData"))) {
    auto bytes = machinery::base64_decode(str(at(cm, "binaryData"), k.c_str()));
    w.write(kLevel0, k + ": " + std::to_string(bytes ? bytes->size() : 0) + " bytes\n");
  }
  w.write(kLevel0, "\n");
  if (d.settings().show_events) describe_events(d.events_for(cm, "ConfigMap"), w);
  return w.str();
}

Result<std::string> describe_secret(Describe& d, const Json& secret) {
  (void)d;
  TabbedWriter w;
  name_namespace_labels(w, at(secret, "metadata"));
  w.write(kLevel0, "\nType:\t" + str(secret, "type") + "\n");
  w.write(kLevel0, "\nData\n====\n");
  for (const auto& k : sorted_keys(at(secret, "data"))) {
    auto bytes = machinery::base64_decode(str(at(secret, "data"), k.c_str()));
    std::string value = bytes ? std::string(bytes->begin(), bytes->end()) : "";
    if (k == "token" && str(secret, "type") == "kubernetes.io/service-account-token")
      w.write(kLevel0, k + ":\t" + value + "\n");
    else
      w.write(kLevel0, k + ":\t" + std::to_string(value.size()) + " bytes\n");
  }
  return w.str();
}

Result<std::string> describe_service_account(Describe& d, const Json& sa) {
  const Json& meta = at(sa, "metadata");
  std::vector<std::string> tokens;
  std::set<std::string> missing;
  auto secrets = d.list("/api/v1/namespaces/" + str(meta, "namespace") + "/secrets", {}, "secrets");
  if (secrets.ok()) {
    std::set<std::string> existing;
    for (const auto& s : *secrets) {
      const Json& sm = at(s, "metadata");
      if (str(s, "type") == "kubernetes.io/service-account-token" &&
          str(at(sm, "annotations"), "kubernetes.io/service-account.name") == str(meta, "name") &&
          str(at(sm, "annotations"), "kubernetes.io/service-account.uid") == str(meta, "uid"))
        tokens.push_back(str(sm, "name"));
      existing.insert(str(sm, "name"));
    }
    for (const char* field : {"secrets", "imagePullSecrets"})
      for (const auto& s : items(at(sa, field)))
        if (!existing.count(str(s, "name"))) missing.insert(str(s, "name"));
  }
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(sa, "ServiceAccount");
  TabbedWriter w;
  name_namespace_labels(w, meta);
  auto names = [&](const char* field) {
    std::vector<std::string> out;
    for (const auto& s : items(at(sa, field))) out.push_back(str(s, "name"));
    return out;
  };
  // The three headers in sorted order.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"Image pull secrets:", names("imagePullSecrets")},
      {"Mountable secrets: ", names("secrets")},
      {"Tokens:            ", tokens}};
  for (const auto& [header, list] : groups) {
    if (list.empty()) {
      w.write(kLevel0, header + "\t<none>\n");
      continue;
    }
    std::string prefix = header;
    for (const auto& n : list) {
      w.write(kLevel0, prefix + "\t" + n + (missing.count(n) ? " (not found)" : "") + "\n");
      prefix = "                   ";
    }
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_namespace(Describe& d, const Json& ns) {
  const Json& meta = at(ns, "metadata");
  std::string name = str(meta, "name");
  auto quotas = d.list("/api/v1/namespaces/" + name + "/resourcequotas", {}, "resourcequotas");
  if (!quotas.ok() && quotas.error().reason != "NotFound") return quotas.error();
  auto ranges = d.list("/api/v1/namespaces/" + name + "/limitranges", {}, "limitranges");
  if (!ranges.ok() && ranges.error().reason != "NotFound") return ranges.error();
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + name + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Status:\t" + str(at(ns, "status"), "phase") + "\n");
  const Json& conditions = path(ns, {"status", "conditions"});
  if (size_of(conditions) > 0) {
    w.write(kLevel0, "Conditions:\n");
    w.write(kLevel1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(kLevel1, "----\t------\t------------------\t------\t-------\n");
    for (const auto& c : items(conditions))
      w.write(kLevel1, str(c, "type") + "\t" + str(c, "status") + "\t" +
                           rfc1123z(at(c, "lastTransitionTime")) + "\t" + str(c, "reason") + "\t" +
                           str(c, "message") + "\n");
  }
  if (quotas.ok()) {
    w.write(kLevel0, "\n");
    describe_resource_quotas(*quotas, w);
  }
  if (ranges.ok()) {
    w.write(kLevel0, "\n");
    describe_limit_ranges(*ranges, w);
  }
  return w.str();
}

Result<std::string> describe_limit_range(Describe& d, const Json& lr) {
  (void)d;
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(at(lr, "metadata"), "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(at(lr, "metadata"), "namespace") + "\n");
  w.write(kLevel0,
          "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
  w.write(kLevel0,
          "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  describe_limit_range_spec(at(lr, "spec"), "", w);
  return w.str();
}

Result<std::string> describe_resource_quota(Describe& d, const Json& rq) {
  (void)d;

  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(at(rq, "metadata"), "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(at(rq, "metadata"), "namespace") + "\n");
  auto scopes = strings_of(path(rq, {"spec", "scopes"}));
  if (!scopes.empty()) {
    std::sort(scopes.begin(), scopes.end());
    w.write(kLevel0, "Scopes:\t" + join(scopes, ", ") + "\n");
    for (const auto& s : scopes)
      if (auto help = quota_scope_help(s); !help.empty()) w.write(kLevel0, " * " + help + "\n");
  }
  w.write(kLevel0, "Resource\tUsed\tHard\n");
  w.write(kLevel0, "--------\t----\t----\n");
  const Json& hard = path(rq, {"status", "hard"});
  const Json& used = path(rq, {"status", "used"});
  for (const auto& r : sorted_resource_names(hard)) {
    auto h = Quantity::from_json(at(hard, r.c_str()));
    auto u = at(used, r.c_str()).is_null() ? machinery::Result<Quantity>(Quantity())
                                           : Quantity::from_json(at(used, r.c_str()));
    Quantity hq = h.ok() ? *h : Quantity();
    Quantity uq = u.ok() ? *u : Quantity();
    if (hq.format() != uq.format()) uq = Quantity::from_int(uq.value(), hq.format());
    w.write(kLevel0, r + "\t" + uq.to_string() + "\t" + hq.to_string() + "\n");
  }
  return w.str();
}

Result<std::string> describe_priority_class(Describe& d, const Json& pc) {
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(pc, "PriorityClass");
  TabbedWriter w;
  const Json& meta = at(pc, "metadata");
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Value:\t" + std::to_string(num(pc, "value")) + "\n");
  w.write(kLevel0, std::string("GlobalDefault:\t") +
                       (boolean(pc, "globalDefault") ? "true" : "false") + "\n");
  w.write(kLevel0, "PreemptionPolicy:\t" + str(pc, "preemptionPolicy") + "\n");
  w.write(kLevel0, "Description:\t" + str(pc, "description") + "\n");
  w.write(kLevel0, "Annotations:\t" + format_labels(at(meta, "annotations")) + "\n");
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
