#include "client/describe/containers.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

using machinery::Quantity;

Quantity q_of(const Json& v) {
  if (v.is_null()) return Quantity();
  auto q = Quantity::from_json(v);
  return q.ok() ? *q : Quantity();
}

std::string bool_word(bool b) { return b ? "true" : "false"; }

// EnvValueRetriever: the pod fields fieldpath.ExtractFieldPathAsString resolves.
std::string resolve_field_ref(const Json& pod, const Json& field_ref) {
  std::string api_version = str(field_ref, "apiVersion");
  if (api_version != "v1" && !api_version.empty()) return "";
  std::string fp = str(field_ref, "fieldPath");
  // kubectl's scheme converts only the generic metadata field labels, so other paths resolve to "".
  const Json& meta = at(pod, "metadata");
  if (fp == "metadata.name") return str(meta, "name");
  if (fp == "metadata.namespace") return str(meta, "namespace");
  return "";
}

// resourcehelper.ExtractContainerResourceValue for the standard resources.
std::string resource_field_value(const Json& ref, const Json& container) {
  Quantity divisor = q_of(at(ref, "divisor"));
  if (divisor.is_zero()) divisor = Quantity::from_int(1);
  std::string r = str(ref, "resource");
  const Json& res = at(container, "resources");
  auto pick = [&](const char* kind, const char* name) { return q_of(at(at(res, kind), name)); };
  auto ceil_div = [](double a, double b) {
    return std::to_string(static_cast<int64_t>(std::ceil(a / b)));
  };
  if (r == "limits.cpu")
    return ceil_div(double(pick("limits", "cpu").milli_value()), double(divisor.milli_value()));
  if (r == "requests.cpu")
    return ceil_div(double(pick("requests", "cpu").milli_value()), double(divisor.milli_value()));
  if (r == "limits.memory")
    return ceil_div(double(pick("limits", "memory").value()), double(divisor.value()));
  if (r == "requests.memory")
    return ceil_div(double(pick("requests", "memory").value()), double(divisor.value()));
  if (r == "limits.ephemeral-storage")
    return ceil_div(double(pick("limits", "ephemeral-storage").value()), double(divisor.value()));
  if (r == "requests.ephemeral-storage")
    return ceil_div(double(pick("requests", "ephemeral-storage").value()), double(divisor.value()));
  return "";
}

// DescribeProbe.
std::string describe_probe(const Json& p) {
  std::string attrs = "delay=" + std::to_string(num(p, "initialDelaySeconds")) +
                      "s timeout=" + std::to_string(num(p, "timeoutSeconds")) +
                      "s period=" + std::to_string(num(p, "periodSeconds")) +
                      "s #success=" + std::to_string(num(p, "successThreshold")) +
                      " #failure=" + std::to_string(num(p, "failureThreshold"));
  if (has(p, "exec")) return "exec " + sprint(path(p, {"exec", "command"})) + " " + attrs;
  if (has(p, "httpGet")) {
    const Json& h = at(p, "httpGet");
    std::string scheme = str(h, "scheme");
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string port = int_or_string(at(h, "port"));
    std::string host = str(h, "host");
    if (!port.empty())
      host = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
    std::string p_ = str(h, "path");
    // url.URL.String()
    std::string url;
    if (!scheme.empty()) url += scheme + ":";
    if (!scheme.empty() || !host.empty()) {
      if (!host.empty() || !p_.empty()) url += "//";
      url += host;
    }
    if (!p_.empty() && p_[0] != '/' && !host.empty()) url += "/";
    url += p_;
    return "http-get " + url + " " + attrs;
  }
  if (has(p, "tcpSocket")) {
    const Json& t = at(p, "tcpSocket");
    return "tcp-socket " + str(t, "host") + ":" + int_or_string(at(t, "port")) + " " + attrs;
  }
  if (has(p, "grpc")) {
    const Json& g = at(p, "grpc");
    return "grpc <pod>:" + std::to_string(num(g, "port")) + " " + str(g, "service") + " " + attrs;
  }
  return "unknown " + attrs;
}

void describe_status(const std::string& state_name, const Json& state, PrefixWriter& w) {
  if (has(state, "running")) {
    w.write(kLevel2, state_name + ":\tRunning\n");
    w.write(kLevel3, "Started:\t" + rfc1123z(path(state, {"running", "startedAt"})) + "\n");
  } else if (has(state, "waiting")) {
    w.write(kLevel2, state_name + ":\tWaiting\n");
    if (!str(at(state, "waiting"), "reason").empty())
      w.write(kLevel3, "Reason:\t" + str(at(state, "waiting"), "reason") + "\n");
  } else if (has(state, "terminated")) {
    const Json& t = at(state, "terminated");
    w.write(kLevel2, state_name + ":\tTerminated\n");
    if (!str(t, "reason").empty()) w.write(kLevel3, "Reason:\t" + str(t, "reason") + "\n");
    if (!str(t, "message").empty()) w.write(kLevel3, "Message:\t" + str(t, "message") + "\n");
    w.write(kLevel3, "Exit Code:\t" + std::to_string(num(t, "exitCode")) + "\n");
    if (num(t, "signal") > 0)
      w.write(kLevel3, "Signal:\t" + std::to_string(num(t, "signal")) + "\n");
    w.write(kLevel3, "Started:\t" + rfc1123z(at(t, "startedAt")) + "\n");
    w.write(kLevel3, "Finished:\t" + rfc1123z(at(t, "finishedAt")) + "\n");
  } else {
    w.write(kLevel2, state_name + ":\tWaiting\n");
  }
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t nl = s.find('\n', start);
    out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) return out;
    start = nl + 1;
  }
}

void describe_env(const Json& c, const Json* pod, PrefixWriter& w) {
  const Json& env = at(c, "env");
  w.write(kLevel2, std::string("Environment:") + (size_of(env) == 0 ? "\t<none>" : "") + "\n");
  for (const auto& e : items(env)) {
    std::string name = str(e, "name");
    if (!has(e, "valueFrom")) {
      auto lines = split_lines(str(e, "value"));
      for (size_t i = 0; i < lines.size(); ++i)
        w.write(kLevel3, i == 0 ? name + ":\t" + lines[i] + "\n" : "\t" + lines[i] + "\n");
      continue;
    }
    const Json& vf = at(e, "valueFrom");
    if (has(vf, "fieldRef")) {
      const Json& fr = at(vf, "fieldRef");
      std::string value = pod ? resolve_field_ref(*pod, fr) : "";
      w.write(kLevel3, name + ":\t" + value + " (" + str(fr, "apiVersion") + ":" +
                           str(fr, "fieldPath") + ")\n");
    } else if (has(vf, "resourceFieldRef")) {
      const Json& rf = at(vf, "resourceFieldRef");
      std::string value = resource_field_value(rf, c);
      std::string resource = str(rf, "resource");
      if (value == "0" && (resource == "limits.cpu" || resource == "limits.memory"))
        value = "node allocatable";
      w.write(kLevel3, name + ":\t" + value + " (" + resource + ")\n");
    } else if (has(vf, "secretKeyRef")) {
      const Json& r = at(vf, "secretKeyRef");
      w.write(kLevel3, name + ":\t<set to the key '" + str(r, "key") + "' in secret '" +
                           str(r, "name") + "'>\tOptional: " + bool_word(boolean(r, "optional")) +
                           "\n");
    } else if (has(vf, "configMapKeyRef")) {
      const Json& r = at(vf, "configMapKeyRef");
      w.write(kLevel3, name + ":\t<set to the key '" + str(r, "key") + "' of config map '" +
                           str(r, "name") + "'>\tOptional: " + bool_word(boolean(r, "optional")) +
                           "\n");
    }
  }
}

void describe_env_from(const Json& c, PrefixWriter& w) {
  w.write(kLevel2, "Environment Variables from:\n");
  for (const auto& e : items(at(c, "envFrom"))) {
    std::string from, name;
    bool optional = false;
    if (has(e, "configMapRef")) {
      from = "ConfigMap";
      name = str(at(e, "configMapRef"), "name");
      optional = boolean(at(e, "configMapRef"), "optional");
    } else if (has(e, "secretRef")) {
      from = "Secret";
      name = str(at(e, "secretRef"), "name");
      optional = boolean(at(e, "secretRef"), "optional");
    }
    std::string prefix = str(e, "prefix");
    if (prefix.empty())
      w.write(kLevel3, name + "\t" + from + "\tOptional: " + bool_word(optional) + "\n");
    else
      w.write(kLevel3, name + "\t" + from + " with prefix '" + prefix +
                           "'\tOptional: " + bool_word(optional) + "\n");
  }
}

void describe_mounts(const Json& c, PrefixWriter& w) {
  std::vector<Json> mounts = items(at(c, "volumeMounts"));
  std::string none = mounts.empty() ? "\t<none>" : "";
  w.write(kLevel2, "Mounts:" + none + "\n");
  std::stable_sort(mounts.begin(), mounts.end(), [](const Json& a, const Json& b) {
    return str(a, "mountPath") < str(b, "mountPath");
  });
  for (const auto& m : mounts) {
    std::vector<std::string> flags = {boolean(m, "readOnly") ? "ro" : "rw"};
    if (!str(m, "subPath").empty()) flags.push_back("path=" + Json(str(m, "subPath")).dump());
    w.write(kLevel3,
            str(m, "mountPath") + " from " + str(m, "name") + " (" + join(flags, ",") + ")\n");
  }
  std::vector<Json> devices = items(at(c, "volumeDevices"));
  if (!devices.empty()) {
    w.write(kLevel2, "Devices:" + none + "\n");
    std::stable_sort(devices.begin(), devices.end(), [](const Json& a, const Json& b) {
      return str(a, "devicePath") < str(b, "devicePath");
    });
    for (const auto& d : devices)
      w.write(kLevel3, str(d, "devicePath") + " from " + str(d, "name") + "\n");
  }
}

std::string ports_string(const Json& ports, const char* field) {
  std::vector<std::string> parts;
  for (const auto& p : items(ports))
    parts.push_back(std::to_string(num(p, field)) + "/" + str(p, "protocol"));
  return join(parts, ", ");
}

}  // namespace

void describe_resources(const Json& resources, PrefixWriter& w, int level) {
  for (const char* kind : {"limits", "requests"}) {
    const Json& list = at(resources, kind);
    if (size_of(list) == 0) continue;
    w.write(level, std::string(kind == std::string("limits") ? "Limits" : "Requests") + ":\n");
    for (const auto& name : sorted_keys(list))
      w.write(level + 1, name + ":\t" + quantity(list.at(name)) + "\n");
  }
}

void describe_containers(const std::string& label, const Json& containers, const Json& statuses,
                         const Json* pod, PrefixWriter& w, const std::string& space) {
  w.write(kLevel0, space + label + ":" + (size_of(containers) == 0 ? " <none>" : "") + "\n");
  for (const auto& c : items(containers)) {
    const Json* status = nullptr;
    for (const auto& s : items(statuses))
      if (str(s, "name") == str(c, "name")) status = &s;
    std::string name_indent = space.empty() ? "" : " ";
    w.write(kLevel1, name_indent + str(c, "name") + ":\n");
    if (status) w.write(kLevel2, "Container ID:\t" + str(*status, "containerID") + "\n");
    w.write(kLevel2, "Image:\t" + str(c, "image") + "\n");
    if (status) w.write(kLevel2, "Image ID:\t" + str(*status, "imageID") + "\n");
    std::string ports = ports_string(at(c, "ports"), "containerPort");
    if (ports.find(',') != std::string::npos)
      w.write(kLevel2, "Ports:\t" + ports + "\n");
    else
      w.write(kLevel2, "Port:\t" + (ports.empty() ? "<none>" : ports) + "\n");
    std::string host_ports = ports_string(at(c, "ports"), "hostPort");
    if (host_ports.find(',') != std::string::npos)
      w.write(kLevel2, "Host Ports:\t" + host_ports + "\n");
    else
      w.write(kLevel2, "Host Port:\t" + (host_ports.empty() ? "<none>" : host_ports) + "\n");
    const Json& seccomp = path(c, {"securityContext", "seccompProfile"});
    if (!seccomp.is_null()) {
      w.write(kLevel2, "SeccompProfile:\t" + str(seccomp, "type") + "\n");
      if (str(seccomp, "type") == "Localhost")
        w.write(kLevel3, "LocalhostProfile:\t" + str(seccomp, "localhostProfile") + "\n");
    }
    // describeContainerCommand
    for (const char* field : {"command", "args"}) {
      const Json& list = at(c, field);
      if (size_of(list) == 0) continue;
      w.write(kLevel2, std::string(field == std::string("command") ? "Command" : "Args") + ":\n");
      for (const auto& s : strings_of(list))
        for (const auto& line : split_lines(s)) w.write(kLevel3, line + "\n");
    }
    if (status) {
      describe_status("State", at(*status, "state"), w);
      if (has(at(*status, "lastState"), "terminated"))
        describe_status("Last State", at(*status, "lastState"), w);
      w.write(kLevel2,
              std::string("Ready:\t") + (boolean(*status, "ready") ? "True" : "False") + "\n");
      w.write(kLevel2, "Restart Count:\t" + std::to_string(num(*status, "restartCount")) + "\n");
    }
    describe_resources(at(c, "resources"), w, kLevel2);
    if (has(c, "livenessProbe"))
      w.write(kLevel2, "Liveness:\t" + describe_probe(at(c, "livenessProbe")) + "\n");
    if (has(c, "readinessProbe"))
      w.write(kLevel2, "Readiness:\t" + describe_probe(at(c, "readinessProbe")) + "\n");
    if (has(c, "startupProbe"))
      w.write(kLevel2, "Startup:\t" + describe_probe(at(c, "startupProbe")) + "\n");
    if (size_of(at(c, "envFrom")) > 0) describe_env_from(c, w);
    describe_env(c, pod, w);
    describe_mounts(c, w);
  }
}

void describe_topology_spread_constraints(const Json& tscs, PrefixWriter& w,
                                          const std::string& space) {
  if (size_of(tscs) == 0) return;
  std::vector<Json> sorted = items(tscs);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return str(a, "topologyKey") < str(b, "topologyKey");
  });
  w.write(kLevel0, space + "Topology Spread Constraints:\t");
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Json& t = sorted[i];
    if (i != 0) {
      w.write(kLevel0, space);
      w.write(kLevel0, "\t");
    }
    std::string line = str(t, "topologyKey") + ":" + str(t, "whenUnsatisfiable") +
                       " when max skew " + std::to_string(num(t, "maxSkew")) + " is exceeded";
    if (has(t, "labelSelector"))
      line += " for selector " + format_label_selector(at(t, "labelSelector"));
    w.write(kLevel0, line + "\n");
  }
}

void print_pvc_template(PrefixWriter& w, const Json& pvc) {
  const Json& meta = at(pvc, "metadata");
  const Json& spec = at(pvc, "spec");
  std::string cls = has(at(meta, "annotations"), "volume.beta.kubernetes.io/storage-class")
                        ? str(at(meta, "annotations"), "volume.beta.kubernetes.io/storage-class")
                        : str(spec, "storageClassName");
  w.write(kLevel0, "StorageClass:\t" + cls + "\n");
  w.write(kLevel0, "Volume:\t" + str(spec, "volumeName") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Capacity:\t\n");
  w.write(kLevel0, "Access Modes:\t\n");
  if (has(spec, "volumeMode")) w.write(kLevel0, "VolumeMode:\t" + str(spec, "volumeMode") + "\n");
  if (has(spec, "dataSource")) {
    const Json& ds = at(spec, "dataSource");
    w.write(kLevel0, "DataSource:\n");
    if (has(ds, "apiGroup")) w.write(kLevel1, "APIGroup:\t" + str(ds, "apiGroup") + "\n");
    w.write(kLevel1, "Kind:\t" + str(ds, "kind") + "\n");
    w.write(kLevel1, "Name:\t" + str(ds, "name") + "\n");
  }
}

void describe_pod_template(const Json& tmpl, PrefixWriter& w) {
  w.write(kLevel0, "Pod Template:\n");
  if (tmpl.is_null()) {
    w.write(kLevel1, "<unset>");
    return;
  }
  const Json& meta = at(tmpl, "metadata");
  const Json& spec = at(tmpl, "spec");
  print_labels_multiline(w, "  Labels", at(meta, "labels"));
  if (size_of(at(meta, "annotations")) > 0)
    print_annotations_multiline(w, "  Annotations", at(meta, "annotations"));
  if (!str(spec, "serviceAccountName").empty())
    w.write(kLevel1, "Service Account:\t" + str(spec, "serviceAccountName") + "\n");
  if (size_of(at(spec, "initContainers")) > 0)
    describe_containers("Init Containers", at(spec, "initContainers"), Json(), nullptr, w, "  ");
  describe_containers("Containers", at(spec, "containers"), Json(), nullptr, w, "  ");
  describe_volumes(at(spec, "volumes"), w, "  ");
  describe_topology_spread_constraints(at(spec, "topologySpreadConstraints"), w, "  ");
  if (!str(spec, "priorityClassName").empty())
    w.write(kLevel1, "Priority Class Name:\t" + str(spec, "priorityClassName") + "\n");
  print_labels_multiline(w, "  Node-Selectors", at(spec, "nodeSelector"));
  print_tolerations_multiline(w, "  Tolerations", at(spec, "tolerations"));
}

}  // namespace kapi::client::describe
