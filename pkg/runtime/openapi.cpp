#include "pkg/runtime/openapi.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/docs.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

std::string ref(const std::string& name) { return "#/components/schemas/" + name; }

// {group, version} of a package name like io.k8s.api.apps.v1 / io.k8s.api.core.v1.
std::pair<std::string, std::string> group_version_of(const std::string& type_name) {
  static const std::string kApi = "io.k8s.api.";
  if (type_name.rfind(kApi, 0) != 0) return {"", ""};
  std::string rest = type_name.substr(kApi.size());
  auto d1 = rest.find('.');
  auto d2 = rest.find('.', d1 + 1);
  std::string group = rest.substr(0, d1);
  std::string version = rest.substr(d1 + 1, d2 - d1 - 1);
  if (group == "core") group = "";
  else if (group == "rbac") group = "rbac.authorization.k8s.io";
  else if (group != "apps" && group != "batch" && group != "policy" && group != "autoscaling")
    group += ".k8s.io";
  return {group, version};
}

Json special_schema(Kind k) {
  switch (k) {
    case Kind::kTime:
    case Kind::kMicroTime:
      return {{"description", "A timestamp in RFC 3339 form."}, {"type", "string"}, {"format", "date-time"}};
    case Kind::kQuantity:
      return {{"description", "A fixed-point number with an optional unit suffix, e.g. 500m or 1Gi."},
              {"oneOf", Json::array({{{"type", "string"}}, {{"type", "number"}}})}};
    case Kind::kIntOrString:
      return {{"description", "A value that is either an integer or a string."},
              {"oneOf", Json::array({{{"type", "integer"}}, {{"type", "string"}}})},
              {"format", "int-or-string"}};
    case Kind::kDuration:
      return {{"description", "A duration such as 1h30m."}, {"type", "string"}};
    case Kind::kRaw:
      return {{"description", "An embedded object in its serialized form."}, {"type", "object"}};
    default:
      return Json::object();
  }
}

Json property(const Type* t, Json& components);

void add_struct(const StructType& st, Json& components) {
  if (components.contains(st.name)) return;
  components[st.name] = Json::object();  // placeholder breaks recursion
  const Docs& docs = Docs::get();
  Json schema = Json::object();
  // Undocumented types and fields get no description: kubectl explain then says so honestly.
  if (auto d = docs.type(st); !d.empty()) schema["description"] = d;
  schema["type"] = "object";
  Json props = Json::object();
  Json required = Json::array();
  for (const Field* f : st.flat()) {
    Json p = Json::object();
    if (auto d = docs.field(*f); !d.empty()) p["description"] = d;
    p.update(property(f->type, components));
    if (!f->patch_strategy.empty()) p["x-kubernetes-patch-strategy"] = f->patch_strategy;
    if (!f->merge_key.empty()) p["x-kubernetes-patch-merge-key"] = f->merge_key;
    if (!f->list_type.empty()) p["x-kubernetes-list-type"] = f->list_type;
    if (!f->list_keys.empty()) p["x-kubernetes-list-map-keys"] = f->list_keys;
    if (!f->map_type.empty()) p["x-kubernetes-map-type"] = f->map_type;
    props[f->json] = p;
    if (f->required()) required.push_back(f->json);
  }
  if (!props.empty()) schema["properties"] = props;
  if (!required.empty()) schema["required"] = required;
  if (st.atomic) schema["x-kubernetes-map-type"] = "atomic";
  if (st.is_kind) {
    auto [group, version] = group_version_of(st.name);
    if (!version.empty())
      schema["x-kubernetes-group-version-kind"] =
          Json::array({{{"group", group}, {"kind", st.short_name}, {"version", version}}});
  }
  components[st.name] = schema;
}

Json property(const Type* t, Json& components) {
  switch (t->kind) {
    case Kind::kString: return {{"type", "string"}};
    case Kind::kBool: return {{"type", "boolean"}};
    case Kind::kInt32: return {{"type", "integer"}, {"format", "int32"}};
    case Kind::kInt64: return {{"type", "integer"}, {"format", "int64"}};
    case Kind::kFloat64: return {{"type", "number"}, {"format", "double"}};
    case Kind::kBytes: return {{"type", "string"}, {"format", "byte"}};
    case Kind::kTime:
    case Kind::kMicroTime:
    case Kind::kQuantity:
    case Kind::kIntOrString:
    case Kind::kDuration:
    case Kind::kRaw: {
      std::string name = special_component_name(t->kind);
      if (!components.contains(name)) components[name] = special_schema(t->kind);
      return {{"allOf", Json::array({{{"$ref", ref(name)}}})}};
    }
    case Kind::kStruct:
      add_struct(*t->st, components);
      return {{"default", Json::object()}, {"allOf", Json::array({{{"$ref", ref(t->st->name)}}})}};
    case Kind::kPointer: {
      Json p = property(t->elem, components);
      p.erase("default");
      return p;
    }
    case Kind::kSlice: {
      Json items = property(t->elem, components);
      return {{"type", "array"}, {"items", items}};
    }
    case Kind::kMap:
      return {{"type", "object"}, {"additionalProperties", property(t->elem, components)}};
  }
  return Json::object();
}

}  // namespace

std::string special_component_name(Kind kind) {
  switch (kind) {
    case Kind::kTime: return "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    case Kind::kMicroTime: return "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    case Kind::kQuantity: return "io.k8s.apimachinery.pkg.api.resource.Quantity";
    case Kind::kIntOrString: return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    case Kind::kDuration: return "io.k8s.apimachinery.pkg.apis.meta.v1.Duration";
    case Kind::kRaw: return "io.k8s.apimachinery.pkg.runtime.RawExtension";
    default: return "";
  }
}

void add_component_schemas(const StructType& type, Json& components) { add_struct(type, components); }

}  // namespace kapi::runtime
