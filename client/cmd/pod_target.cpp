#include "client/cmd/pod_target.h"

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/rest_client.h"
#include "client/resource_builder.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

Result<Json> get_pod(RestClient& client, const std::string& ns, const std::string& name) {
  RestMapping m;
  m.resource.version = "v1";
  m.resource.name = "pods";
  m.resource.namespaced = true;
  auto r = client.get(ResourceBuilder::path_for(m, ns, name), "application/json, */*");
  if (!r.ok()) return r.error();
  if (r->status != 200) return status_error_from_response(r->status, r->body, "get", "pods", name);
  auto j = Json::parse(r->body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("couldn't decode the pod");
  return j;
}

std::optional<std::string> pod_container(const Json& pod, const std::string& name, std::string& out, bool quiet) {
  const Json spec = pod.value("spec", Json::object());
  auto names_of = [&](const char* key) {
    std::vector<std::string> v;
    for (const auto& c : spec.value(key, Json::array())) v.push_back(c.value("name", ""));
    return v;
  };
  auto containers = names_of("containers"), init = names_of("initContainers"), ephemeral = names_of("ephemeralContainers");
  if (!name.empty()) {
    for (const auto* list : {&containers, &init, &ephemeral})
      for (const auto& c : *list)
        if (c == name) return c;
    return std::nullopt;
  }
  std::string annotated = pod.value("metadata", Json::object()).value("annotations", Json::object())
                              .value("kubectl.kubernetes.io/default-container", "");
  if (!annotated.empty())
    for (const auto& c : containers)
      if (c == annotated) return c;
  if (containers.empty()) return std::nullopt;
  if (!quiet && containers.size() + init.size() + ephemeral.size() > 1) {
    std::string all;
    for (const auto& c : containers) all += (all.empty() ? "" : ", ") + c;
    for (const auto& c : init) all += ", " + c + " (init)";
    for (const auto& c : ephemeral) all += ", " + c + " (ephem)";
    flush_stdout(out);
    write_stderr("Defaulted container \"" + containers[0] + "\" out of: " + all + "\n");
  }
  return containers[0];
}

}  // namespace kapi::client
