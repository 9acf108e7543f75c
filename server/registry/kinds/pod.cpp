// Pods: defaults (incl. the status a new pod starts with), validation, field selectors and the
// READY/STATUS/RESTARTS table of upstream's printPod.
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include <set>

#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_ephemeral.h"
#include "server/registry/kinds/pod_spec.h"
#include "server/registry/object_meta.h"
#include "server/registry/table.h"

namespace kapi::server {
namespace {

std::string qos_class(const Json& spec) {
  bool any = false, all_guaranteed = true;
  for (const char* k : {"containers", "initContainers"}) {
    for (const auto& c : arr_at(spec, k)) {
      const Json& res = obj_at(c, "resources");
      const Json& req = obj_at(res, "requests");
      const Json& lim = obj_at(res, "limits");
      for (const char* r : {"cpu", "memory"}) {
        if (req.contains(r) || lim.contains(r)) any = true;
        if (!lim.contains(r)) all_guaranteed = false;
        else if (req.contains(r) && req[r] != lim[r]) all_guaranteed = false;
      }
    }
  }
  if (!any) return "BestEffort";
  return all_guaranteed ? "Guaranteed" : "Burstable";
}

// ServiceAccount admission: the projected kube-api-access-XXXXX volume and its mounts.
void mount_service_account_token(Json& spec) {
  if (spec.contains("automountServiceAccountToken") && spec["automountServiceAccountToken"] == false) return;
  static const std::string kPath = "/var/run/secrets/kubernetes.io/serviceaccount";
  for (const char* k : {"containers", "initContainers"})
    for (const auto& c : arr_at(spec, k))
      for (const auto& m : arr_at(c, "volumeMounts"))
        if (m.value("mountPath", "") == kPath) return;
  std::string name = "kube-api-access-" + random_suffix();
  // Built once: nlohmann's initializer lists copy every level, which was 4% of a pod create.
  static const Json kVolume = {
      {"name", ""},
      {"projected",
       {{"sources", Json::array({
             {{"serviceAccountToken", {{"expirationSeconds", 3607}, {"path", "token"}}}},
             {{"configMap", {{"name", "kube-root-ca.crt"}, {"items", Json::array({{{"key", "ca.crt"}, {"path", "ca.crt"}}})}}}},
             {{"downwardAPI", {{"items", Json::array({{{"path", "namespace"}, {"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", "metadata.namespace"}}}}})}}}},
         })},
        {"defaultMode", 420}}}};
  static const Json kMount = {{"name", ""}, {"readOnly", true}, {"mountPath", kPath}};
  Json volume = kVolume;
  volume["name"] = name;
  if (!spec.contains("volumes") || !spec["volumes"].is_array()) spec["volumes"] = Json::array();
  spec["volumes"].push_back(std::move(volume));
  for (const char* k : {"containers", "initContainers"}) {
    if (!spec.contains(k) || !spec[k].is_array()) continue;
    for (auto& c : spec[k]) {
      if (!c.contains("volumeMounts") || !c["volumeMounts"].is_array()) c["volumeMounts"] = Json::array();
      Json mount = kMount;
      mount["name"] = name;
      c["volumeMounts"].push_back(std::move(mount));
    }
  }
}

class PodStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec")) return;
    default_pod_spec(obj["spec"]);
    // SetDefaults_Pod (not PodSpec): templates do not get it.
    Json& spec = obj["spec"];
    if (!spec.contains("enableServiceLinks") || spec["enableServiceLinks"].is_null()) spec["enableServiceLinks"] = true;
    default_requests_from_limits(spec);
    default_host_network_ports(spec);
  }
  void prepare_create(Json& obj) const override {
    Json& spec = obj["spec"];
    if (spec.value("serviceAccountName", "").empty()) spec["serviceAccountName"] = "default";
    spec["serviceAccount"] = spec["serviceAccountName"];
    if (!spec.contains("priority")) spec["priority"] = 0;
    if (spec.value("preemptionPolicy", "").empty()) spec["preemptionPolicy"] = "PreemptLowerPriority";
    // DefaultTolerationSeconds admission.
    Json tol = spec.contains("tolerations") && spec["tolerations"].is_array() ? std::move(spec["tolerations"]) : Json::array();
    auto has = [&](const std::string& key) {
      for (const auto& t : tol) if (t.value("key", "") == key) return true;
      return false;
    };
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      if (!has(key))
        tol.push_back({{"key", key}, {"operator", "Exists"}, {"effect", "NoExecute"}, {"tolerationSeconds", 300}});
    }
    spec["tolerations"] = std::move(tol);
    mount_service_account_token(spec);
    Json status = Json::object();
    status["phase"] = "Pending";
    status["qosClass"] = qos_class(spec);
    obj["status"] = status;
  }
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    std::vector<runtime::StatusCause> out;
    validate_pod_spec(obj_at(obj, "spec"), "spec", out);
    return out;
  }
  std::vector<runtime::StatusCause> validate_update(const Json& obj, const Json& old) const override {
    auto out = validate(obj);
    // Pod specs are immutable but for images, activeDeadlineSeconds, added tolerations and
    // terminationGracePeriodSeconds (ValidatePodUpdate).
    Json a = obj_at(obj, "spec"), b = obj_at(old, "spec");
    for (Json* s : {&a, &b}) {
      for (const char* k : {"containers", "initContainers"})
        if (s->contains(k) && (*s)[k].is_array())
          for (auto& c : (*s)[k]) c.erase("image");
      for (const char* k : {"activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"}) s->erase(k);
    }
    if (a != b)
      out.push_back(runtime::field_forbidden(
          "spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
    return out;
  }
  void prepare_subresource_update(const std::string& subresource, Json& obj, const Json& old) const override {
    if (subresource == "ephemeralcontainers") prepare_ephemeral_containers_update(obj, old);
  }
  std::vector<runtime::StatusCause> validate_subresource_update(const std::string& subresource, const Json& obj,
                                                                const Json& old) const override {
    if (subresource != "ephemeralcontainers") return validate_update(obj, old);
    auto out = validate_ephemeral_containers_update(obj, old);
    if (out.size() == 1 && out[0].field.empty()) return out;  // a static pod: nothing else is checked
    auto spec = validate(obj);
    spec.insert(spec.end(), out.begin(), out.end());
    return spec;
  }
  bool has_status() const override { return true; }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    const Json& spec = obj_at(obj, "spec");
    const Json& status = obj_at(obj, "status");
    out.emplace_back("spec.nodeName", spec.is_object() ? spec.value("nodeName", "") : "");
    out.emplace_back("spec.restartPolicy", spec.is_object() ? spec.value("restartPolicy", "") : "");
    out.emplace_back("spec.schedulerName", spec.is_object() ? spec.value("schedulerName", "") : "");
    out.emplace_back("spec.serviceAccountName", spec.is_object() ? spec.value("serviceAccountName", "") : "");
    out.emplace_back("spec.hostNetwork", spec.is_object() && spec.value("hostNetwork", false) ? "true" : "false");
    out.emplace_back("status.phase", status.is_object() ? status.value("phase", "") : "");
    out.emplace_back("status.podIP", status.is_object() ? status.value("podIP", "") : "");
    out.emplace_back("status.nominatedNodeName", status.is_object() ? status.value("nominatedNodeName", "") : "");
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0},
            {"Status", "string", "", "The aggregate status of the containers in this pod.", 0},
            {"Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", 0},
            age_column(),
            {"IP", "string", "", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1},
            {"Node", "string", "", "NodeName is a request to schedule this pod onto a specific node.", 1},
            {"Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1},
            {"Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness.", 1}};
  }
  Json row(const Json& pod) const override {
    const Json& spec = obj_at(pod, "spec");
    const Json& status = obj_at(pod, "status");
    const Json& meta = pod["metadata"];
    // printPod. Restartable (sidecar) init containers count towards READY's total.
    std::set<std::string> sidecars;
    for (const auto& c : arr_at(spec, "initContainers"))
      if (c.value("restartPolicy", "") == "Always") sidecars.insert(c.value("name", ""));
    int total = static_cast<int>(arr_at(spec, "containers").size() + sidecars.size());
    int ready = 0;
    int64_t restarts = 0, sidecar_restarts = 0;
    std::string reason = status.value("phase", "");
    if (!status.value("reason", "").empty()) reason = status.value("reason", "");
    for (const auto& c : arr_at(status, "conditions"))
      if (c.value("type", "") == "PodScheduled" && c.value("reason", "") == "SchedulingGated") reason = "SchedulingGated";
    // The latest container restart (lastState.terminated.finishedAt), for "N (5m ago)".
    std::string last_restart, sidecar_last_restart;
    auto note_restart = [](const Json& c, std::string& latest) {
      const Json& ls = obj_at(c, "lastState");
      if (ls.contains("terminated") && ls["terminated"].contains("finishedAt") && ls["terminated"]["finishedAt"].is_string()) {
        std::string t = ls["terminated"]["finishedAt"].get<std::string>();
        if (t > latest) latest = t;
      }
    };
    bool initializing = false;
    const Json& inits = arr_at(status, "initContainerStatuses");
    size_t n_init = arr_at(spec, "initContainers").size();
    for (size_t i = 0; i < inits.size(); ++i) {
      const Json& c = inits[i];
      bool sidecar = sidecars.count(c.value("name", "")) > 0;
      restarts += c.value("restartCount", 0);
      note_restart(c, last_restart);
      if (sidecar) {
        sidecar_restarts += c.value("restartCount", 0);
        note_restart(c, sidecar_last_restart);
      }
      const Json& st = obj_at(c, "state");
      if (st.contains("terminated") && st["terminated"].value("exitCode", 0) == 0) continue;
      if (sidecar && c.value("started", false)) {
        if (c.value("ready", false)) ++ready;
        continue;
      }
      if (st.contains("terminated")) {
        const Json& t = st["terminated"];
        if (!t.value("reason", "").empty()) reason = "Init:" + t.value("reason", "");
        else if (t.value("signal", 0) != 0) reason = "Init:Signal:" + std::to_string(t.value("signal", 0));
        else reason = "Init:ExitCode:" + std::to_string(t.value("exitCode", 0));
      } else if (st.contains("waiting") && !st["waiting"].value("reason", "").empty() &&
                 st["waiting"].value("reason", "") != "PodInitializing") {
        reason = "Init:" + st["waiting"].value("reason", "");
      } else {
        reason = "Init:" + std::to_string(i) + "/" + std::to_string(n_init);
      }
      initializing = true;
      break;
    }
    bool initialized = false;
    for (const auto& c : arr_at(status, "conditions"))
      if (c.value("type", "") == "Initialized" && c.value("status", "") == "True") initialized = true;
    if (!initializing || initialized) {
      restarts = sidecar_restarts;
      last_restart = sidecar_last_restart;
      bool has_running = false;
      const Json& cs = arr_at(status, "containerStatuses");
      for (size_t k = cs.size(); k-- > 0;) {
        const Json& c = cs[k];
        restarts += c.value("restartCount", 0);
        note_restart(c, last_restart);
        const Json& st = obj_at(c, "state");
        if (st.contains("waiting") && !st["waiting"].value("reason", "").empty()) reason = st["waiting"].value("reason", "");
        else if (st.contains("terminated") && !st["terminated"].value("reason", "").empty()) reason = st["terminated"].value("reason", "");
        else if (st.contains("terminated")) {
          const Json& t = st["terminated"];
          reason = t.value("signal", 0) != 0 ? "Signal:" + std::to_string(t.value("signal", 0))
                                              : "ExitCode:" + std::to_string(t.value("exitCode", 0));
        } else if (c.value("ready", false) && st.contains("running")) {
          has_running = true;
          ++ready;
        }
      }
      if (reason == "Completed" && has_running) {
        bool pod_ready = false;
        for (const auto& c : arr_at(status, "conditions"))
          if (c.value("type", "") == "Ready" && c.value("status", "") == "True") pod_ready = true;
        reason = pod_ready ? "Running" : "NotReady";
      }
    }
    std::string phase = status.value("phase", "");
    if (meta.contains("deletionTimestamp") && status.value("reason", "") == "NodeLost") reason = "Unknown";
    else if (meta.contains("deletionTimestamp") && phase != "Succeeded" && phase != "Failed") reason = "Terminating";
    auto none = [](const std::string& s) { return s.empty() ? std::string("<none>") : s; };
    std::string ip;
    const Json& ips = arr_at(status, "podIPs");
    if (!ips.empty()) ip = ips[0].value("ip", "");
    std::string gates = "<none>";
    const Json& rg = arr_at(spec, "readinessGates");
    if (!rg.empty()) {
      int ok = 0;
      for (const auto& g : rg)
        for (const auto& c : arr_at(status, "conditions"))
          if (c.value("type", "") == g.value("conditionType", "") && c.value("status", "") == "True") ++ok;
      gates = std::to_string(ok) + "/" + std::to_string(rg.size());
    }
    std::string restart_cell = std::to_string(restarts);
    if (restarts > 0 && !last_restart.empty()) restart_cell += " (" + age_placeholder(last_restart) + " ago)";
    return Json::array({meta.value("name", ""), std::to_string(ready) + "/" + std::to_string(total), reason,
                        restart_cell, age_cell(pod), none(ip), none(spec.value("nodeName", "")),
                        none(status.value("nominatedNodeName", "")), gates});
  }
};

}  // namespace

const Strategy& pod_strategy() {
  static PodStrategy s;
  return s;
}

}  // namespace kapi::server
