// core/v1 ReplicationController and PodTemplate, apps/v1 ControllerRevision
// (pkg/registry/core/{replicationcontroller,podtemplate}, pkg/registry/apps/controllerrevision,
// pkg/apis/{core,apps}/validation, printers.go).
#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"

namespace kapi::server {
namespace {

using runtime::StatusCause;

void containers_images(const Json& pod_spec, std::string& names, std::string& images) {
  for (const auto& c : arr_at(pod_spec, "containers")) {
    names += (names.empty() ? "" : ",") + c.value("name", "");
    images += (images.empty() ? "" : ",") + c.value("image", "");
  }
}

// labels.FormatLabels: "<none>" for an empty set.
std::string labels_or_none(const Json& m) {
  std::string s = format_labels(m);
  return s.empty() ? "<none>" : s;
}

class ReplicationControllerStrategy : public Strategy {
 public:
  // SetDefaults_ReplicationController: selector and labels from the template, one replica.
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) return;
    Json& spec = obj["spec"];
    const Json& tl = obj_at(obj_at(obj_at(spec, "template"), "metadata"), "labels");
    if (!tl.empty()) {
      if (obj_at(spec, "selector").empty()) spec["selector"] = tl;
      Json& meta = obj["metadata"];
      if (obj_at(meta, "labels").empty()) meta["labels"] = tl;
    }
    if (!spec.contains("replicas") || spec["replicas"].is_null()) spec["replicas"] = 1;
    if (spec.contains("template") && spec["template"].is_object() && spec["template"].contains("spec"))
      default_pod_spec(spec["template"]["spec"]);
  }
  void prepare_create(Json& obj) const override { obj["status"] = {{"replicas", 0}}; }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  // ValidateReplicationControllerSpec.
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    const Json& selector = obj_at(spec, "selector");
    if (selector.empty()) out.push_back(runtime::field_required("spec.selector"));
    if (spec.contains("replicas") && spec["replicas"].is_number_integer() && spec["replicas"].get<int64_t>() < 0)
      out.push_back(runtime::field_invalid("spec.replicas", std::to_string(spec["replicas"].get<int64_t>()),
                                           "must be greater than or equal to 0"));
    if (!spec.contains("template") || !spec["template"].is_object()) {
      out.push_back(runtime::field_required("spec.template"));
      return out;
    }
    const Json& tmpl = spec["template"];
    const Json& labels = obj_at(obj_at(tmpl, "metadata"), "labels");
    bool matches = !selector.empty();
    for (auto it = selector.begin(); it != selector.end(); ++it)
      if (!labels.contains(it.key()) || labels[it.key()] != it.value()) matches = false;
    if (!selector.empty() && !matches)
      out.push_back(runtime::field_invalid("spec.template.metadata.labels", go_map_literal(labels),
                                           "selector does not match template labels"));
    validate_pod_spec(obj_at(tmpl, "spec"), "spec.template.spec", out);
    std::string rp = obj_at(tmpl, "spec").value("restartPolicy", "Always");
    if (rp != "Always")
      out.push_back(runtime::field_unsupported("spec.template.spec.restartPolicy", quote(rp), {"Always"}));
    return out;
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("status.replicas", std::to_string(obj_at(obj, "status").value("replicas", 0)));
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Desired", "integer", "", "Replicas is the number of desired replicas.", 0},
            {"Current", "integer", "", "Replicas is the most recently observed number of replicas.", 0},
            {"Ready", "integer", "", "The number of ready replicas for this replication controller.", 0},
            age_column(),
            {"Containers", "string", "", "Names of each container in the template.", 1},
            {"Images", "string", "", "Images referenced by each container in the template.", 1},
            {"Selector", "string", "", "Selector is a label query over pods that should match the Replicas count.", 1}};
  }
  // printReplicationController (wide: the server always fills every column).
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& st = obj_at(o, "status");
    std::string names, images;
    containers_images(obj_at(obj_at(spec, "template"), "spec"), names, images);
    return Json::array({o["metadata"].value("name", ""), spec.value("replicas", int64_t{0}), st.value("replicas", 0),
                        st.value("readyReplicas", 0), age_cell(o), names, images, labels_or_none(obj_at(spec, "selector"))});
  }
};

class PodTemplateStrategy : public Strategy {
 public:
  bool tracks_generation() const override { return true; }
  void apply_defaults(Json& obj) const override {
    if (obj.contains("template") && obj["template"].is_object() && obj["template"].contains("spec"))
      default_pod_spec(obj["template"]["spec"]);
  }
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    validate_pod_spec(obj_at(obj_at(obj, "template"), "spec"), "template.spec", out);
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Containers", "string", "", "Names of each container in the template.", 0},
            {"Images", "string", "", "Images referenced by each container in the template.", 0},
            {"Pod Labels", "string", "", "The labels for the pod template.", 0}};
  }
  Json row(const Json& o) const override {
    const Json& tmpl = obj_at(o, "template");
    std::string names, images;
    containers_images(obj_at(tmpl, "spec"), names, images);
    return Json::array({o["metadata"].value("name", ""), names, images,
                        labels_or_none(obj_at(obj_at(tmpl, "metadata"), "labels"))});
  }
};

class ControllerRevisionStrategy : public Strategy {
 public:
  // ValidateControllerRevision: revision must be non-negative; data is immutable.
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    if (obj.contains("revision") && obj["revision"].is_number_integer() && obj["revision"].get<int64_t>() < 0)
      out.push_back(runtime::field_invalid("revision", std::to_string(obj["revision"].get<int64_t>()),
                                           "must be greater than or equal to 0"));
    return out;
  }
  std::vector<StatusCause> validate_update(const Json& obj, const Json& old) const override {
    auto out = validate(obj);
    if (obj.value("data", Json()) != old.value("data", Json()))
      out.push_back(runtime::field_invalid("data", "\"\"", "field is immutable"));
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), {"Controller", "string", "", "Controller of the object", 0},
            {"Revision", "string", "", "Revision indicates the revision of the state represented by Data.", 0}, age_column()};
  }
  // printControllerRevision: the controller owner as "kind.group/name" in lower case.
  Json row(const Json& o) const override {
    std::string controller = "<none>";
    for (const auto& ref : arr_at(o["metadata"], "ownerReferences")) {
      if (!ref.value("controller", false)) continue;
      std::string api_version = ref.value("apiVersion", "");
      auto slash = api_version.find('/');
      std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
      std::string kind = ref.value("kind", "");
      std::string gk = group.empty() ? kind : kind + "." + group;
      for (auto& c : gk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      controller = gk.empty() ? ref.value("name", "") : gk + "/" + ref.value("name", "");
      break;
    }
    return Json::array({o["metadata"].value("name", ""), controller, o.value("revision", int64_t{0}), age_cell(o)});
  }
};

}  // namespace

const Strategy* controllers_strategy(const std::string& group, const std::string& resource) {
  static ReplicationControllerStrategy rc;
  static PodTemplateStrategy pod_template;
  static ControllerRevisionStrategy revision;
  if (group.empty() && resource == "replicationcontrollers") return &rc;
  if (group.empty() && resource == "podtemplates") return &pod_template;
  if (group == "apps" && resource == "controllerrevisions") return &revision;
  return nullptr;
}

}  // namespace kapi::server
