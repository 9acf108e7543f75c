// `kapi expose (-f FILE | TYPE NAME) [--port=P] [--target-port=T] [--protocol=P] [--name=N]
// [--type=T] [--selector=S] [--labels=L] [--external-ip=IP] [--load-balancer-ip=IP]
// [--cluster-ip=IP] [--session-affinity=A]` (kubectl 1.33 pkg/cmd/expose/expose.go with
// polymorphichelpers' selector, ports and protocols of pods, services, replication controllers,
// deployments and replica sets): one Service per object, printed "service/NAME exposed".
#include <map>
#include <nlohmann/json.hpp>

#include "client/cmd/generated_object.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_visitor.h"
#include "client/printers/go_json.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

const GeneratedKind kService{"v1", "Service", "services", true};

// What the flags give, completed from the first exposed object (upstream keeps the derived
// selector, ports and labels for the objects that follow).
struct ExposeState {
  std::string name, selector, port, ports, labels, protocol, protocols;
};

const Json& at(const Json& obj, const char* key) {
  static const Json kNull;
  return obj.is_object() && obj.contains(key) ? obj[key] : kNull;
}

// polymorphichelpers.MakeLabels ("k=v,k2=v2"; upstream's order is a Go map's, which the parse
// back into a map makes irrelevant).
std::string make_labels(const Json& labels) {
  std::string out;
  if (!labels.is_object()) return out;
  for (auto& [k, v] : labels.items()) out += (out.empty() ? "" : ",") + k + "=" + (v.is_string() ? v.get<std::string>() : "");
  return out;
}

// The group-qualified kind as schema.GroupKind prints it: "ConfigMap", "StatefulSet.apps".
std::string group_kind(const ObjectInfo& info) {
  const auto& r = info.mapping.resource;
  return r.group.empty() ? r.kind : r.kind + "." + r.group;
}

const Json& pod_spec_of(const ObjectInfo& info) {
  const Json& obj = *info.object;
  if (info.mapping.resource.kind == "Pod") return at(obj, "spec");
  return at(at(at(obj, "spec"), "template"), "spec");
}

// mapBasedSelectorForObject.
Result<std::string> selector_for(const ObjectInfo& info) {
  const Json& obj = *info.object;
  const std::string& kind = info.mapping.resource.kind;
  if (kind == "ReplicationController") return make_labels(at(at(obj, "spec"), "selector"));
  if (kind == "Pod") {
    const Json& labels = at(at(obj, "metadata"), "labels");
    if (!labels.is_object() || labels.empty()) return CmdError::msg("the pod has no labels and cannot be exposed");
    return make_labels(labels);
  }
  if (kind == "Service") {
    const Json& sel = at(at(obj, "spec"), "selector");
    if (sel.is_null()) return CmdError::msg("the service has no pod selector set");
    return make_labels(sel);
  }
  std::string what = kind == "Deployment" ? "deployment" : "replicaset";
  const Json& sel = at(at(obj, "spec"), "selector");
  const Json& match = at(sel, "matchLabels");
  if (!match.is_object() || match.empty())
    return CmdError::msg("invalid " + what + ": no selectors, therefore cannot be exposed");
  const Json& exprs = at(sel, "matchExpressions");
  if (exprs.is_array() && !exprs.empty()) {
    // %+v of []LabelSelectorRequirement.
    std::string list;
    for (const auto& e : exprs) {
      std::string values;
      for (const auto& v : at(e, "values")) values += (values.empty() ? "" : " ") + v.get<std::string>();
      list += std::string(list.empty() ? "" : " ") + "{Key:" + e.value("key", "") + " Operator:" +
              e.value("operator", "") + " Values:[" + values + "]}";
    }
    return CmdError::msg("couldn't convert expressions - \"[" + list + "]\" to map-based selector format");
  }
  return make_labels(match);
}

// portsForObject: distinct port numbers in order.
std::vector<std::string> ports_for(const ObjectInfo& info) {
  std::vector<std::string> out;
  auto add = [&](const Json& v) {
    std::string p = std::to_string(v.is_number() ? v.get<long long>() : 0);
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  };
  if (info.mapping.resource.kind == "Service") {
    for (const auto& p : at(at(*info.object, "spec"), "ports")) add(at(p, "port"));
  } else {
    for (const auto& c : at(pod_spec_of(info), "containers"))
      for (const auto& p : at(c, "ports")) add(at(p, "containerPort"));
  }
  return out;
}

// multiProtocolsForObject, flattened as makeProtocols does ("80/TCP,53/UDP").
std::string protocols_for(const ObjectInfo& info) {
  std::string out;
  auto add = [&](const Json& port, const Json& protocol) {
    std::string proto = protocol.is_string() && !protocol.get<std::string>().empty() ? protocol.get<std::string>() : "TCP";
    out += (out.empty() ? "" : ",") + std::to_string(port.is_number() ? port.get<long long>() : 0) + "/" + proto;
  };
  if (info.mapping.resource.kind == "Service") {
    for (const auto& p : at(at(*info.object, "spec"), "ports")) add(at(p, "port"), at(p, "protocol"));
  } else {
    for (const auto& c : at(pod_spec_of(info), "containers"))
      for (const auto& p : at(c, "ports")) add(at(p, "containerPort"), at(p, "protocol"));
  }
  return out;
}

// expose's parseLabels.
Result<Json> parse_labels(const std::string& spec) {
  if (spec.empty()) return CmdError::msg("no label spec passed");
  Json labels = Json::object();
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos || item.find('=', eq + 1) != std::string::npos)
      return CmdError::msg("unexpected label spec: " + item);
    if (eq == 0) return CmdError::msg("unexpected empty label key");
    labels[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return labels;
}

// parseProtocols: port -> protocols in order.
Result<std::map<std::string, std::vector<std::string>>> parse_protocols(const std::string& spec) {
  std::map<std::string, std::vector<std::string>> out;
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t slash = item.find('/');
    if (slash == std::string::npos || item.find('/', slash + 1) != std::string::npos)
      return CmdError::msg("unexpected port protocol mapping: " + item);
    if (slash == 0) return CmdError::msg("unexpected empty port");
    if (slash + 1 == item.size()) return CmdError::msg("unexpected empty protocol");
    out[item.substr(0, slash)].push_back(item.substr(slash + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// strconv.Atoi's error text.
Result<long long> atoi(const std::string& s) {
  std::string digits = !s.empty() && (s[0] == '+' || s[0] == '-') ? s.substr(1) : s;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    return CmdError::msg("strconv.Atoi: parsing " + go_json_quote(s) + ": invalid syntax");
  if (digits.size() > 18) return CmdError::msg("strconv.Atoi: parsing " + go_json_quote(s) + ": value out of range");
  return std::stoll(s);
}

// createService.
Result<Json> create_service(const FlagSet& f, const ExposeState& st, const std::string& default_name) {
  if (st.selector.empty()) return CmdError::msg("selector must be specified");
  auto selector = parse_labels(st.selector);
  if (!selector.ok()) return selector.error();
  Json meta = Json::object();
  if (!st.labels.empty()) {
    auto labels = parse_labels(st.labels);
    if (!labels.ok()) return labels.error();
    meta["labels"] = *labels;
  }
  std::string name = st.name.empty() ? default_name : st.name;
  if (name.empty()) return CmdError::msg("name must be specified");
  meta["name"] = name;
  std::map<std::string, std::vector<std::string>> protocols;
  if (!st.protocols.empty()) {
    auto p = parse_protocols(st.protocols);
    if (!p.ok()) return p.error();
    protocols = *p;
  }
  std::string port_string = st.ports.empty() ? st.port : st.ports;
  Json ports = Json::array();
  if (!port_string.empty()) {
    std::vector<std::string> list;
    for (size_t start = 0;;) {
      size_t comma = port_string.find(',', start);
      list.push_back(port_string.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      auto port = atoi(list[i]);
      if (!port.ok()) return port.error();
      std::string port_name = list.size() > 1 ? "port-" + std::to_string(i + 1) : "";
      std::string protocol = st.protocol;
      if (protocol.empty() && protocols.empty()) {
        protocol = "TCP";
      } else if (protocol.empty()) {
        protocol = "TCP";
        auto it = protocols.find(list[i]);
        if (it != protocols.end() && it->second.size() == 1) {
          protocol = it->second[0];
        } else if (it != protocols.end()) {
          for (const auto& p : it->second) {
            std::string lowered = p;
            for (auto& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            ports.push_back({{"name", "port-" + std::to_string(i + 1) + "-" + lowered},
                             {"protocol", p},
                             {"port", static_cast<int32_t>(*port)}});
          }
          continue;
        }
      }
      ports.push_back({{"name", port_name}, {"protocol", protocol}, {"port", static_cast<int32_t>(*port)}});
    }
  }
  std::string target = f.get_string("target-port");
  for (auto& p : ports) {
    if (target.empty()) {
      p["targetPort"] = p["port"];
    } else {
      // intstr.Parse: a number when Atoi accepts it.
      auto n = atoi(target);
      p["targetPort"] = n.ok() ? Json(static_cast<int32_t>(*n)) : Json(target);
    }
  }
  Json spec = {{"ports", ports}, {"selector", *selector}};
  if (!f.get_string("external-ip").empty()) spec["externalIPs"] = Json::array({f.get_string("external-ip")});
  std::string type = f.get_string("type");
  if (!type.empty()) spec["type"] = type;
  if (type == "LoadBalancer") spec["loadBalancerIP"] = f.get_string("load-balancer-ip");
  std::string affinity = f.get_string("session-affinity");
  if (!affinity.empty()) {
    if (affinity != "None" && affinity != "ClientIP") return CmdError::msg("unknown session affinity: " + affinity);
    spec["sessionAffinity"] = affinity;
  }
  if (!f.get_string("cluster-ip").empty()) spec["clusterIP"] = f.get_string("cluster-ip");
  return to_typed(Json{{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", meta}, {"spec", spec}}, "v1",
                  "Service");
}

}  // namespace

void add_expose_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("cluster-ip", 0, "");
  add_dry_run_flag(f);
  f.add_string("external-ip", 0, "");
  f.add_string("field-manager", 0, "kubectl-expose");
  f.add_string("labels", 'l', "");
  f.add_string("load-balancer-ip", 0, "");
  f.add_string("name", 0, "");
  f.add_string("output", 'o', "");
  add_override_flags(f);
  f.add_string("port", 0, "");
  f.add_string("protocol", 0, "");
  f.add_bool("save-config", 0, false);
  f.add_string("selector", 0, "");
  f.add_string("session-affinity", 0, "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("target-port", 0, "");
  f.add_string("template", 0, "");
  f.add_string("type", 0, "");
}

int run_expose(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry_run = dry_run_strategy(f);
  if (!dry_run.ok()) return report_error(env.out, dry_run.error());
  auto printer = print_choice(f);
  if (!printer.ok()) return report_error(env.out, printer.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);

  ExposeState st{f.get_string("name"), f.get_string("selector"), f.get_string("port"), "",
                 f.get_string("labels"), f.get_string("protocol"), ""};
  VisitOptions vo;
  vo.args = env.args;
  std::vector<CmdError> errs;
  int printed = 0;  // the YAML printer separates every object after its first with "---"
  auto expose_one = [&](ObjectInfo& info) -> std::optional<CmdError> {
    const std::string& kind = info.mapping.resource.kind;
    const std::string& group = info.mapping.resource.group;
    bool core = group.empty() && (kind == "ReplicationController" || kind == "Service" || kind == "Pod");
    bool apps = (group == "apps" || group == "extensions") && (kind == "Deployment" || kind == "ReplicaSet");
    if (!core && !apps) return CmdError::msg("cannot expose a " + group_kind(info));
    std::string default_name = info.name.substr(0, 63);
    if (st.selector.empty()) {
      auto sel = selector_for(info);
      if (!sel.ok())
        return CmdError::msg("couldn't retrieve selectors via --selector flag or introspection: " +
                             message_for_error(sel.error()));
      st.selector = *sel;
    }
    if (st.port.empty()) {
      auto ports = ports_for(info);
      if (ports.empty() && f.get_string("cluster-ip") != "None")
        return CmdError::msg("couldn't find port via --port flag or introspection");
      if (ports.size() == 1) {
        st.port = ports[0];
      } else if (ports.size() > 1) {
        for (size_t i = 0; i < ports.size(); ++i) st.ports += (i ? "," : "") + ports[i];
      }
    }
    if (std::string p = protocols_for(info); !p.empty()) st.protocols = p;
    if (st.labels.empty()) st.labels = make_labels(at(at(*info.object, "metadata"), "labels"));

    auto service = create_service(f, st, default_name);
    if (!service.ok()) return service.error();
    auto overridden = apply_overrides(f, kService, *service);
    if (!overridden.ok()) return overridden.error();
    Json obj = std::move(*overridden);
    if (*dry_run == DryRun::kClient) {
      if (s.explicit_namespace) {
        obj["metadata"]["namespace"] = s.namespace_;
        obj = to_typed(obj, "v1", "Service");
      }
    } else {
      if (f.get_bool("save-config")) add_last_applied_annotation(obj, kService);
      auto created =
          create_generated(env, kService, s.namespace_, obj, *dry_run, {{"fieldManager", f.get_string("field-manager")}});
      if (!created.ok()) return created.error();
      obj = std::move(*created);
    }
    if (printer->format == "yaml" && printed++ > 0) env.out += "---\n";
    return print_generated(f, *printer, kService, std::move(obj), "exposed", *dry_run, env.out);
  };
  auto fatal = visit_objects(s, vo, expose_one, errs);
  if (fatal) return report_error(env.out, *fatal);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
