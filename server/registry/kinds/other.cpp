// batch, coordination, scheduling, rbac, policy and discovery kinds.
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include <chrono>

#include "pkg/machinery/duration.h"

#include "server/registry/kinds/events.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"
#include "server/registry/table.h"

namespace kapi::server {
namespace {

std::string none(const std::string& s) { return s.empty() ? "<none>" : s; }

class JobStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    Json& spec = obj["spec"];
    if (!spec.is_object()) return;
    // SetDefaults_Job: completions only when parallelism is unset too (a parallel job without
    // completions runs until one pod succeeds: "0/1 of N").
    auto unset = [&](const char* k) { return !spec.contains(k) || spec[k].is_null(); };
    if (unset("completions") && unset("parallelism")) spec["completions"] = 1;
    if (unset("parallelism")) spec["parallelism"] = 1;
    if (unset("backoffLimit")) spec["backoffLimit"] = unset("backoffLimitPerIndex") ? 6 : 2147483647;
    if (spec.value("completionMode", "").empty()) spec["completionMode"] = "NonIndexed";
    if (unset("suspend")) spec["suspend"] = false;
    if (spec.value("podReplacementPolicy", "").empty())
      spec["podReplacementPolicy"] = unset("podFailurePolicy") ? "TerminatingOrFailed" : "Failed";
    if (spec.contains("podFailurePolicy") && spec["podFailurePolicy"].is_object() &&
        spec["podFailurePolicy"].contains("rules") && spec["podFailurePolicy"]["rules"].is_array())
      for (auto& rule : spec["podFailurePolicy"]["rules"])
        if (rule.contains("onPodConditions") && rule["onPodConditions"].is_array())
          for (auto& pattern : rule["onPodConditions"])
            if (pattern.is_object() && pattern.value("status", "").empty()) pattern["status"] = "True";
    copy_template_labels(obj);
    if (spec.contains("template") && spec["template"].contains("spec")) default_pod_spec(spec["template"]["spec"]);
  }
  // SetDefaults_Job: a Job without labels takes its template's. Upstream also defaults on every
  // read from storage, so the selector labels PrepareForCreate adds end up on the Job too.
  static void copy_template_labels(Json& obj) {
    const Json& tl = obj_at(obj_at(obj_at(obj, "spec"), "template"), "metadata");
    const Json& labels = obj_at(tl, "labels");
    Json& meta = obj["metadata"];
    if (!labels.empty() && (!meta.contains("labels") || !meta["labels"].is_object() || meta["labels"].empty()))
      meta["labels"] = labels;
  }
  void prepare_create(Json& obj) const override {
    obj["status"] = Json::object();
    Json& spec = obj["spec"];
    if (!spec.value("manualSelector", false)) {
      std::string uid = obj["metadata"].value("uid", "");
      std::string name = obj["metadata"].value("name", "");
      spec["selector"] = {{"matchLabels", {{"batch.kubernetes.io/controller-uid", uid}}}};
      Json& labels = spec["template"]["metadata"]["labels"];
      if (!labels.is_object()) labels = Json::object();
      labels["batch.kubernetes.io/controller-uid"] = uid;
      labels["batch.kubernetes.io/job-name"] = name;
      labels["controller-uid"] = uid;
      labels["job-name"] = name;
    }
    copy_template_labels(obj);
  }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    std::vector<runtime::StatusCause> out;
    const Json& tspec = obj_at(obj_at(obj_at(obj, "spec"), "template"), "spec");
    validate_pod_spec(tspec, "spec.template.spec", out);
    std::string rp = tspec.value("restartPolicy", "");
    if (rp != "OnFailure" && rp != "Never")
      out.push_back(runtime::field_unsupported("spec.template.spec.restartPolicy", quote(rp), {"OnFailure", "Never"}));
    return out;
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("status.successful", std::to_string(obj_at(obj, "status").value("succeeded", 0)));
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Status", "string", "", "Status of the job.", 0},
            {"Completions", "string", "", "The desired number of successfully finished pods the job should be run with.", 0},
            {"Duration", "string", "", "Time required to complete the job.", 0}, age_column(),
            {"Containers", "string", "", "Names of each container in the template.", 1},
            {"Images", "string", "", "Images referenced by each container in the template.", 1},
            {"Selector", "string", "", "Label selector for pods.", 1}};
  }
  // printJob.
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string succeeded = std::to_string(st.value("succeeded", 0));
    std::string completions = succeeded + "/1";
    if (spec.contains("completions") && spec["completions"].is_number())
      completions = succeeded + "/" + std::to_string(spec["completions"].get<int64_t>());
    else if (spec.value("parallelism", 0) > 1)
      completions = succeeded + "/1 of " + std::to_string(spec.value("parallelism", 0));
    auto has = [&](const char* type) {
      for (const auto& c : arr_at(st, "conditions"))
        if (c.value("type", "") == type && c.value("status", "") == "True") return true;
      return false;
    };
    std::string status = "Running";
    if (has("Complete")) status = "Complete";
    else if (has("Failed")) status = "Failed";
    else if (o["metadata"].contains("deletionTimestamp")) status = "Terminating";
    else if (has("Suspended")) status = "Suspended";
    else if (has("FailureTarget")) status = "FailureTarget";
    else if (has("SuccessCriteriaMet")) status = "SuccessCriteriaMet";
    std::string names, images;
    for (const auto& c : arr_at(obj_at(obj_at(spec, "template"), "spec"), "containers")) {
      names += (names.empty() ? "" : ",") + c.value("name", "");
      images += (images.empty() ? "" : ",") + c.value("image", "");
    }
    // Running: time since start; finished: completionTime - startTime.
    std::string duration;
    std::string start = st.contains("startTime") && st["startTime"].is_string() ? st["startTime"].get<std::string>() : "";
    std::string done = st.contains("completionTime") && st["completionTime"].is_string() ? st["completionTime"].get<std::string>() : "";
    if (!start.empty() && done.empty()) duration = age_placeholder(start);
    else if (!start.empty()) {
      auto a = machinery::parse_rfc3339(start), b = machinery::parse_rfc3339(done);
      if (a.ok() && b.ok()) duration = machinery::human_duration(*b - *a);
    }
    return Json::array({o["metadata"].value("name", ""), status, completions, duration, age_cell(o), names, images,
                        format_label_selector(obj_at(spec, "selector"))});
  }
};

class CronJobStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    Json& spec = obj["spec"];
    if (!spec.is_object()) return;
    if (spec.value("concurrencyPolicy", "").empty()) spec["concurrencyPolicy"] = "Allow";
    if (!spec.contains("suspend")) spec["suspend"] = false;
    if (!spec.contains("successfulJobsHistoryLimit")) spec["successfulJobsHistoryLimit"] = 3;
    if (!spec.contains("failedJobsHistoryLimit")) spec["failedJobsHistoryLimit"] = 1;
    if (spec.contains("jobTemplate") && spec["jobTemplate"].contains("spec") &&
        spec["jobTemplate"]["spec"].contains("template") && spec["jobTemplate"]["spec"]["template"].contains("spec"))
      default_pod_spec(spec["jobTemplate"]["spec"]["template"]["spec"]);
  }
  void prepare_create(Json& obj) const override { obj["status"] = Json::object(); }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Schedule", "string", "", "The schedule in Cron format.", 0},
            {"Timezone", "string", "", "The time zone name for the given schedule.", 0},
            {"Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions.", 0},
            {"Active", "integer", "", "A list of pointers to currently running jobs.", 0},
            {"Last Schedule", "string", "", "Information when was the last time the job was successfully scheduled.", 0},
            age_column(),
            {"Containers", "string", "", "Names of each container in the template.", 1},
            {"Images", "string", "", "Images referenced by each container in the template.", 1},
            {"Selector", "string", "", "Label selector for pods.", 1}};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string last = st.contains("lastScheduleTime") && st["lastScheduleTime"].is_string()
                           ? age_placeholder(st["lastScheduleTime"].get<std::string>()) : "<none>";
    std::string names, images;
    for (const auto& c : arr_at(obj_at(obj_at(obj_at(obj_at(spec, "jobTemplate"), "spec"), "template"), "spec"), "containers")) {
      names += (names.empty() ? "" : ",") + c.value("name", "");
      images += (images.empty() ? "" : ",") + c.value("image", "");
    }
    return Json::array({o["metadata"].value("name", ""), spec.value("schedule", ""), none(spec.value("timeZone", "")),
                        spec.value("suspend", false) ? "True" : "False", arr_at(st, "active").size(), last,
                        age_cell(o), names, images,
                        none(format_label_selector(obj_at(obj_at(obj_at(spec, "jobTemplate"), "spec"), "selector")))});
  }
};

class LeaseStrategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Holder", "string", "", "The holder of the lease.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    auto h = spec.find("holderIdentity");
    return Json::array({o["metadata"].value("name", ""), h != spec.end() && h->is_string() ? h->get<std::string>() : "<none>",
                        age_cell(o)});
  }
};

class PriorityClassStrategy : public Strategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (obj.value("preemptionPolicy", "").empty()) obj["preemptionPolicy"] = "PreemptLowerPriority";
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Value", "integer", "", "Value of the priority class.", 0},
            {"Global-Default", "boolean", "", "Whether this is the global default priority class.", 0},
            age_column(), {"PreemptionPolicy", "string", "", "PreemptionPolicy is the policy for preempting pods with lower priority.", 0}};
  }
  Json row(const Json& o) const override {
    return Json::array({o["metadata"].value("name", ""), o.value("value", 0), o.value("globalDefault", false),
                        age_cell(o), o.value("preemptionPolicy", "")});
  }
};

class BindingStrategy : public Strategy {
 public:
  // SetDefaults_(Cluster)RoleBinding and SetDefaults_Subject.
  void apply_defaults(Json& obj) const override {
    if (obj.contains("roleRef") && obj["roleRef"].is_object() && obj["roleRef"].value("apiGroup", "").empty())
      obj["roleRef"]["apiGroup"] = "rbac.authorization.k8s.io";
    if (obj.contains("subjects") && obj["subjects"].is_array())
      for (auto& s : obj["subjects"]) {
        if (!s.is_object() || !s.value("apiGroup", "").empty()) continue;
        std::string kind = s.value("kind", "");
        if (kind == "ServiceAccount") s["apiGroup"] = "";
        else if (kind == "User" || kind == "Group") s["apiGroup"] = "rbac.authorization.k8s.io";
      }
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Role", "string", "", "Role referenced by this binding.", 0}, age_column(),
            {"Users", "string", "", "Users in the binding.", 1},
            {"Groups", "string", "", "Groups in the binding.", 1},
            {"ServiceAccounts", "string", "", "ServiceAccounts in the binding.", 1}};
  }
  Json row(const Json& o) const override {
    const Json& ref = obj_at(o, "roleRef");
    std::string users, groups, sas;
    for (const auto& s : arr_at(o, "subjects")) {
      std::string k = s.value("kind", "");
      if (k == "User") users += (users.empty() ? "" : ", ") + s.value("name", "");
      else if (k == "Group") groups += (groups.empty() ? "" : ", ") + s.value("name", "");
      else if (k == "ServiceAccount") sas += (sas.empty() ? "" : ", ") + s.value("namespace", "") + "/" + s.value("name", "");
    }
    return Json::array({o["metadata"].value("name", ""), ref.value("kind", "") + "/" + ref.value("name", ""),
                        age_cell(o), users, groups, sas});
  }
};

class PdbStrategy : public Strategy {
 public:
  void prepare_create(Json& obj) const override {
    obj["status"] = {{"disruptionsAllowed", 0}, {"currentHealthy", 0}, {"desiredHealthy", 0}, {"expectedPods", 0}};
  }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Min Available", "string", "", "The minimum number of pods that must be available.", 0},
            {"Max Unavailable", "string", "", "The maximum number of pods that may be unavailable.", 0},
            {"Allowed Disruptions", "integer", "", "Calculated number of pods that may be disrupted at this time.", 0}, age_column()};
  }
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    auto cell = [&](const char* k) {
      if (!spec.contains(k)) return std::string("N/A");
      return spec[k].is_string() ? spec[k].get<std::string>() : spec[k].dump();
    };
    return Json::array({o["metadata"].value("name", ""), cell("minAvailable"), cell("maxUnavailable"),
                        obj_at(o, "status").value("disruptionsAllowed", 0), age_cell(o)});
  }
};

class EndpointSliceStrategy : public Strategy {
 public:
  // SetDefaults_EndpointPort: name "" and protocol TCP.
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("ports") || !obj["ports"].is_array()) return;
    for (auto& p : obj["ports"]) {
      if (!p.is_object()) continue;
      if (!p.contains("name") || p["name"].is_null()) p["name"] = "";
      if (!p.contains("protocol") || p["protocol"].is_null()) p["protocol"] = "TCP";
    }
  }
  bool tracks_generation() const override { return true; }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"AddressType", "string", "", "The IP protocol for this slice.", 0},
            {"Ports", "string", "", "The ports exposed by this slice.", 0},
            {"Endpoints", "string", "", "Endpoints in this slice.", 0}, age_column()};
  }
  // formatDiscoveryPorts / formatDiscoveryEndpoints: at most 3, then " + N more...", "<unset>" if none.
  Json row(const Json& o) const override {
    auto list_cell = [](const std::vector<std::string>& all) {
      std::string cell;
      for (size_t i = 0; i < std::min<size_t>(all.size(), 3); ++i) cell += (i ? "," : "") + all[i];
      if (all.size() > 3) cell += " + " + std::to_string(all.size() - 3) + " more...";
      return cell.empty() ? std::string("<unset>") : cell;
    };
    std::vector<std::string> ports, eps;
    for (const auto& p : arr_at(o, "ports")) {
      if (p.contains("port") && p["port"].is_number()) ports.push_back(std::to_string(p["port"].get<int64_t>()));
      else if (p.contains("name") && p["name"].is_string()) ports.push_back(p["name"].get<std::string>());
      else ports.push_back("*");
    }
    for (const auto& e : arr_at(o, "endpoints"))
      for (const auto& a : arr_at(e, "addresses"))
        if (a.is_string()) eps.push_back(a.get<std::string>());
    return Json::array({o["metadata"].value("name", ""), o.value("addressType", ""), list_cell(ports), list_cell(eps),
                        age_cell(o)});
  }
};

}  // namespace

const Strategy* other_strategy(const std::string& group, const std::string& resource) {
  static JobStrategy job;
  static CronJobStrategy cj;
  static LeaseStrategy lease;
  static PriorityClassStrategy pc;
  static BindingStrategy binding;
  static PdbStrategy pdb;
  static EndpointSliceStrategy eps;
  if (group == "events.k8s.io" && resource == "events") return &events_v1_strategy();
  if (resource == "jobs") return &job;
  if (resource == "cronjobs") return &cj;
  if (resource == "leases") return &lease;
  if (resource == "priorityclasses") return &pc;
  if (resource == "rolebindings" || resource == "clusterrolebindings") return &binding;
  if (resource == "poddisruptionbudgets") return &pdb;
  if (resource == "endpointslices") return &eps;
  return nullptr;
}

const Strategy& strategy_for(const ResourceInfo& r) {
  static Strategy plain;
  const Strategy* s = nullptr;
  if (r.group.empty()) s = core_strategy(r.resource);
  else if (r.group == "apps") s = apps_strategy(r.resource);
  else if (r.group == "networking.k8s.io") s = networking_strategy(r.resource);
  else if (r.group == "autoscaling") s = autoscaling_strategy(r.version, r.resource);
  else if (r.group == "certificates.k8s.io") s = certificates_strategy(r.resource);
  else s = other_strategy(r.group, r.resource);
  if (!s) s = storage_strategy(r.group, r.resource);
  if (!s) s = controllers_strategy(r.group, r.resource);
  return s ? *s : plain;
}

}  // namespace kapi::server
