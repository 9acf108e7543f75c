#include "client/cmd/debug_profiles.h"

#include <functional>
#include <nlohmann/json.hpp>

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// podutils.VisitContainers with a mask: init containers, containers and, with `ephemeral`,
// ephemeral containers; `fn` gets the first one named `name`.
void with_container(Json& pod, const std::string& name, bool ephemeral, const std::function<void(Json&)>& fn) {
  Json& spec = pod["spec"];
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    if (!ephemeral && std::string(list) == "ephemeralContainers") break;
    if (!spec.contains(list) || !spec[list].is_array()) continue;
    for (auto& c : spec[list])
      if (c.value("name", "") == name) return fn(c);
  }
}

Json& security_context(Json& c) {
  if (!c.contains("securityContext") || !c["securityContext"].is_object()) c["securityContext"] = Json::object();
  return c["securityContext"];
}

Json& capabilities(Json& c) {
  Json& sc = security_context(c);
  if (!sc.contains("capabilities") || !sc["capabilities"].is_object()) sc["capabilities"] = Json::object();
  return sc["capabilities"];
}

void add_capability(Json& c, const char* cap) {
  Json& caps = capabilities(c);
  if (!caps.contains("add") || !caps["add"].is_array()) caps["add"] = Json::array();
  caps["add"].push_back(cap);
}

// The host's root at /host (mountRootPartition; regular and init containers only).
void mount_root_partition(Json& pod, const std::string& name) {
  Json& spec = pod["spec"];
  if (!spec.contains("volumes") || !spec["volumes"].is_array()) spec["volumes"] = Json::array();
  spec["volumes"].push_back({{"name", "host-root"}, {"hostPath", {{"path", "/"}}}});
  with_container(pod, name, false, [](Json& c) {
    if (!c.contains("volumeMounts") || !c["volumeMounts"].is_array()) c["volumeMounts"] = Json::array();
    c["volumeMounts"].push_back({{"name", "host-root"}, {"mountPath", "/host"}});
  });
}

void use_host_namespaces(Json& pod) {
  pod["spec"]["hostNetwork"] = true;
  pod["spec"]["hostPID"] = true;
  pod["spec"]["hostIPC"] = true;
}

void share_process_namespace(Json& pod) {
  if (!pod["spec"].contains("shareProcessNamespace") || pod["spec"]["shareProcessNamespace"].is_null())
    pod["spec"]["shareProcessNamespace"] = true;
}

void clear_security_context(Json& pod, const std::string& name) {
  with_container(pod, name, true, [](Json& c) { c.erase("securityContext"); });
}

// What a pod copy drops (KeepFlags' Remove*).
void trim_copy(Json& pod, const KeepFlags& keep) {
  Json& meta = pod["metadata"];
  if (!keep.labels) meta.erase("labels");
  if (!keep.annotations) meta.erase("annotations");
  Json& spec = pod["spec"];
  if (spec.contains("containers") && spec["containers"].is_array())
    for (auto& c : spec["containers"]) {
      if (!keep.liveness) c.erase("livenessProbe");
      if (!keep.readiness) c.erase("readinessProbe");
      if (!keep.startup) c.erase("startupProbe");
    }
  if (!keep.init_containers) spec.erase("initContainers");
}

}  // namespace

bool known_debug_profile(const std::string& p) {
  return p == "legacy" || p == "general" || p == "baseline" || p == "restricted" || p == "netadmin" ||
         p == "sysadmin";
}

void apply_debug_profile(const std::string& profile, KeepFlags keep, DebugStyle style, Json& pod,
                         const std::string& name) {
  auto each = [&](const std::function<void(Json&)>& fn) { with_container(pod, name, true, fn); };
  if (profile == "legacy") {
    if (style == DebugStyle::kNode) {
      mount_root_partition(pod, name);
      use_host_namespaces(pod);
    } else if (style == DebugStyle::kPodCopy) {
      pod["metadata"].erase("labels");  // legacy never keeps labels
    }
    return;
  }
  if (profile == "general") {
    if (style == DebugStyle::kNode) {
      mount_root_partition(pod, name);
      clear_security_context(pod, name);
      use_host_namespaces(pod);
    } else if (style == DebugStyle::kPodCopy) {
      trim_copy(pod, keep);
      each([](Json& c) { add_capability(c, "SYS_PTRACE"); });
      share_process_namespace(pod);
    } else {
      each([](Json& c) { add_capability(c, "SYS_PTRACE"); });
    }
    return;
  }
  if (profile == "baseline" || profile == "restricted") {
    clear_security_context(pod, name);
    if (profile == "restricted")
      each([](Json& c) {
        security_context(c)["runAsNonRoot"] = true;
        Json& caps = capabilities(c);
        caps["drop"] = Json::array({"ALL"});
        caps.erase("add");
        security_context(c)["allowPrivilegeEscalation"] = false;
        security_context(c)["seccompProfile"] = {{"type", "RuntimeDefault"}};
      });
    if (style == DebugStyle::kPodCopy) {
      trim_copy(pod, keep);
      share_process_namespace(pod);
    }
    return;
  }
  if (profile == "netadmin") {
    each([](Json& c) {
      add_capability(c, "NET_ADMIN");
      add_capability(c, "NET_RAW");
    });
  } else {  // sysadmin
    each([](Json& c) { security_context(c)["privileged"] = true; });
  }
  if (style == DebugStyle::kNode) {
    use_host_namespaces(pod);
    if (profile == "sysadmin") mount_root_partition(pod, name);
  } else if (style == DebugStyle::kPodCopy) {
    trim_copy(pod, keep);
    share_process_namespace(pod);
  }
}

}  // namespace kapi::client
