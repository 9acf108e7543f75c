// autoscaling/v1 HorizontalPodAutoscalers served from autoscaling/v2 storage, as upstream's
// pkg/apis/autoscaling/v1/conversion.go does through the internal type: v1 carries only the CPU
// utilization target; every other metric, the current metrics, the conditions and the behavior
// travel in autoscaling.alpha.kubernetes.io/* annotations.
#include "server/registry/kinds/hpa_conversion.h"

#include <nlohmann/json.hpp>

#include <array>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "server/registry/json_access.h"

namespace kapi::server {
namespace {

constexpr const char* kMetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
constexpr const char* kCurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
constexpr const char* kConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
constexpr const char* kBehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";
constexpr std::array<const char*, 4> kRoundTrip{kMetricsAnnotation, kCurrentMetricsAnnotation, kConditionsAnnotation,
                                                kBehaviorAnnotation};

// Sets out[key] = in[key] when present and not null.
void copy(Json& out, const char* key, const Json& in, const char* from) {
  auto it = in.find(from);
  if (it != in.end() && !it->is_null()) out[key] = *it;
}

// json.Marshal of a v1 value: the typed encoding (field order, omitempty) without the spaces.
std::string marshal_v1(const Json& list, const char* type) {
  const runtime::StructType* t = runtime::Schema::get().find("io.k8s.api.autoscaling.v1", type);
  Json out = Json::array();
  for (const auto& item : list) {
    runtime::DecodeResult dr;
    out.push_back(t ? runtime::normalize(item, *t, dr) : item);
  }
  return out.dump();
}

bool is_cpu_utilization(const Json& m) {
  const Json& r = obj_at(m, "resource");
  return m.value("type", "") == "Resource" && r.value("name", "") == "cpu" &&
         obj_at(r, "target").contains("averageUtilization");
}

Json metric_spec_to_v1(const Json& m) {
  Json out = {{"type", m.value("type", "")}};
  auto source = [](const Json& s, bool with_container) {
    Json r = {{"name", s.value("name", "")}};
    copy(r, "targetAverageUtilization", obj_at(s, "target"), "averageUtilization");
    copy(r, "targetAverageValue", obj_at(s, "target"), "averageValue");
    if (with_container) r["container"] = s.value("container", "");
    return r;
  };
  if (m.contains("resource")) out["resource"] = source(m["resource"], false);
  if (m.contains("containerResource")) out["containerResource"] = source(m["containerResource"], true);
  if (m.contains("pods")) {
    const Json& p = m["pods"];
    Json r = {{"metricName", obj_at(p, "metric").value("name", "")}};
    copy(r, "targetAverageValue", obj_at(p, "target"), "averageValue");
    copy(r, "selector", obj_at(p, "metric"), "selector");
    out["pods"] = r;
  }
  if (m.contains("object")) {
    const Json& o = m["object"];
    Json r = {{"target", obj_at(o, "describedObject")}, {"metricName", obj_at(o, "metric").value("name", "")}};
    copy(r, "targetValue", obj_at(o, "target"), "value");
    copy(r, "selector", obj_at(o, "metric"), "selector");
    copy(r, "averageValue", obj_at(o, "target"), "averageValue");
    out["object"] = r;
  }
  if (m.contains("external")) {
    const Json& e = m["external"];
    Json r = {{"metricName", obj_at(e, "metric").value("name", "")}};
    copy(r, "metricSelector", obj_at(e, "metric"), "selector");
    copy(r, "targetValue", obj_at(e, "target"), "value");
    copy(r, "targetAverageValue", obj_at(e, "target"), "averageValue");
    out["external"] = r;
  }
  return out;
}

Json metric_spec_from_v1(const Json& m) {
  Json out = {{"type", m.value("type", "")}};
  auto source = [](const Json& s, bool with_container) {
    Json r = {{"name", s.value("name", "")}};
    Json target = {{"type", s.contains("targetAverageUtilization") ? "Utilization" : "AverageValue"}};
    copy(target, "averageValue", s, "targetAverageValue");
    copy(target, "averageUtilization", s, "targetAverageUtilization");
    r["target"] = target;
    if (with_container) r["container"] = s.value("container", "");
    return r;
  };
  auto metric = [](const Json& s, const char* name, const char* selector) {
    Json id = {{"name", s.value(name, "")}};
    copy(id, "selector", s, selector);
    return id;
  };
  if (m.contains("resource")) out["resource"] = source(m["resource"], false);
  if (m.contains("containerResource")) out["containerResource"] = source(m["containerResource"], true);
  if (m.contains("pods")) {
    Json target = {{"type", "AverageValue"}};
    copy(target, "averageValue", m["pods"], "targetAverageValue");
    out["pods"] = {{"metric", metric(m["pods"], "metricName", "selector")}, {"target", target}};
  }
  if (m.contains("object")) {
    const Json& o = m["object"];
    Json target = {{"type", o.contains("averageValue") ? "AverageValue" : "Value"}};
    target["value"] = o.contains("targetValue") ? o["targetValue"] : Json("0");
    copy(target, "averageValue", o, "averageValue");
    out["object"] = {{"describedObject", obj_at(o, "target")}, {"target", target},
                     {"metric", metric(o, "metricName", "selector")}};
  }
  if (m.contains("external")) {
    const Json& e = m["external"];
    Json target = {{"type", e.contains("targetValue") ? "Value" : "AverageValue"}};
    copy(target, "value", e, "targetValue");
    copy(target, "averageValue", e, "targetAverageValue");
    out["external"] = {{"metric", metric(e, "metricName", "metricSelector")}, {"target", target}};
  }
  return out;
}

Json metric_status_to_v1(const Json& m) {
  Json out = {{"type", m.value("type", "")}};
  auto source = [](const Json& s, bool with_container) {
    Json r = {{"name", s.value("name", "")}};
    copy(r, "currentAverageUtilization", obj_at(s, "current"), "averageUtilization");
    r["currentAverageValue"] = obj_at(s, "current").value("averageValue", Json("0"));
    if (with_container) r["container"] = s.value("container", "");
    return r;
  };
  if (m.contains("resource")) out["resource"] = source(m["resource"], false);
  if (m.contains("containerResource")) out["containerResource"] = source(m["containerResource"], true);
  if (m.contains("pods")) {
    const Json& p = m["pods"];
    Json r = {{"metricName", obj_at(p, "metric").value("name", "")},
              {"currentAverageValue", obj_at(p, "current").value("averageValue", Json("0"))}};
    copy(r, "selector", obj_at(p, "metric"), "selector");
    out["pods"] = r;
  }
  if (m.contains("object")) {
    const Json& o = m["object"];
    Json r = {{"target", obj_at(o, "describedObject")}, {"metricName", obj_at(o, "metric").value("name", "")},
              {"currentValue", obj_at(o, "current").value("value", Json("0"))}};
    copy(r, "selector", obj_at(o, "metric"), "selector");
    copy(r, "averageValue", obj_at(o, "current"), "averageValue");
    out["object"] = r;
  }
  if (m.contains("external")) {
    const Json& e = m["external"];
    Json r = {{"metricName", obj_at(e, "metric").value("name", "")},
              {"currentValue", obj_at(e, "current").value("value", Json("0"))}};
    copy(r, "metricSelector", obj_at(e, "metric"), "selector");
    copy(r, "currentAverageValue", obj_at(e, "current"), "averageValue");
    out["external"] = r;
  }
  return out;
}

Json metric_status_from_v1(const Json& m) {
  Json out = {{"type", m.value("type", "")}};
  auto source = [](const Json& s, bool with_container) {
    Json current = Json::object();
    copy(current, "averageValue", s, "currentAverageValue");
    copy(current, "averageUtilization", s, "currentAverageUtilization");
    Json r = {{"name", s.value("name", "")}, {"current", current}};
    if (with_container) r["container"] = s.value("container", "");
    return r;
  };
  auto metric = [](const Json& s, const char* selector) {
    Json id = {{"name", s.value("metricName", "")}};
    copy(id, "selector", s, selector);
    return id;
  };
  if (m.contains("resource")) out["resource"] = source(m["resource"], false);
  if (m.contains("containerResource")) out["containerResource"] = source(m["containerResource"], true);
  if (m.contains("pods"))
    out["pods"] = {{"metric", metric(m["pods"], "selector")},
                   {"current", {{"averageValue", m["pods"].value("currentAverageValue", Json("0"))}}}};
  if (m.contains("object")) {
    Json current = {{"value", m["object"].value("currentValue", Json("0"))}};
    copy(current, "averageValue", m["object"], "averageValue");
    out["object"] = {{"metric", metric(m["object"], "selector")}, {"current", current},
                     {"describedObject", obj_at(m["object"], "target")}};
  }
  if (m.contains("external")) {
    Json current = {{"value", m["external"].value("currentValue", Json("0"))}};
    copy(current, "averageValue", m["external"], "currentAverageValue");
    out["external"] = {{"metric", metric(m["external"], "metricSelector")}, {"current", current}};
  }
  return out;
}

// The behavior annotation holds the internal Go type marshalled without JSON tags.
Json behavior_to_internal(const Json& b) {
  Json out = Json::object();
  for (const auto& [key, go] : {std::pair{"scaleUp", "ScaleUp"}, std::pair{"scaleDown", "ScaleDown"}}) {
    if (!b.contains(key) || !b[key].is_object()) {
      out[go] = nullptr;
      continue;
    }
    const Json& r = b[key];
    Json policies = nullptr;
    if (r.contains("policies") && r["policies"].is_array()) {
      policies = Json::array();
      for (const auto& p : r["policies"])
        policies.push_back({{"Type", p.value("type", "")}, {"Value", p.value("value", 0)}, {"PeriodSeconds", p.value("periodSeconds", 0)}});
    }
    out[go] = {{"StabilizationWindowSeconds", r.value("stabilizationWindowSeconds", Json())},
               {"SelectPolicy", r.value("selectPolicy", Json())},
               {"Policies", policies},
               {"Tolerance", r.value("tolerance", Json())}};
  }
  return out;
}

Json behavior_from_internal(const Json& b) {
  Json out = Json::object();
  for (const auto& [key, go] : {std::pair{"scaleUp", "ScaleUp"}, std::pair{"scaleDown", "ScaleDown"}}) {
    if (!b.contains(go) || !b[go].is_object()) continue;
    const Json& r = b[go];
    Json rules = Json::object();
    copy(rules, "stabilizationWindowSeconds", r, "StabilizationWindowSeconds");
    copy(rules, "selectPolicy", r, "SelectPolicy");
    if (r.contains("Policies") && r["Policies"].is_array()) {
      rules["policies"] = Json::array();
      for (const auto& p : r["Policies"])
        rules["policies"].push_back({{"type", p.value("Type", "")}, {"value", p.value("Value", 0)}, {"periodSeconds", p.value("PeriodSeconds", 0)}});
    }
    copy(rules, "tolerance", r, "Tolerance");
    out[key] = rules;
  }
  return out;
}

// The annotation's JSON, or null when it is missing or does not parse (upstream ignores it then).
Json annotation_json(const Json& annotations, const char* key) {
  auto it = annotations.find(key);
  if (it == annotations.end() || !it->is_string()) return nullptr;
  Json j = Json::parse(it->get<std::string>(), nullptr, false);
  return j.is_discarded() ? Json(nullptr) : j;
}

class HpaV1Converter : public VersionConverter {
 public:
  // Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler.
  Json to_storage(Json in) const override {
    Json out = in;
    out["apiVersion"] = "autoscaling/v2";
    const Json annotations = obj_at(obj_at(in, "metadata"), "annotations");
    const Json& spec = obj_at(in, "spec");
    Json s = Json::object();
    s["scaleTargetRef"] = obj_at(spec, "scaleTargetRef");
    copy(s, "minReplicas", spec, "minReplicas");
    s["maxReplicas"] = spec.value("maxReplicas", 0);
    Json metrics = Json::array();
    Json other = annotation_json(annotations, kMetricsAnnotation);
    if (other.is_array())
      for (const auto& m : other) metrics.push_back(metric_spec_from_v1(m));
    if (spec.contains("targetCPUUtilizationPercentage") && spec["targetCPUUtilizationPercentage"].is_number())
      metrics.push_back({{"type", "Resource"},
                         {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", spec["targetCPUUtilizationPercentage"]}}}}}});
    // v1's implicit controller default, made explicit.
    if (metrics.empty())
      metrics.push_back({{"type", "Resource"},
                         {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}});
    s["metrics"] = metrics;
    Json behavior = annotation_json(annotations, kBehaviorAnnotation);
    if (behavior.is_object()) {
      Json b = behavior_from_internal(behavior);
      if (!b.empty()) s["behavior"] = b;
    }
    out["spec"] = s;
    if (in.contains("status") && in["status"].is_object()) {
      const Json& st = in["status"];
      Json o = Json::object();
      copy(o, "observedGeneration", st, "observedGeneration");
      copy(o, "lastScaleTime", st, "lastScaleTime");
      copy(o, "currentReplicas", st, "currentReplicas");
      o["desiredReplicas"] = st.value("desiredReplicas", 0);
      Json current = annotation_json(annotations, kCurrentMetricsAnnotation);
      if (current.is_array()) {
        o["currentMetrics"] = Json::array();
        for (const auto& m : current) o["currentMetrics"].push_back(metric_status_from_v1(m));
      } else if (st.contains("currentCPUUtilizationPercentage") && st["currentCPUUtilizationPercentage"].is_number()) {
        o["currentMetrics"] = Json::array({{{"type", "Resource"},
                                            {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", st["currentCPUUtilizationPercentage"]}}}}}}});
      }
      Json conditions = annotation_json(annotations, kConditionsAnnotation);
      if (conditions.is_array()) o["conditions"] = conditions;
      out["status"] = o;
    }
    drop_round_trip(out);
    return out;
  }

  // Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler.
  Json from_storage(Json in) const override {
    Json out = in;
    out["apiVersion"] = "autoscaling/v1";
    drop_round_trip(out);
    const Json& spec = obj_at(in, "spec");
    Json s = Json::object();
    s["scaleTargetRef"] = obj_at(spec, "scaleTargetRef");
    copy(s, "minReplicas", spec, "minReplicas");
    s["maxReplicas"] = spec.value("maxReplicas", 0);
    Json other = Json::array();
    bool cpu_seen = false;
    for (const auto& m : arr_at(spec, "metrics")) {
      if (!cpu_seen && m.value("type", "") == "Resource" && obj_at(m, "resource").value("name", "") == "cpu") {
        cpu_seen = true;
        copy(s, "targetCPUUtilizationPercentage", obj_at(m["resource"], "target"), "averageUtilization");
      }
      if (!is_cpu_utilization(m)) other.push_back(metric_spec_to_v1(m));
    }
    out["spec"] = s;
    Json annotations = obj_at(obj_at(out, "metadata"), "annotations");
    if (!other.empty()) annotations[kMetricsAnnotation] = marshal_v1(other, "MetricSpec");
    const Json& st = obj_at(in, "status");
    Json o = Json::object();
    copy(o, "observedGeneration", st, "observedGeneration");
    copy(o, "lastScaleTime", st, "lastScaleTime");
    o["currentReplicas"] = st.value("currentReplicas", 0);
    o["desiredReplicas"] = st.value("desiredReplicas", 0);
    const Json& current = arr_at(st, "currentMetrics");
    Json current_v1 = Json::array();
    for (const auto& m : current) {
      current_v1.push_back(metric_status_to_v1(m));
      if (m.value("type", "") == "Resource" && obj_at(m, "resource").value("name", "") == "cpu")
        copy(o, "currentCPUUtilizationPercentage", obj_at(m["resource"], "current"), "averageUtilization");
    }
    if (!current.empty()) annotations[kCurrentMetricsAnnotation] = marshal_v1(current_v1, "MetricStatus");
    if (spec.contains("behavior") && spec["behavior"].is_object())
      annotations[kBehaviorAnnotation] = behavior_to_internal(spec["behavior"]).dump();
    const Json& conditions = arr_at(st, "conditions");
    if (!conditions.empty()) annotations[kConditionsAnnotation] = marshal_v1(conditions, "HorizontalPodAutoscalerCondition");
    if (!annotations.empty()) out["metadata"]["annotations"] = annotations;
    if (in.contains("status")) out["status"] = o;
    return out;
  }

  bool field_label(const std::string& label, std::string& stored_label) const override {
    stored_label = label;
    return label == "metadata.name" || label == "metadata.namespace";
  }

 private:
  // DropRoundTripHorizontalPodAutoscalerAnnotations.
  static void drop_round_trip(Json& obj) {
    if (!obj.contains("metadata") || !obj["metadata"].contains("annotations")) return;
    Json& a = obj["metadata"]["annotations"];
    if (!a.is_object()) return;
    for (const char* k : kRoundTrip) a.erase(k);
    if (a.empty()) obj["metadata"].erase("annotations");
  }
};

}  // namespace

const VersionConverter& hpa_v1_converter() {
  static HpaV1Converter c;
  return c;
}

}  // namespace kapi::server
