// autoscaling HorizontalPodAutoscaler: v2 (stored) and v1 (converted through v2)
// (pkg/registry/autoscaling/horizontalpodautoscaler, pkg/apis/autoscaling/validation,
// pkg/apis/autoscaling/v2/defaults.go, printers.go formatHPAMetrics).
#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "server/registry/json_access.h"
#include "server/registry/kinds/hpa_conversion.h"
#include "server/registry/kinds/kinds.h"
#include "server/registry/kinds/pod_spec.h"

namespace kapi::server {
namespace {

using runtime::StatusCause;

bool unset(const Json& o, const char* k) { return !o.contains(k) || o[k].is_null(); }

std::string quantity(const Json& o, const char* k) {
  auto it = o.find(k);
  if (it == o.end() || it->is_null()) return "0";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// formatHPAMetrics.
std::string format_metrics(const Json& specs, const Json& statuses) {
  if (specs.empty()) return "<none>";
  std::vector<std::string> list;
  for (size_t i = 0; i < specs.size(); ++i) {
    const Json& spec = specs[i];
    const Json* status = i < statuses.size() ? &statuses[i] : nullptr;
    std::string type = spec.value("type", "");
    auto current_of = [&](const char* kind) -> const Json* {
      if (!status || !status->contains(kind) || !(*status)[kind].is_object()) return nullptr;
      return &obj_at((*status)[kind], "current");
    };
    if (type == "External" || type == "Object") {
      const char* kind = type == "External" ? "external" : "object";
      const Json& target = obj_at(obj_at(spec, kind), "target");
      const Json* cur = current_of(kind);
      if (target.contains("averageValue")) {
        std::string current = cur && cur->contains("averageValue") ? quantity(*cur, "averageValue") : "<unknown>";
        list.push_back(current + "/" + quantity(target, "averageValue") + " (avg)");
      } else {
        std::string current = cur ? quantity(*cur, "value") : "<unknown>";
        list.push_back(current + "/" + quantity(target, "value"));
      }
    } else if (type == "Pods") {
      const Json* cur = current_of("pods");
      std::string current = cur ? quantity(*cur, "averageValue") : "<unknown>";
      list.push_back(current + "/" + quantity(obj_at(obj_at(spec, "pods"), "target"), "averageValue"));
    } else if (type == "Resource" || type == "ContainerResource") {
      const char* kind = type == "Resource" ? "resource" : "containerResource";
      const Json& src = obj_at(spec, kind);
      const Json& target = obj_at(src, "target");
      const Json* cur = current_of(kind);
      std::string name = src.value("name", "");
      if (target.contains("averageValue") && !target["averageValue"].is_null()) {
        std::string current = cur ? quantity(*cur, "averageValue") : "<unknown>";
        list.push_back(name + ": " + current + "/" + quantity(target, "averageValue"));
      } else {
        std::string current = cur && cur->contains("averageUtilization")
                                  ? std::to_string((*cur)["averageUtilization"].get<int64_t>()) + "%" : "<unknown>";
        std::string t = target.contains("averageUtilization") && target["averageUtilization"].is_number()
                            ? std::to_string(target["averageUtilization"].get<int64_t>()) + "%" : "<auto>";
        list.push_back(name + ": " + current + "/" + t);
      }
    } else {
      list.push_back("<unknown type>");
    }
  }
  size_t count = list.size();
  std::string out;
  for (size_t i = 0; i < list.size() && i < 2; ++i) out += (i ? ", " : "") + list[i];
  if (count > 2) out += " + " + std::to_string(count - 2) + " more...";
  return out;
}

class HpaStrategy : public Strategy {
 public:
  // SetDefaults_HorizontalPodAutoscaler (v2).
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Json::object();
    Json& spec = obj["spec"];
    if (unset(spec, "minReplicas")) spec["minReplicas"] = 1;
    if (!spec.contains("metrics") || !spec["metrics"].is_array() || spec["metrics"].empty())
      spec["metrics"] = Json::array({{{"type", "Resource"},
                                      {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}});
    if (spec.contains("behavior") && spec["behavior"].is_object()) {
      Json& b = spec["behavior"];
      Json up = {{"stabilizationWindowSeconds", 0}, {"selectPolicy", "Max"},
                 {"policies", Json::array({{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}},
                                           {{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}})}};
      // Scale-down keeps no stabilization default: the controller's flag supplies it.
      Json down = {{"selectPolicy", "Max"}, {"policies", Json::array({{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}})}};
      for (auto& [key, rules] : {std::pair<const char*, Json&>{"scaleUp", up}, std::pair<const char*, Json&>{"scaleDown", down}}) {
        if (b.contains(key) && b[key].is_object())
          for (auto it = b[key].begin(); it != b[key].end(); ++it)
            if (!it.value().is_null()) rules[it.key()] = it.value();
        b[key] = rules;
      }
    }
  }
  void prepare_create(Json& obj) const override {
    obj["status"] = {{"currentMetrics", nullptr}, {"desiredReplicas", 0}};
  }
  bool has_status() const override { return true; }
  bool tracks_generation() const override { return true; }
  // ValidateHorizontalPodAutoscalerSpec (the common checks).
  std::vector<StatusCause> validate(const Json& obj) const override {
    std::vector<StatusCause> out;
    const Json& spec = obj_at(obj, "spec");
    int64_t min = spec.contains("minReplicas") && spec["minReplicas"].is_number_integer() ? spec["minReplicas"].get<int64_t>() : 1;
    int64_t max = spec.value("maxReplicas", int64_t{0});
    if (min < 1) out.push_back(runtime::field_invalid("spec.minReplicas", std::to_string(min), "must be greater than or equal to 1"));
    if (max < 1) out.push_back(runtime::field_invalid("spec.maxReplicas", std::to_string(max), "must be greater than 0"));
    if (max < min) out.push_back(runtime::field_invalid("spec.maxReplicas", std::to_string(max), "must be greater than or equal to `minReplicas`"));
    const Json& ref = obj_at(spec, "scaleTargetRef");
    for (const char* k : {"kind", "name"}) {
      std::string v = ref.value(k, "");
      std::string path = std::string("spec.scaleTargetRef.") + k;
      if (v.empty()) out.push_back(runtime::field_required(path));
      else if (v.find('/') != std::string::npos || v.find('%') != std::string::npos || v == "." || v == "..")
        out.push_back(runtime::field_invalid(path, quote(v), v == "." || v == ".." ? "may not be '" + v + "'"
                                                                  : std::string("may not contain '") + (v.find('/') != std::string::npos ? "/" : "%") + "'"));
    }
    const Json& metrics = arr_at(spec, "metrics");
    for (size_t i = 0; i < metrics.size(); ++i) {
      std::string type = metrics[i].value("type", "");
      std::string path = "spec.metrics[" + std::to_string(i) + "].type";
      if (type.empty()) out.push_back(runtime::field_required(path, "must specify a metric source type"));
      else if (type != "Object" && type != "Pods" && type != "Resource" && type != "ContainerResource" && type != "External")
        out.push_back(runtime::field_unsupported(path, quote(type), {"ContainerResource", "External", "Object", "Pods", "Resource"}));
    }
    return out;
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(),
            {"Reference", "string", "", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.", 0},
            {"Targets", "string", "", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).", 0},
            {"MinPods", "string", "", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.", 0},
            {"MaxPods", "string", "", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.", 0},
            {"Replicas", "string", "", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.", 0},
            age_column()};
  }
  // printHorizontalPodAutoscaler (rows come from the stored v2 shape for both versions).
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    const Json& ref = obj_at(spec, "scaleTargetRef");
    std::string min = spec.contains("minReplicas") && spec["minReplicas"].is_number() ? std::to_string(spec["minReplicas"].get<int64_t>()) : "<unset>";
    return Json::array({o["metadata"].value("name", ""), ref.value("kind", "") + "/" + ref.value("name", ""),
                        format_metrics(arr_at(spec, "metrics"), arr_at(obj_at(o, "status"), "currentMetrics")), min,
                        spec.value("maxReplicas", int64_t{0}), obj_at(o, "status").value("currentReplicas", int64_t{0}), age_cell(o)});
  }
};

// autoscaling/v1: v1's own defaults, then the object as it reads back from v2 storage (v1's
// implicit 80% CPU target made explicit); validation and rows are v2's.
class HpaV1Strategy : public HpaStrategy {
 public:
  void apply_defaults(Json& obj) const override {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Json::object();
    if (unset(obj["spec"], "minReplicas")) obj["spec"]["minReplicas"] = 1;
    Json v2 = hpa_v1_converter().to_storage(obj);
    HpaStrategy::apply_defaults(v2);
    obj = normalized_v1(hpa_v1_converter().from_storage(std::move(v2)));
  }
  void prepare_create(Json& obj) const override { obj["status"] = {{"currentReplicas", 0}, {"desiredReplicas", 0}}; }
  std::vector<StatusCause> validate(const Json& obj) const override {
    return HpaStrategy::validate(hpa_v1_converter().to_storage(obj));
  }

 private:
  static Json normalized_v1(Json obj) {
    runtime::DecodeResult dr;
    return runtime::normalize(std::move(obj), *runtime::Schema::get().find("io.k8s.api.autoscaling.v1", "HorizontalPodAutoscaler"), dr);
  }
};

}  // namespace

const Strategy* autoscaling_strategy(const std::string& version, const std::string& resource) {
  static HpaStrategy v2;
  static HpaV1Strategy v1;
  if (resource != "horizontalpodautoscalers") return nullptr;
  return version == "v1" ? &v1 : &v2;
}

}  // namespace kapi::server
