// apps/v1 workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet.
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"
#include "server/registry/table.h"

namespace kapi::server {
namespace {

std::string none(const std::string& s) { return s.empty() ? "<none>" : s; }

std::string selector_string(const Json& sel) { return none(format_label_selector(sel)); }

void containers_images(const Json& obj, std::string& names, std::string& images) {
  const Json& cs = arr_at(obj_at(obj_at(obj_at(obj, "spec"), "template"), "spec"), "containers");
  for (const auto& c : cs) {
    names += (names.empty() ? "" : ",") + c.value("name", "");
    images += (images.empty() ? "" : ",") + c.value("image", "");
  }
}

class Workload : public Strategy {
 public:
  explicit Workload(std::string kind) : kind_(std::move(kind)) {}
  void apply_defaults(Json& obj) const override {
    Json& spec = obj["spec"];
    if (!spec.is_object()) return;
    if (kind_ != "DaemonSet" && !spec.contains("replicas")) spec["replicas"] = 1;
    if (kind_ == "Deployment") {
      if (!spec.contains("strategy") || spec["strategy"].is_null() || spec["strategy"].empty())
        spec["strategy"] = Json::object();
      Json& st = spec["strategy"];
      if (st.value("type", "").empty()) st["type"] = "RollingUpdate";
      if (st["type"] == "RollingUpdate") {
        if (!st.contains("rollingUpdate") || st["rollingUpdate"].is_null()) st["rollingUpdate"] = Json::object();
        if (!st["rollingUpdate"].contains("maxUnavailable")) st["rollingUpdate"]["maxUnavailable"] = "25%";
        if (!st["rollingUpdate"].contains("maxSurge")) st["rollingUpdate"]["maxSurge"] = "25%";
      }
      if (!spec.contains("revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
      if (!spec.contains("progressDeadlineSeconds")) spec["progressDeadlineSeconds"] = 600;
    } else if (kind_ == "DaemonSet") {
      if (!spec.contains("updateStrategy") || spec["updateStrategy"].is_null()) spec["updateStrategy"] = Json::object();
      Json& st = spec["updateStrategy"];
      if (st.value("type", "").empty()) st["type"] = "RollingUpdate";
      if (st["type"] == "RollingUpdate") {
        if (!st.contains("rollingUpdate") || st["rollingUpdate"].is_null()) st["rollingUpdate"] = Json::object();
        if (!st["rollingUpdate"].contains("maxUnavailable")) st["rollingUpdate"]["maxUnavailable"] = 1;
        if (!st["rollingUpdate"].contains("maxSurge")) st["rollingUpdate"]["maxSurge"] = 0;
      }
      if (!spec.contains("revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
    } else if (kind_ == "StatefulSet") {
      if (spec.value("podManagementPolicy", "").empty()) spec["podManagementPolicy"] = "OrderedReady";
      if (!spec.contains("updateStrategy") || spec["updateStrategy"].is_null()) spec["updateStrategy"] = Json::object();
      Json& st = spec["updateStrategy"];
      // SetDefaults_StatefulSet creates rollingUpdate only when it defaults the type.
      if (st.value("type", "").empty()) {
        st["type"] = "RollingUpdate";
        if (!st.contains("rollingUpdate") || st["rollingUpdate"].is_null()) st["rollingUpdate"] = Json::object();
      }
      if (st["type"] == "RollingUpdate" && st.contains("rollingUpdate") && st["rollingUpdate"].is_object() &&
          !st["rollingUpdate"].contains("partition"))
        st["rollingUpdate"]["partition"] = 0;
      // volumeClaimTemplates are PersistentVolumeClaims: their defaults, as a v1 PVC prints.
      if (spec.contains("volumeClaimTemplates") && spec["volumeClaimTemplates"].is_array())
        for (auto& pvc : spec["volumeClaimTemplates"]) {
          if (!pvc.is_object()) continue;
          if (!pvc.contains("apiVersion")) pvc["apiVersion"] = "v1";
          if (!pvc.contains("kind")) pvc["kind"] = "PersistentVolumeClaim";
          if (pvc.contains("spec") && pvc["spec"].is_object() && pvc["spec"].value("volumeMode", "").empty())
            pvc["spec"]["volumeMode"] = "Filesystem";
          if (!pvc.contains("status") || !pvc["status"].is_object()) pvc["status"] = Json::object();
          if (pvc["status"].value("phase", "").empty()) pvc["status"]["phase"] = "Pending";
        }
      if (!spec.contains("revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
      if (!spec.contains("persistentVolumeClaimRetentionPolicy"))
        spec["persistentVolumeClaimRetentionPolicy"] = {{"whenDeleted", "Retain"}, {"whenScaled", "Retain"}};
    }
    if (spec.contains("template") && spec["template"].is_object() && spec["template"].contains("spec"))
      default_pod_spec(spec["template"]["spec"]);
  }
  void prepare_create(Json& obj) const override { obj["status"] = Json::object(); }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    std::vector<runtime::StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    const Json& tmpl = obj_at(spec, "template");
    validate_label_selector_match(spec.value("selector", Json()), obj_at(obj_at(tmpl, "metadata"), "labels"), "spec", out);
    if (spec.contains("replicas") && spec["replicas"].is_number_integer() && spec["replicas"].get<int64_t>() < 0)
      out.push_back(runtime::field_invalid("spec.replicas", std::to_string(spec["replicas"].get<int64_t>()), "must be greater than or equal to 0"));
    validate_pod_spec(obj_at(tmpl, "spec"), "spec.template.spec", out);
    std::string rp = obj_at(tmpl, "spec").value("restartPolicy", "Always");
    if (rp != "Always")
      out.push_back(runtime::field_unsupported("spec.template.spec.restartPolicy", quote(rp), {"Always"}));
    return out;
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    if (kind_ == "ReplicaSet")
      out.emplace_back("status.replicas", std::to_string(obj_at(obj, "status").value("replicas", 0)));
  }
  std::vector<TableColumn> columns() const override {
    TableColumn containers{"Containers", "string", "", "Names of each container in the template.", 1};
    TableColumn images{"Images", "string", "", "Images referenced by each container in the template.", 1};
    TableColumn selector{"Selector", "string", "", "Label selector for pods.", 1};
    if (kind_ == "Deployment")
      return {name_column(), {"Ready", "string", "", "Number of the pod with ready state", 0},
              {"Up-to-date", "string", "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0},
              {"Available", "string", "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0},
              age_column(), containers, images, selector};
    if (kind_ == "ReplicaSet")
      return {name_column(), {"Desired", "integer", "", "Replicas is the number of desired replicas.", 0},
              {"Current", "integer", "", "Replicas is the most recently observed number of replicas.", 0},
              {"Ready", "integer", "", "The number of ready replicas for this replica set.", 0},
              age_column(), containers, images, selector};
    if (kind_ == "StatefulSet")
      return {name_column(), {"Ready", "string", "", "Number of the pod with ready state", 0}, age_column(), containers, images};
    return {name_column(), {"Desired", "integer", "", "The total number of nodes that should be running the daemon pod.", 0},
            {"Current", "integer", "", "The number of nodes running at least one daemon pod and are supposed to.", 0},
            {"Ready", "integer", "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", 0},
            {"Up-to-date", "integer", "", "The total number of nodes that are running updated daemon pod", 0},
            {"Available", "integer", "", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", 0},
            {"Node Selector", "string", "", "NodeSelector is a selector which must be true for the pod to fit on a node.", 0},
            age_column(), containers, images, selector};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string names, images;
    containers_images(o, names, images);
    std::string name = o["metadata"].value("name", "");
    std::string sel = selector_string(spec.value("selector", Json()));
    int64_t replicas = spec.value("replicas", int64_t{0});
    if (kind_ == "Deployment")
      return Json::array({name, std::to_string(st.value("readyReplicas", 0)) + "/" + std::to_string(replicas),
                          st.value("updatedReplicas", 0), st.value("availableReplicas", 0), age_cell(o), names, images, sel});
    if (kind_ == "ReplicaSet")
      return Json::array({name, replicas, st.value("replicas", 0), st.value("readyReplicas", 0), age_cell(o), names, images, sel});
    if (kind_ == "StatefulSet")
      return Json::array({name, std::to_string(st.value("readyReplicas", 0)) + "/" + std::to_string(replicas), age_cell(o), names, images});
    std::string ns = format_labels(obj_at(obj_at(obj_at(spec, "template"), "spec"), "nodeSelector"));
    return Json::array({name, st.value("desiredNumberScheduled", 0), st.value("currentNumberScheduled", 0),
                        st.value("numberReady", 0), st.value("updatedNumberScheduled", 0),
                        st.value("numberAvailable", 0), none(ns), age_cell(o), names, images, sel});
  }

 private:
  std::string kind_;
};

}  // namespace

const Strategy* apps_strategy(const std::string& resource) {
  static Workload deploy("Deployment"), rs("ReplicaSet"), sts("StatefulSet"), ds("DaemonSet");
  if (resource == "deployments") return &deploy;
  if (resource == "replicasets") return &rs;
  if (resource == "statefulsets") return &sts;
  if (resource == "daemonsets") return &ds;
  return nullptr;
}

}  // namespace kapi::server
