// networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy (pkg/registry/networking/*,
// pkg/apis/networking/validation, printers.go).
#include <nlohmann/json.hpp>

#include <set>

#include "pkg/machinery/names.h"
#include "server/registry/json_access.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"

namespace kapi::server {
namespace {

using runtime::StatusCause;

std::string str(const Json& o, const char* k) { return str_at(o, k); }

// validateIngressBackend.
void validate_backend(const Json& b, const std::string& path, std::vector<StatusCause>& out) {
  bool has_resource = b.contains("resource") && b["resource"].is_object();
  bool has_service = b.contains("service") && b["service"].is_object();
  if (has_resource && has_service) {
    out.push_back(runtime::field_invalid(path, "\"\"", "cannot set both resource and service backends"));
    return;
  }
  if (has_resource) {
    const Json& r = b["resource"];
    if (str(r, "kind").empty()) out.push_back(runtime::field_required(path + ".resource.kind"));
    if (str(r, "name").empty()) out.push_back(runtime::field_required(path + ".resource.name"));
    return;
  }
  if (!has_service) {
    out.push_back(runtime::field_invalid(path, "\"\"", "resource or service backend is required"));
    return;
  }
  const Json& svc = b["service"];
  std::string name = str(svc, "name");
  if (name.empty()) out.push_back(runtime::field_required(path + ".service.name"));
  else
    for (const auto& e : machinery::name_is_dns1035_label(name, false))
      out.push_back(runtime::field_invalid(path + ".service.name", quote(name), e));
  const Json& port = obj_at(svc, "port");
  std::string pname = str(port, "name");
  int64_t pnum = port.contains("number") && port["number"].is_number_integer() ? port["number"].get<int64_t>() : 0;
  if (!pname.empty() && pnum != 0) {
    out.push_back(runtime::field_invalid(path, "\"\"", "cannot set both port name & port number"));
  } else if (!pname.empty()) {
    for (const auto& e : machinery::is_valid_port_name(pname))
      out.push_back(runtime::field_invalid(path + ".service.port.name", quote(pname), e));
  } else if (pnum != 0) {
    for (const auto& e : machinery::is_valid_port_num(pnum))
      out.push_back(runtime::field_invalid(path + ".service.port.number", std::to_string(pnum), e));
  } else {
    out.push_back(runtime::field_required(path, "port name or number is required"));
  }
}

// validateIngressRuleValue / validateHTTPIngressPath.
void validate_paths(const Json& http, const std::string& path, std::vector<StatusCause>& out) {
  const Json& paths = arr_at(http, "paths");
  if (paths.empty()) {
    out.push_back(runtime::field_required(path + ".paths"));
    return;
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    const Json& p = paths[i];
    std::string pp = path + ".paths[" + std::to_string(i) + "]";
    std::string type = str(p, "pathType");
    std::string value = str(p, "path");
    if (type.empty()) {
      out.push_back(runtime::field_required(pp + ".pathType", "pathType must be specified"));
    } else if (type != "Exact" && type != "Prefix" && type != "ImplementationSpecific") {
      out.push_back(runtime::field_unsupported(pp + ".pathType", quote(type), {"Exact", "ImplementationSpecific", "Prefix"}));
    } else if (type != "ImplementationSpecific" || !value.empty()) {
      if (value.empty() || value[0] != '/')
        out.push_back(runtime::field_invalid(pp + ".path", quote(value), "must be an absolute path"));
      else if (type != "ImplementationSpecific") {
        // Exact and Prefix paths: no "//", "/./", "/../", trailing "/." or "/..".
        for (const char* bad : {"//", "/./", "/../", "%2f", "%2F"})
          if (value.find(bad) != std::string::npos)
            out.push_back(runtime::field_invalid(pp + ".path", quote(value), std::string("must not contain '") + bad + "'"));
        for (const char* bad : {"/..", "/."})
          if (value.size() >= std::string(bad).size() && value.compare(value.size() - std::string(bad).size(), std::string::npos, bad) == 0)
            out.push_back(runtime::field_invalid(pp + ".path", quote(value), std::string("cannot end with '") + bad + "'"));
      }
    }
    validate_backend(obj_at(p, "backend"), pp + ".backend", out);
  }
}

class IngressStrategy : public Strategy {
 public:
  void prepare_create(Json& obj) const override { obj["status"] = {{"loadBalancer", Json::object()}}; }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  // ValidateIngressSpec.
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    bool has_default = spec.contains("defaultBackend") && spec["defaultBackend"].is_object();
    const Json& rules = arr_at(spec, "rules");
    if (rules.empty() && !has_default)
      out.push_back(runtime::field_invalid("spec", "[]networking.IngressRule(nil)",
                                           "either `defaultBackend` or `rules` must be specified"));
    if (has_default) validate_backend(spec["defaultBackend"], "spec.defaultBackend", out);
    for (size_t i = 0; i < rules.size(); ++i) {
      const Json& r = rules[i];
      std::string rp = "spec.rules[" + std::to_string(i) + "]";
      std::string host = str(r, "host");
      if (!host.empty()) {
        bool ip = host.find_first_not_of("0123456789.") == std::string::npos ||
                  host.find(':') != std::string::npos;
        if (ip) out.push_back(runtime::field_invalid(rp + ".host", quote(host), "must be a DNS name, not an IP address"));
        auto errs = host.rfind("*.", 0) == 0 ? machinery::is_wildcard_dns1123_subdomain(host)
                                             : machinery::is_dns1123_subdomain(host);
        for (const auto& e : errs) out.push_back(runtime::field_invalid(rp + ".host", quote(host), e));
      }
      if (r.contains("http") && r["http"].is_object()) validate_paths(r["http"], rp + ".http", out);
    }
    std::string cls = str(spec, "ingressClassName");
    if (spec.contains("ingressClassName") && spec["ingressClassName"].is_string())
      for (const auto& e : machinery::name_is_dns_subdomain(cls, false))
        out.push_back(runtime::field_invalid("spec.ingressClassName", quote(cls), e));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Class", "string", "", "The name of the IngressClass resource that should be used for additional configuration", 0},
            {"Hosts", "string", "", "Hosts that incoming requests are matched against before the ingress rule", 0},
            {"Address", "string", "", "Address is a list containing ingress points for the load-balancer", 0},
            {"Ports", "string", "", "Ports of TLS configurations that open", 0}, age_column()};
  }
  // printIngress (formatHosts, ingressLoadBalancerStatusStringer with wide, formatPorts).
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    std::string cls = spec.contains("ingressClassName") && spec["ingressClassName"].is_string()
                          ? spec["ingressClassName"].get<std::string>() : "<none>";
    const Json& rules = arr_at(spec, "rules");
    std::vector<std::string> hosts;
    bool more = false;
    for (const auto& r : rules) {
      if (hosts.size() == 3) more = true;
      if (!more && !str(r, "host").empty()) hosts.push_back(str(r, "host"));
    }
    std::string h;
    for (const auto& x : hosts) h += (h.empty() ? "" : ",") + x;
    if (hosts.empty()) h = "*";
    else if (more) h += " + " + std::to_string(rules.size() - 3) + " more...";
    std::set<std::string> addrs;
    for (const auto& in : arr_at(obj_at(obj_at(o, "status"), "loadBalancer"), "ingress")) {
      if (!str(in, "ip").empty()) addrs.insert(str(in, "ip"));
      else if (!str(in, "hostname").empty()) addrs.insert(str(in, "hostname"));
    }
    std::string address;
    for (const auto& a : addrs) address += (address.empty() ? "" : ",") + a;
    std::string ports = arr_at(spec, "tls").empty() ? "80" : "80, 443";
    return Json::array({o["metadata"].value("name", ""), cls, h, address, ports, age_cell(o)});
  }
};

class IngressClassStrategy : public Strategy {
 public:
  bool tracks_generation() const override { return true; }
  // SetDefaults_IngressClass: a parameters reference without a scope is cluster-scoped.
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) return;
    Json& spec = obj["spec"];
    if (spec.contains("parameters") && spec["parameters"].is_object() && !spec["parameters"].contains("scope"))
      spec["parameters"]["scope"] = "Cluster";
  }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    std::string controller = str(spec, "controller");
    // validateIngressClassSpec: a domain-prefixed path, at most 250 characters.
    if (controller.empty()) {
      out.push_back(runtime::field_required("spec.controller"));
    } else if (controller.size() > 250) {
      out.push_back(runtime::field_too_long("spec.controller", quote(controller), 250));
    }
    if (spec.contains("parameters") && spec["parameters"].is_object()) {
      const Json& p = spec["parameters"];
      if (str(p, "kind").empty()) out.push_back(runtime::field_required("spec.parameters.kind"));
      if (str(p, "name").empty()) out.push_back(runtime::field_required("spec.parameters.name"));
      std::string scope = str(p, "scope");
      if (scope != "Cluster" && scope != "Namespace")
        out.push_back(runtime::field_unsupported("spec.parameters.scope", quote(scope), {"Cluster", "Namespace"}));
      else if (scope == "Namespace" && str(p, "namespace").empty())
        out.push_back(runtime::field_required("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'"));
      else if (scope == "Cluster" && p.contains("namespace"))
        out.push_back(runtime::field_forbidden("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"));
    }
    return out;
  }
  std::vector<StatusCause> validate_update(const Json& obj, const Json& old) const override {
    auto out = validate(obj);
    if (str(obj_at(obj, "spec"), "controller") != str(obj_at(old, "spec"), "controller"))
      out.push_back(runtime::field_invalid("spec.controller", quote(str(obj_at(obj, "spec"), "controller")),
                                           "field is immutable"));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Controller", "string", "", "Controller that is responsible for handling this class", 0},
            {"Parameters", "string", "", "A reference to a resource with additional parameters", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    std::string params = "<none>";
    if (spec.contains("parameters") && spec["parameters"].is_object()) {
      const Json& p = spec["parameters"];
      params = str(p, "kind");
      if (p.contains("apiGroup") && p["apiGroup"].is_string()) params += "." + p["apiGroup"].get<std::string>();
      params += "/" + str(p, "name");
    }
    return Json::array({o["metadata"].value("name", ""), str(spec, "controller"), params, age_cell(o)});
  }
};

class NetworkPolicyStrategy : public Strategy {
 public:
  bool tracks_generation() const override { return true; }
  // SetDefaults_NetworkPolicyPort (protocol TCP) and SetDefaults_NetworkPolicy (policyTypes).
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) return;
    Json& spec = obj["spec"];
    for (const char* dir : {"ingress", "egress"}) {
      if (!spec.contains(dir) || !spec[dir].is_array()) continue;
      for (auto& rule : spec[dir])
        if (rule.is_object() && rule.contains("ports") && rule["ports"].is_array())
          for (auto& p : rule["ports"])
            if (p.is_object() && (!p.contains("protocol") || p["protocol"].is_null())) p["protocol"] = "TCP";
    }
    if (!spec.contains("policyTypes") || !spec["policyTypes"].is_array() || spec["policyTypes"].empty()) {
      Json types = Json::array({"Ingress"});
      if (spec.contains("egress") && spec["egress"].is_array() && !spec["egress"].empty()) types.push_back("Egress");
      spec["policyTypes"] = types;
    }
  }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& types = arr_at(obj_at(obj, "spec"), "policyTypes");
    for (size_t i = 0; i < types.size(); ++i) {
      std::string t = types[i].is_string() ? types[i].get<std::string>() : "";
      if (t != "Ingress" && t != "Egress")
        out.push_back(runtime::field_unsupported("spec.policyTypes[" + std::to_string(i) + "]", quote(t), {"Egress", "Ingress"}));
    }
    if (types.size() > 2) out.push_back(runtime::field_invalid("spec.policyTypes", types.dump(), "may not specify more than two policyTypes"));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Pod-Selector", "string", "", "Selects the pods to which this NetworkPolicy object applies.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    std::string sel = format_label_selector(obj_at(obj_at(o, "spec"), "podSelector"));
    // metav1.FormatLabelSelector: an empty selector prints "<none>".
    return Json::array({o["metadata"].value("name", ""), sel.empty() ? "<none>" : sel, age_cell(o)});
  }
};

}  // namespace

const Strategy* networking_strategy(const std::string& resource) {
  static IngressStrategy ingress;
  static IngressClassStrategy ingress_class;
  static NetworkPolicyStrategy network_policy;
  if (resource == "ingresses") return &ingress;
  if (resource == "ingressclasses") return &ingress_class;
  if (resource == "networkpolicies") return &network_policy;
  return nullptr;
}

}  // namespace kapi::server
