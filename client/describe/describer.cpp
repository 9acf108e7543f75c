// The describer table (describe.go describerMap) and the REST calls describers share.
#include "client/describe/describer.h"

#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client::describe {

Result<Json> Describe::get(const std::string& path) {
  auto r = client_.get(path, kJsonAccept);
  if (!r.ok()) return r.error();
  if (r->status >= 400) return status_error_from_response(r->status, r->body);
  auto j = Json::parse(r->body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("invalid object in server response");
  return j;
}

Result<std::vector<Json>> Describe::list(const std::string& path,
                                         std::vector<std::pair<std::string, std::string>> params,
                                         const std::string& resource) {
  std::vector<Json> out;
  std::string cont;
  while (true) {
    auto q = params;
    if (settings_.chunk_size > 0) q.emplace_back("limit", std::to_string(settings_.chunk_size));
    if (!cont.empty()) q.emplace_back("continue", cont);
    auto r = client_.get(path + ResourceBuilder::encode_query(q), kJsonAccept);
    if (!r.ok()) return r.error();
    if (r->status >= 400) {
      CmdError e = status_error_from_response(r->status, r->body);
      // runtimeresource.EnhanceListError
      if (e.reason == "BadRequest" || e.reason == "NotFound") {
        std::string label, field;
        for (const auto& [k, v] : params) {
          if (k == "labelSelector") label = v;
          if (k == "fieldSelector") field = v;
        }
        if (label.empty() && field.empty())
          e.message = "Unable to list \"" + resource + "\": " + e.message;
        else
          e.message = "Unable to find \"" + resource + "\" that match label selector \"" + label +
                      "\", field selector \"" + field + "\": " + e.message;
      }
      return e;
    }
    auto list = Json::parse(r->body, nullptr, false);
    if (!list.is_object()) return CmdError::msg("invalid list in server response");
    for (auto& item : items(at(list, "items"))) out.push_back(item);
    cont = str(at(list, "metadata"), "continue");
    if (cont.empty()) break;
  }
  return out;
}

std::vector<Json> Describe::events(const std::string& ns, const std::string& kind,
                                   const std::string& name, const std::string& uid,
                                   const std::string& ref_namespace) {
  // GetFieldSelector: name and namespace always, kind and uid when set (Go's map order is
  // random; the server ANDs the terms in any order).
  std::string selector;
  if (!kind.empty()) selector += "involvedObject.kind=" + kind + ",";
  selector += "involvedObject.name=" + name + ",involvedObject.namespace=" + ref_namespace;
  if (!uid.empty()) selector += ",involvedObject.uid=" + uid;
  std::string p = ns.empty() ? "/api/v1/events" : "/api/v1/namespaces/" + ns + "/events";
  auto r = list(p, {{"fieldSelector", selector}}, "events");
  return r.ok() ? std::move(r.value()) : std::vector<Json>{};
}

std::vector<Json> Describe::events_for(const Json& obj, const std::string& kind) {
  const Json& meta = at(obj, "metadata");
  return events(str(meta, "namespace"), kind, str(meta, "name"), str(meta, "uid"),
                str(meta, "namespace"));
}

Result<std::string> describe_object(Describe& d, const RestMapping& mapping, const Json& obj) {
  const std::string& g = mapping.resource.group;
  const std::string& k = mapping.resource.kind;
  using Fn = Result<std::string> (*)(Describe&, const Json&);
  struct Entry {
    const char* group;
    const char* kind;
    Fn fn;
  };
  static const Entry kDescribers[] = {
      {"", "Pod", describe_pod},
      {"", "Secret", describe_secret},
      {"", "Service", describe_service},
      {"", "ServiceAccount", describe_service_account},
      {"", "Node", describe_node},
      {"", "LimitRange", describe_limit_range},
      {"", "ResourceQuota", describe_resource_quota},
      {"", "Namespace", describe_namespace},
      {"", "Endpoints", describe_endpoints},
      {"", "ConfigMap", describe_config_map},
      {"discovery.k8s.io", "EndpointSlice", describe_endpoint_slice},
      {"batch", "Job", describe_job},
      {"batch", "CronJob", describe_cron_job},
      {"apps", "StatefulSet", describe_stateful_set},
      {"apps", "Deployment", describe_deployment},
      {"apps", "DaemonSet", describe_daemon_set},
      {"apps", "ReplicaSet", describe_replica_set},
      {"rbac.authorization.k8s.io", "Role", describe_role},
      {"rbac.authorization.k8s.io", "ClusterRole", describe_role},
      {"rbac.authorization.k8s.io", "RoleBinding", describe_role_binding},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding", describe_role_binding},
      {"scheduling.k8s.io", "PriorityClass", describe_priority_class},
      {"certificates.k8s.io", "CertificateSigningRequest", describe_certificate_signing_request},
  };
  for (const auto& e : kDescribers)
    if (g == e.group && k == e.kind) return e.fn(d, obj);
  return describe_generic(d, mapping, obj);
}

}  // namespace kapi::client::describe
