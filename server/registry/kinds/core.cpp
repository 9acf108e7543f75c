// core/v1 kinds other than Pod.
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include <set>

#include <algorithm>

#include "pkg/machinery/base64.h"
#include "pkg/machinery/quantity.h"
#include "server/registry/kinds/event_validation.h"
#include "server/registry/kinds/events.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"
#include "server/registry/table.h"

namespace kapi::server {
namespace {

std::string none(const std::string& s) { return s.empty() ? "<none>" : s; }

class NamespaceStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    Json& meta = obj["metadata"];
    if (!meta.contains("labels") || meta["labels"].is_null()) meta["labels"] = Json::object();
    meta["labels"]["kubernetes.io/metadata.name"] = meta.value("name", "");
  }
  void prepare_create(Json& obj) const override {
    obj["spec"] = {{"finalizers", Json::array({"kubernetes"})}};
    obj["status"] = {{"phase", "Active"}};
  }
  void prepare_update(Json& obj, const Json& old) const override {
    obj["spec"] = obj_at(old, "spec");
    obj["status"] = obj_at(old, "status");
  }
  bool has_status() const override { return true; }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("status.phase", obj.contains("status") ? obj["status"].value("phase", "") : "");
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Status", "string", "", "The status of the namespace", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""),
                        o.contains("status") ? o["status"].value("phase", "") : "", age_cell(o)});
  }
};

class ServiceStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    Json& spec = obj["spec"];
    if (!spec.is_object()) return;
    if (spec.value("type", "").empty()) spec["type"] = "ClusterIP";
    if (spec.value("sessionAffinity", "").empty()) spec["sessionAffinity"] = "None";
    if (spec["sessionAffinity"] == "ClientIP") {
      Json& cfg = spec["sessionAffinityConfig"];
      if (!cfg.is_object()) cfg = Json::object();
      if (!cfg.contains("clientIP") || !cfg["clientIP"].is_object()) cfg["clientIP"] = Json::object();
      if (!cfg["clientIP"].contains("timeoutSeconds")) cfg["clientIP"]["timeoutSeconds"] = 10800;
    }
    std::string type = spec.value("type", "");
    if (spec.contains("ports") && spec["ports"].is_array())
      for (auto& p : spec["ports"]) {
        if (p.value("protocol", "").empty()) p["protocol"] = "TCP";
        if (!p.contains("targetPort") || p["targetPort"] == 0 || p["targetPort"] == "") p["targetPort"] = p.value("port", 0);
      }
    if (type != "ExternalName" && spec.value("internalTrafficPolicy", "").empty()) spec["internalTrafficPolicy"] = "Cluster";
    if ((type == "NodePort" || type == "LoadBalancer") && spec.value("externalTrafficPolicy", "").empty())
      spec["externalTrafficPolicy"] = "Cluster";
    if (type == "LoadBalancer" && !spec.contains("allocateLoadBalancerNodePorts")) spec["allocateLoadBalancerNodePorts"] = true;
  }
  void prepare_create(Json& obj) const override {
    obj["status"] = {{"loadBalancer", Json::object()}};
  }
  bool has_status() const override { return true; }
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    std::vector<runtime::StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    std::string type = spec.value("type", "ClusterIP");
    if (type != "ClusterIP" && type != "NodePort" && type != "LoadBalancer" && type != "ExternalName")
      out.push_back(runtime::field_unsupported("spec.type", quote(type), {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
    const Json& ports = arr_at(spec, "ports");
    if (ports.empty() && type != "ExternalName" && spec.value("clusterIP", "") != "None")
      out.push_back(runtime::field_required("spec.ports"));
    size_t i = 0;
    std::set<std::string> names;
    for (const auto& p : ports) {
      std::string pp = "spec.ports[" + std::to_string(i) + "]";
      int64_t port = p.value("port", int64_t{0});
      if (port < 1 || port > 65535)
        out.push_back(runtime::field_invalid(pp + ".port", std::to_string(port), "must be between 1 and 65535, inclusive"));
      std::string name = p.value("name", "");
      if (ports.size() > 1 && name.empty()) out.push_back(runtime::field_required(pp + ".name"));
      else if (!name.empty() && names.count(name)) out.push_back(runtime::field_duplicate(pp + ".name", quote(name)));
      names.insert(name);
      ++i;
    }
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Type", "string", "", "type determines how the Service is exposed.", 0},
            {"Cluster-IP", "string", "", "clusterIP is the IP address of the service.", 0},
            {"External-IP", "string", "", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.", 0},
            {"Port(s)", "string", "", "The list of ports that are exposed by this service.", 0},
            age_column(),
            {"Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1}};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    std::string type = spec.value("type", "");
    std::string cip = "<none>";
    const Json& cips = arr_at(spec, "clusterIPs");
    if (!cips.empty()) cip = cips[0].get<std::string>();
    else if (!spec.value("clusterIP", "").empty()) cip = spec.value("clusterIP", "");
    std::string ext;
    const Json& eips = arr_at(spec, "externalIPs");
    auto join = [](const Json& a) {
      std::string s;
      for (const auto& e : a) s += (s.empty() ? "" : ",") + e.get<std::string>();
      return s;
    };
    if (type == "ClusterIP" || type == "NodePort") ext = eips.empty() ? "<none>" : join(eips);
    else if (type == "ExternalName") ext = spec.value("externalName", "");
    else if (type == "LoadBalancer") {
      std::string lb;
      const Json& ing = arr_at(obj_at(obj_at(o, "status"), "loadBalancer"), "ingress");
      for (const auto& i : ing) {
        std::string v = i.value("ip", "");
        if (v.empty()) v = i.value("hostname", "");
        if (!v.empty()) lb += (lb.empty() ? "" : ",") + v;
      }
      // getServiceExternalIP: load-balancer ingress first, then spec.externalIPs.
      if (!eips.empty()) lb += (lb.empty() ? "" : ",") + join(eips);
      ext = lb.empty() ? "<pending>" : lb;
    } else ext = "<unknown>";
    std::string ports;
    for (const auto& p : arr_at(spec, "ports")) {
      std::string s = std::to_string(p.value("port", 0));
      if (p.value("nodePort", 0) > 0) s += ":" + std::to_string(p.value("nodePort", 0));
      s += "/" + p.value("protocol", "TCP");
      ports += (ports.empty() ? "" : ",") + s;
    }
    std::string sel = format_labels(obj_at(spec, "selector"));
    return Json::array({o["metadata"].value("name", ""), type, cip, ext, none(ports), age_cell(o), none(sel)});
  }
};

class ConfigMapStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Data", "string", "", "Data contains the configuration data.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    size_t n = obj_at(o, "data").size() + obj_at(o, "binaryData").size();
    return Json::array({o["metadata"].value("name", ""), n, age_cell(o)});
  }
};

class SecretStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (obj.value("type", "").empty()) obj["type"] = "Opaque";
    // v1 conversion: stringData is write-only, merged into data (it wins) and never stored.
    if (obj.contains("stringData")) {
      if (obj["stringData"].is_object()) {
        if (!obj.contains("data") || !obj["data"].is_object()) obj["data"] = Json::object();
        for (auto it = obj["stringData"].begin(); it != obj["stringData"].end(); ++it)
          obj["data"][it.key()] = machinery::base64_encode(it.value().is_string() ? it.value().get<std::string>() : "");
      }
      obj.erase("stringData");
    }
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("type", obj.value("type", ""));
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Type", "string", "", "The type of the secret.", 0},
            {"Data", "string", "", "The number of keys in the secret.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""), o.value("type", ""),
                        obj_at(o, "data").size(), age_cell(o)});
  }
};

class ServiceAccountStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Secrets", "string", "", "The number of secrets of the service account.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""), arr_at(o, "secrets").size(), age_cell(o)});
  }
};

class NodeStrategy : public Strategy {
 public:
  bool has_status() const override { return true; }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("spec.unschedulable",
                     obj.contains("spec") && obj["spec"].value("unschedulable", false) ? "true" : "false");
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Status", "string", "", "The status of the node", 0},
            {"Roles", "string", "", "The roles of the node", 0},
            age_column(),
            {"Version", "string", "", "Kubelet Version reported by the node.", 0},
            {"Internal-IP", "string", "", "List of addresses reachable to the node.", 1},
            {"External-IP", "string", "", "List of addresses reachable to the node.", 1},
            {"OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1},
            {"Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1},
            {"Container-Runtime", "string", "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1}};
  }
  Json row(const Json& o) const override {
    const Json& status = obj_at(o, "status");
    std::string st = "Unknown";
    for (const auto& c : arr_at(status, "conditions"))
      if (c.value("type", "") == "Ready") st = c.value("status", "") == "True" ? "Ready" : "NotReady";
    if (o.contains("spec") && o["spec"].value("unschedulable", false)) st += ",SchedulingDisabled";
    std::set<std::string> roles;  // findNodeRoles: a sorted set
    for (auto it = obj_at(o["metadata"], "labels").begin(); it != obj_at(o["metadata"], "labels").end(); ++it) {
      const std::string& k = it.key();
      if (k.rfind("node-role.kubernetes.io/", 0) == 0 && k.size() > 24) roles.insert(k.substr(24));
      else if (k == "kubernetes.io/role" && it.value().is_string() && !it.value().get<std::string>().empty())
        roles.insert(it.value().get<std::string>());
    }
    std::string r;
    for (const auto& x : roles) r += (r.empty() ? "" : ",") + x;
    std::string iip, eip;
    for (const auto& a : arr_at(status, "addresses")) {
      if (a.value("type", "") == "InternalIP" && iip.empty()) iip = a.value("address", "");
      if (a.value("type", "") == "ExternalIP" && eip.empty()) eip = a.value("address", "");
    }
    const Json& ni = obj_at(status, "nodeInfo");
    return Json::array({o["metadata"].value("name", ""), st, none(r), age_cell(o), ni.value("kubeletVersion", ""),
                        none(iip), none(eip), ni.value("osImage", "<unknown>").empty() ? "<unknown>" : ni.value("osImage", "<unknown>"),
                        ni.value("kernelVersion", "<unknown>").empty() ? "<unknown>" : ni.value("kernelVersion", "<unknown>"),
                        ni.value("containerRuntimeVersion", "<unknown>").empty() ? "<unknown>" : ni.value("containerRuntimeVersion", "<unknown>")});
  }
};

class EventStrategy : public Strategy {
 public:
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    return validate_event_create(obj, false);
  }
  std::vector<runtime::StatusCause> validate_update(const Json& obj, const Json& old) const override {
    return validate_event_update(obj, old, false);
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    const Json& io = obj_at(obj, "involvedObject");
    for (const char* k : {"kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"})
      out.emplace_back(std::string("involvedObject.") + k, io.value(k, ""));
    out.emplace_back("reason", obj.value("reason", ""));
    out.emplace_back("reportingComponent", obj.value("reportingComponent", ""));
    out.emplace_back("source", obj_at(obj, "source").value("component", ""));
    out.emplace_back("type", obj.value("type", ""));
  }
  std::vector<TableColumn> columns() const override { return event_columns(); }
  Json row(const Json& o) const override { return event_row(event_view(o, kCoreEventFields)); }
};

class EndpointsStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("subsets") || !obj["subsets"].is_array()) return;
    for (auto& ss : obj["subsets"])
      if (ss.is_object() && ss.contains("ports") && ss["ports"].is_array())
        for (auto& p : ss["ports"])
          if (p.is_object() && p.value("protocol", "").empty()) p["protocol"] = "TCP";
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Endpoints", "string", "", "Endpoints of the service.", 0}, age_column()};
  }
  // formatEndpoints: ports outer, addresses inner, at most 3 then " + N more...".
  Json row(const Json& o) const override {
    const Json& subsets = arr_at(o, "subsets");
    if (subsets.empty()) return Json::array({o["metadata"].value("name", ""), "<none>", age_cell(o)});
    constexpr size_t kMax = 3;
    std::vector<std::string> list;
    size_t count = 0;
    bool more = false;
    auto add = [&](const std::string& s) {
      if (list.size() == kMax) more = true;
      else list.push_back(s);
    };
    for (const auto& ss : subsets) {
      const Json& addrs = arr_at(ss, "addresses");
      const Json& ports = arr_at(ss, "ports");
      if (ports.empty()) {
        count += addrs.size();
        for (const auto& a : addrs) add(a.value("ip", ""));
        continue;
      }
      for (const auto& p : ports) {
        count += addrs.size();
        for (const auto& a : addrs) {
          std::string ip = a.value("ip", "");
          if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";  // net.JoinHostPort
          add(ip + ":" + std::to_string(p.value("port", 0)));
        }
      }
    }
    std::string cell;
    for (const auto& e : list) cell += (cell.empty() ? "" : ",") + e;
    if (more) cell += " + " + std::to_string(count - kMax) + " more...";
    return Json::array({o["metadata"].value("name", ""), cell, age_cell(o)});
  }
};

// SetDefaults_LimitRangeItem: for Container limits, default <- max, defaultRequest <- default,
// then <- min.
class LimitRangeStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object() || !obj["spec"].contains("limits") ||
        !obj["spec"]["limits"].is_array())
      return;
    for (auto& item : obj["spec"]["limits"]) {
      if (!item.is_object() || item.value("type", "") != "Container") continue;
      Json def = obj_at(item, "default"), req = obj_at(item, "defaultRequest");
      for (const auto& [k, v] : obj_at(item, "max").items())
        if (!def.contains(k)) def[k] = v;
      for (const auto& [k, v] : def.items())
        if (!req.contains(k)) req[k] = v;
      for (const auto& [k, v] : obj_at(item, "min").items())
        if (!req.contains(k)) req[k] = v;
      if (!def.empty()) item["default"] = def;
      if (!req.empty()) item["defaultRequest"] = req;
    }
  }
};

// printResourceQuota: "resource: used/hard" pairs, limits.* in the Limit column.
class ResourceQuotaStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), age_column(),
            {"Request", "string", "", "Request represents a minimum amount of cpu/memory that a container may consume.", 0},
            {"Limit", "string", "",
             "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
             0}};
  }
  Json row(const Json& o) const override {
    const Json& status = obj_at(o, "status");
    const Json& hard = obj_at(status, "hard");
    const Json& used = obj_at(status, "used");
    // The resources named in spec.hard, with their status.used/status.hard (0 until set).
    std::vector<std::string> names;
    for (const auto& [k, _] : obj_at(obj_at(o, "spec"), "hard").items()) names.push_back(k);
    std::sort(names.begin(), names.end());
    std::string request, limit;
    auto text = [](const Json& q) {
      auto parsed = machinery::Quantity::from_json(q);
      return parsed.ok() ? parsed->to_string() : std::string("0");
    };
    for (const auto& n : names) {
      std::string& col = n.rfind("limits.", 0) == 0 ? limit : request;
      col += n + ": " + (used.contains(n) ? text(used.at(n)) : "0") + "/" + (hard.contains(n) ? text(hard.at(n)) : "0") + ", ";
    }
    for (std::string* col : {&request, &limit})
      if (col->size() >= 2) col->resize(col->size() - 2);
    return Json::array({o["metadata"].value("name", ""), age_cell(o), request, limit});
  }
};

}  // namespace

const Strategy* core_strategy(const std::string& resource) {
  static NamespaceStrategy ns;
  static ServiceStrategy svc;
  static ConfigMapStrategy cm;
  static SecretStrategy secret;
  static ServiceAccountStrategy sa;
  static NodeStrategy node;
  static EventStrategy ev;
  static EndpointsStrategy ep;
  static ResourceQuotaStrategy quota;
  static LimitRangeStrategy limits;
  if (resource == "pods") return &pod_strategy();
  if (resource == "namespaces") return &ns;
  if (resource == "services") return &svc;
  if (resource == "configmaps") return &cm;
  if (resource == "secrets") return &secret;
  if (resource == "serviceaccounts") return &sa;
  if (resource == "nodes") return &node;
  if (resource == "events") return &ev;
  if (resource == "endpoints") return &ep;
  if (resource == "resourcequotas") return &quota;
  if (resource == "limitranges") return &limits;
  return nullptr;
}

}  // namespace kapi::server
