#include "server/registry/kinds/pod_spec.h"

#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"
#include "server/registry/kinds/pod_ephemeral.h"

#include <algorithm>
#include <set>

namespace kapi::server {

using runtime::StatusCause;

std::string quote(const std::string& s) { return Json(s).dump(); }

std::string go_map_literal(const Json& m) {
  std::string out = "map[string]string{";
  bool first = true;
  std::vector<std::string> keys;
  for (auto it = m.begin(); it != m.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys) {
    if (!first) out += ", ";
    first = false;
    out += quote(k) + ":" + quote(m[k].is_string() ? m[k].get<std::string>() : m[k].dump());
  }
  return out + "}";
}

std::string format_label_selector(const Json& sel) {
  if (!sel.is_object()) return "";
  std::vector<std::pair<std::string, std::string>> reqs;  // (key, rendered requirement)
  const Json& ml = obj_at(sel, "matchLabels");
  for (auto it = ml.begin(); it != ml.end(); ++it)
    reqs.emplace_back(it.key(), it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : ""));
  for (const auto& e : arr_at(sel, "matchExpressions")) {
    std::string op = e.value("operator", "");
    std::string key = e.value("key", "");
    std::vector<std::string> values;
    for (const auto& v : arr_at(e, "values"))
      if (v.is_string()) values.push_back(v.get<std::string>());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::string vals;
    for (const auto& v : values) vals += (vals.empty() ? "" : ",") + v;
    if (op == "In") reqs.emplace_back(key, key + " in (" + vals + ")");
    else if (op == "NotIn") reqs.emplace_back(key, key + " notin (" + vals + ")");
    else if (op == "Exists") reqs.emplace_back(key, key);
    else if (op == "DoesNotExist") reqs.emplace_back(key, "!" + key);
  }
  std::stable_sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& r : reqs) out += (out.empty() ? "" : ",") + r.second;
  return out;
}

std::string format_labels(const Json& map) {
  if (!map.is_object()) return "";
  std::vector<std::string> keys;
  for (auto it = map.begin(); it != map.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : ",") + k + "=" + (map[k].is_string() ? map[k].get<std::string>() : "");
  return out;
}

namespace {

// SetDefaults_HTTPGetAction, wherever an HTTPGetAction appears (probes, lifecycle hooks).
void default_handler(Json& handler) {
  if (!handler.is_object() || !handler.contains("httpGet") || !handler["httpGet"].is_object()) return;
  Json& get = handler["httpGet"];
  if (get.value("path", "").empty()) get["path"] = "/";
  if (get.value("scheme", "").empty()) get["scheme"] = "HTTP";
}

void default_field_ref(Json& holder) {
  if (holder.is_object() && holder.contains("fieldRef") && holder["fieldRef"].is_object() &&
      holder["fieldRef"].value("apiVersion", "").empty())
    holder["fieldRef"]["apiVersion"] = "v1";
}

void default_probe(Json& probe) {
  if (!probe.is_object()) return;
  if (!probe.contains("timeoutSeconds") || probe["timeoutSeconds"] == 0) probe["timeoutSeconds"] = 1;
  if (!probe.contains("periodSeconds") || probe["periodSeconds"] == 0) probe["periodSeconds"] = 10;
  if (!probe.contains("successThreshold") || probe["successThreshold"] == 0) probe["successThreshold"] = 1;
  if (!probe.contains("failureThreshold") || probe["failureThreshold"] == 0) probe["failureThreshold"] = 3;
  default_handler(probe);
}

void default_container(Json& c) {
  if (!c.is_object()) return;
  if (c.value("terminationMessagePath", "").empty()) c["terminationMessagePath"] = "/dev/termination-log";
  if (c.value("terminationMessagePolicy", "").empty()) c["terminationMessagePolicy"] = "File";
  if (c.value("imagePullPolicy", "").empty()) {
    // Upstream: Always for :latest or no tag, IfNotPresent otherwise (digests count as a tag).
    std::string image = c.value("image", "");
    std::string last = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/') + 1);
    bool has_digest = image.find('@') != std::string::npos;
    auto colon = last.find(':');
    std::string tag = colon == std::string::npos ? "" : last.substr(colon + 1);
    c["imagePullPolicy"] = (!has_digest && (tag.empty() || tag == "latest")) ? "Always" : "IfNotPresent";
  }
  if (c.contains("ports") && c["ports"].is_array())
    for (auto& p : c["ports"])
      if (p.is_object() && p.value("protocol", "").empty()) p["protocol"] = "TCP";
  for (const char* k : {"livenessProbe", "readinessProbe", "startupProbe"})
    if (c.contains(k)) default_probe(c[k]);
  if (c.contains("lifecycle") && c["lifecycle"].is_object())
    for (const char* k : {"postStart", "preStop"})
      if (c["lifecycle"].contains(k)) default_handler(c["lifecycle"][k]);
  if (c.contains("env") && c["env"].is_array())
    for (auto& e : c["env"])
      if (e.is_object() && e.contains("valueFrom")) default_field_ref(e["valueFrom"]);
}

void default_volume(Json& v) {
  for (const char* k : {"configMap", "secret", "downwardAPI", "projected"}) {
    if (v.contains(k) && v[k].is_object() && !v[k].contains("defaultMode")) v[k]["defaultMode"] = 420;
  }
  auto default_items = [](Json& src) {
    if (src.is_object() && src.contains("items") && src["items"].is_array())
      for (auto& item : src["items"]) default_field_ref(item);
  };
  if (v.contains("downwardAPI")) default_items(v["downwardAPI"]);
  if (v.contains("projected") && v["projected"].is_object() && v["projected"].contains("sources") &&
      v["projected"]["sources"].is_array())
    for (auto& src : v["projected"]["sources"]) {
      if (!src.is_object()) continue;
      if (src.contains("downwardAPI")) default_items(src["downwardAPI"]);
      // SetDefaults_ServiceAccountTokenProjection.
      if (src.contains("serviceAccountToken") && src["serviceAccountToken"].is_object() &&
          !src["serviceAccountToken"].contains("expirationSeconds"))
        src["serviceAccountToken"]["expirationSeconds"] = 3600;
    }
  if (v.contains("hostPath") && v["hostPath"].is_object() && !v["hostPath"].contains("type"))
    v["hostPath"]["type"] = "";
  bool has_source = false;
  for (auto it = v.begin(); it != v.end(); ++it) has_source |= it.key() != "name";
  if (!has_source) v["emptyDir"] = Json::object();
}

}  // namespace

void validate_container(const Json& c, const std::string& path, std::set<std::string>& names,
                        std::vector<StatusCause>& out) {
  std::string name = c.value("name", "");
  if (name.empty()) out.push_back(runtime::field_required(path + ".name"));
  else if (names.count(name)) out.push_back(runtime::field_duplicate(path + ".name", quote(name)));
  names.insert(name);
  if (c.value("image", "").empty()) out.push_back(runtime::field_required(path + ".image"));
  if (c.contains("ports") && c["ports"].is_array()) {
    size_t i = 0;
    for (const auto& p : c["ports"]) {
      std::string pp = path + ".ports[" + std::to_string(i++) + "]";
      int64_t port = p.value("containerPort", int64_t{0});
      if (port < 1 || port > 65535)
        out.push_back(runtime::field_invalid(pp + ".containerPort", std::to_string(port), "must be between 1 and 65535, inclusive"));
      std::string proto = p.value("protocol", "TCP");
      if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
        out.push_back(runtime::field_unsupported(pp + ".protocol", quote(proto), {"SCTP", "TCP", "UDP"}));
    }
  }
  std::string pull = c.value("imagePullPolicy", "");
  if (!pull.empty() && pull != "Always" && pull != "IfNotPresent" && pull != "Never")
    out.push_back(runtime::field_unsupported(path + ".imagePullPolicy", quote(pull), {"Always", "IfNotPresent", "Never"}));
}

// defaultHostNetworkPorts: with hostNetwork, a container port's hostPort is its containerPort.
void default_host_network_ports(Json& spec) {
  if (!spec.is_object() || !spec.value("hostNetwork", false)) return;
  for (const char* k : {"containers", "initContainers"})
    if (spec.contains(k) && spec[k].is_array())
      for (auto& c : spec[k])
        if (c.is_object() && c.contains("ports") && c["ports"].is_array())
          for (auto& p : c["ports"])
            if (p.is_object() && p.value("hostPort", 0) == 0) p["hostPort"] = p.value("containerPort", 0);
}

void default_requests_from_limits(Json& spec) {
  if (!spec.is_object()) return;
  for (const char* k : {"containers", "initContainers"}) {
    if (!spec.contains(k) || !spec[k].is_array()) continue;
    for (auto& c : spec[k]) {
      if (!c.is_object() || !c.contains("resources") || !c["resources"].is_object()) continue;
      Json& r = c["resources"];
      if (!r.contains("limits") || !r["limits"].is_object()) continue;
      if (!r.contains("requests") || !r["requests"].is_object()) r["requests"] = Json::object();
      for (auto it = r["limits"].begin(); it != r["limits"].end(); ++it)
        if (!r["requests"].contains(it.key())) r["requests"][it.key()] = it.value();
    }
  }
}

void default_pod_spec(Json& spec) {
  if (!spec.is_object()) return;
  if (spec.value("restartPolicy", "").empty()) spec["restartPolicy"] = "Always";
  if (!spec.contains("terminationGracePeriodSeconds") || spec["terminationGracePeriodSeconds"].is_null())
    spec["terminationGracePeriodSeconds"] = 30;
  if (spec.value("dnsPolicy", "").empty()) spec["dnsPolicy"] = "ClusterFirst";
  if (!spec.contains("securityContext") || spec["securityContext"].is_null()) spec["securityContext"] = Json::object();
  if (spec.value("schedulerName", "").empty()) spec["schedulerName"] = "default-scheduler";
  for (const char* k : {"containers", "initContainers", "ephemeralContainers"})
    if (spec.contains(k) && spec[k].is_array())
      for (auto& c : spec[k]) default_container(c);
  if (spec.contains("volumes") && spec["volumes"].is_array())
    for (auto& v : spec["volumes"]) default_volume(v);
}

void validate_pod_spec(const Json& spec, const std::string& path, std::vector<StatusCause>& out) {
  std::set<std::string> names;
  const Json& containers = spec.contains("containers") ? spec["containers"] : Json();
  if (!containers.is_array() || containers.empty()) {
    out.push_back(runtime::field_required(path + ".containers"));
  } else {
    size_t i = 0;
    for (const auto& c : containers) validate_container(c, path + ".containers[" + std::to_string(i++) + "]", names, out);
  }
  if (spec.contains("initContainers") && spec["initContainers"].is_array()) {
    size_t i = 0;
    for (const auto& c : spec["initContainers"])
      validate_container(c, path + ".initContainers[" + std::to_string(i++) + "]", names, out);
  }
  validate_ephemeral_containers(spec, path, names, out);
  std::string rp = spec.value("restartPolicy", "Always");
  if (rp != "Always" && rp != "OnFailure" && rp != "Never")
    out.push_back(runtime::field_unsupported(path + ".restartPolicy", quote(rp), {"Always", "Never", "OnFailure"}));
  std::string dns = spec.value("dnsPolicy", "ClusterFirst");
  if (dns != "ClusterFirst" && dns != "ClusterFirstWithHostNet" && dns != "Default" && dns != "None")
    out.push_back(runtime::field_unsupported(path + ".dnsPolicy", quote(dns), {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"}));
  if (spec.contains("volumes") && spec["volumes"].is_array()) {
    std::set<std::string> vnames;
    size_t i = 0;
    for (const auto& v : spec["volumes"]) {
      std::string vp = path + ".volumes[" + std::to_string(i++) + "]";
      std::string n = v.value("name", "");
      if (n.empty()) out.push_back(runtime::field_required(vp + ".name"));
      else if (vnames.count(n)) out.push_back(runtime::field_duplicate(vp + ".name", quote(n)));
      vnames.insert(n);
    }
  }
}

void validate_label_selector_match(const Json& selector, const Json& template_labels,
                                   const std::string& path, std::vector<StatusCause>& out) {
  if (!selector.is_object() || selector.empty()) {
    out.push_back(runtime::field_required(path + ".selector"));
    return;
  }
  const Json& ml = obj_at(selector, "matchLabels");
  const Json& exprs = arr_at(selector, "matchExpressions");
  if (ml.empty() && exprs.empty()) {
    out.push_back(runtime::field_invalid(path + ".selector", "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}", "empty selector is invalid for deployment"));
    return;
  }
  bool match = true;
  for (auto it = ml.begin(); it != ml.end(); ++it) {
    if (!template_labels.is_object() || !template_labels.contains(it.key()) || template_labels[it.key()] != it.value())
      match = false;
  }
  if (!match)
    out.push_back(runtime::field_invalid(path + ".template.metadata.labels",
                                         go_map_literal(template_labels.is_object() ? template_labels : Json::object()),
                                         "`selector` does not match template `labels`"));
}

}  // namespace kapi::server
