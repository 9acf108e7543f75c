#include "server/registry/kinds/pod_ephemeral.h"

#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"
#include "server/registry/kinds/pod_spec.h"

namespace kapi::server {

using runtime::StatusCause;

void validate_ephemeral_containers(const Json& spec, const std::string& path, const std::set<std::string>& names,
                                   std::vector<StatusCause>& out) {
  const Json& ecs = arr_at(spec, "ephemeralContainers");
  std::set<std::string> all = names;
  for (size_t i = 0; i < ecs.size(); ++i) {
    const Json& c = ecs[i];
    if (!c.is_object()) continue;
    std::string p = path + ".ephemeralContainers[" + std::to_string(i) + "]";
    validate_container(c, p, all, out);
    std::string target = c.value("targetContainerName", "");
    if (!target.empty() && !names.count(target))
      out.push_back({"FieldValueNotFound", "Not found: " + quote(target), p + ".targetContainerName"});
    // allowedEphemeralContainerFields: the fields outside the allow list, in struct order. A
    // zero value (resources: {}) is not "set".
    for (const char* k : {"ports", "resources", "resizePolicy", "restartPolicy", "livenessProbe", "readinessProbe",
                          "startupProbe", "lifecycle"}) {
      if (!c.contains(k) || c[k].is_null()) continue;
      const Json& v = c[k];
      bool zero = (v.is_array() || v.is_object()) ? v.empty() : (v.is_string() && v.get<std::string>().empty());
      if (std::string(k) == "resources" && v.is_object()) {
        zero = true;
        for (auto it = v.begin(); it != v.end(); ++it)
          if (!it.value().is_null() && !it.value().empty()) zero = false;
      }
      if (std::string(k) == "restartPolicy" || std::string(k).find("Probe") != std::string::npos ||
          std::string(k) == "lifecycle")
        zero = false;  // pointers: set as soon as present
      if (!zero) out.push_back(runtime::field_forbidden(p + "." + k, "cannot be set for an Ephemeral Container"));
    }
    const Json& mounts = arr_at(c, "volumeMounts");
    for (size_t j = 0; j < mounts.size(); ++j) {
      std::string mp = p + ".volumeMounts[" + std::to_string(j) + "]";
      if (!mounts[j].value("subPath", "").empty())
        out.push_back(runtime::field_forbidden(mp + ".subPath", "cannot be set for an Ephemeral Container"));
      if (!mounts[j].value("subPathExpr", "").empty())
        out.push_back(runtime::field_forbidden(mp + ".subPathExpr", "cannot be set for an Ephemeral Container"));
    }
  }
}

void prepare_ephemeral_containers_update(Json& obj, const Json& old) {
  Json pod = old;
  Json& meta = pod["metadata"];
  const Json& new_meta = obj_at(obj, "metadata");
  for (const char* k : {"name", "namespace", "resourceVersion", "uid"}) {
    if (new_meta.contains(k)) meta[k] = new_meta[k];
    else meta.erase(k);
  }
  if (!pod.contains("spec") || !pod["spec"].is_object()) pod["spec"] = Json::object();
  const Json& ecs = arr_at(obj_at(obj, "spec"), "ephemeralContainers");
  if (ecs.empty()) pod["spec"].erase("ephemeralContainers");
  else pod["spec"]["ephemeralContainers"] = ecs;
  obj = std::move(pod);
}

std::vector<StatusCause> validate_ephemeral_containers_update(const Json& obj, const Json& old) {
  if (obj_at(obj_at(old, "metadata"), "annotations").contains("kubernetes.io/config.mirror"))
    return {runtime::field_forbidden("", "static pods do not support ephemeral containers")};
  std::vector<StatusCause> out;
  const Json& now = arr_at(obj_at(obj, "spec"), "ephemeralContainers");
  for (const auto& was : arr_at(obj_at(old, "spec"), "ephemeralContainers")) {
    std::string name = was.value("name", "");
    const Json* found = nullptr;
    for (const auto& c : now)
      if (c.value("name", "") == name) found = &c;
    // Upstream ends both messages with a newline (the second one then carries a cmp.Diff of
    // the Go structs, which kapi does not reproduce).
    if (!found)
      out.push_back(runtime::field_forbidden("spec.ephemeralContainers",
                                             "existing ephemeral containers " + quote(name) + " may not be removed\n"));
    // Key order is no change (apimachinery's Semantic.DeepEqual compares structs).
    else if (nlohmann::json::parse(found->dump()) != nlohmann::json::parse(was.dump()))
      out.push_back(runtime::field_forbidden("spec.ephemeralContainers[" + name + "]",
                                             "existing ephemeral containers " + quote(name) + " may not be changed\n"));
  }
  return out;
}

}  // namespace kapi::server
