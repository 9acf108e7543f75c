// `apply --prune` (kubectl pkg/cmd/apply/prune.go and pkg/util/prune/prune.go, v1.33).
#include "client/cmd/apply_prune.h"

#include <nlohmann/json.hpp>

#include "client/cmd/object_writer.h"
#include "client/discovery.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "client/rest_mapper.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// prune.defaultNamespacedPruneResources followed by defaultNonNamespacedPruneResources.
const std::vector<PruneResource>& default_allowlist() {
  static const std::vector<PruneResource> list = {
      {"", "v1", "ConfigMap", true},
      {"", "v1", "Endpoints", true},
      {"", "v1", "PersistentVolumeClaim", true},
      {"", "v1", "Pod", true},
      {"", "v1", "ReplicationController", true},
      {"", "v1", "Secret", true},
      {"", "v1", "Service", true},
      {"batch", "v1", "Job", true},
      {"batch", "v1", "CronJob", true},
      {"networking.k8s.io", "v1", "Ingress", true},
      {"apps", "v1", "DaemonSet", true},
      {"apps", "v1", "Deployment", true},
      {"apps", "v1", "ReplicaSet", true},
      {"apps", "v1", "StatefulSet", true},
      {"", "v1", "Namespace", false},
      {"", "v1", "PersistentVolume", false},
  };
  return list;
}

std::string group_version(const std::string& group, const std::string& version) {
  return group.empty() ? version : group + "/" + version;
}

// The mapping of group/version/kind, asking the server again once when the cache misses it
// (the deferred discovery mapper's reset). nullopt with `err` set on a discovery failure.
Result<std::optional<RestMapping>> map_kind(Session& s, const std::string& group, const std::string& version,
                                            const std::string& kind) {
  auto data = s.discovery->get();
  if (!data.ok()) return data.error();
  auto m = RestMapper(**data).mapping_for_kind(group, version, kind);
  if (!m && !s.discovery->fresh()) {
    auto fresh = s.discovery->refresh();
    if (!fresh.ok()) return fresh.error();
    m = RestMapper(**fresh).mapping_for_kind(group, version, kind);
  }
  return m;
}

std::string no_kind_match(const std::string& group, const std::string& version, const std::string& kind) {
  return "no matches for kind " + go_json_quote(kind) + " in version " + go_json_quote(group_version(group, version));
}

}  // namespace

Result<std::vector<PruneResource>> parse_prune_allowlist(Session& s, const std::vector<std::string>& gvks) {
  std::vector<PruneResource> out;
  for (const auto& gvk : gvks) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t slash; (slash = gvk.find('/', start)) != std::string::npos; start = slash + 1)
      parts.push_back(gvk.substr(start, slash - start));
    parts.push_back(gvk.substr(start));
    if (parts.size() != 3)
      return CmdError::msg("invalid GroupVersionKind format: " + gvk + ", please follow <group/version/kind>");
    if (parts[0] == "core") parts[0] = "";
    auto m = map_kind(s, parts[0], parts[1], parts[2]);
    if (!m.ok()) return m.error();
    if (!*m) return CmdError::msg(no_kind_match(parts[0], parts[1], parts[2]));
    out.push_back({parts[0], parts[1], parts[2], (*m)->resource.namespaced});
  }
  return out;
}

void Pruner::visit(const ObjectInfo& info, const Json& result) {
  if (info.mapping.resource.namespaced) namespaces_.insert(info.namespace_);
  const Json meta = result.is_object() ? result.value("metadata", Json::object()) : Json::object();
  uids_.insert(meta.is_object() ? meta.value("uid", "") : "");
}

std::optional<CmdError> Pruner::prune_all(Session& s, const std::vector<PruneResource>& allowlist,
                                          const std::string& selector, DryRun dry_run, const PrintFn& print) {
  // prune.GetRESTMappings: kubectl always has a namespace here, so the default list always
  // comes with its deprecation warning.
  const std::vector<PruneResource>* list = &allowlist;
  if (allowlist.empty()) {
    list = &default_allowlist();
    flush_stdout(s.env.out);
    write_stderr(klog_warning_line(
        "prune.go:71",
        "Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the "
        "--namespace flag in a future release. To preserve the current behaviour, list the resources you want to "
        "target explicitly in the --prune-allowlist flag."));
  }
  std::vector<RestMapping> namespaced, cluster;
  for (const auto& r : *list) {
    auto m = map_kind(s, r.group, r.version, r.kind);
    if (!m.ok()) return m.error();
    if (!*m)
      return CmdError::msg("error retrieving RESTMappings to prune: invalid resource " + r.group + "/" + r.version +
                           ", Kind=" + r.kind + ", Namespaced=" + (r.namespaced ? "true" : "false") + ": " +
                           no_kind_match(r.group, r.version, r.kind));
    (r.namespaced ? namespaced : cluster).push_back(**m);
  }
  auto gvk_string = [](const RestMapping& m) {
    return group_version(m.resource.group, m.resource.version) + ", Kind=" + m.resource.kind;
  };
  for (const auto& ns : namespaces_)
    for (const auto& m : namespaced)
      if (auto err = prune(s, ns, m, selector, dry_run, print))
        return CmdError::msg("error pruning namespaced object " + gvk_string(m) + ": " + err->message);
  for (const auto& m : cluster)
    if (auto err = prune(s, "", m, selector, dry_run, print))
      return CmdError::msg("error pruning nonNamespaced object " + gvk_string(m) + ": " + err->message);
  return std::nullopt;
}

std::optional<CmdError> Pruner::prune(Session& s, const std::string& ns, const RestMapping& m,
                                      const std::string& selector, DryRun dry_run, const PrintFn& print) {
  std::string path = ResourceBuilder::path_for(m, ns, "");
  if (!selector.empty()) path += "?labelSelector=" + query_escape(selector);
  auto r = s.client->get(path, "application/json");
  if (!r.ok()) return r.error();
  if (r->status >= 400) return status_error_from_response(r->status, r->body, "list", m.resource.name, "");
  Json list = Json::parse(r->body, nullptr, false);
  if (!list.is_object() || !list.contains("items") || !list["items"].is_array()) return std::nullopt;
  const FlagSet& f = s.env.flags;
  // asDeleteOptions: the grace period when set, the --cascade propagation, server dry run.
  std::string cascade = f.get_string("cascade");
  Json body = Json::object();
  if (f.get_int("grace-period") >= 0) body["gracePeriodSeconds"] = f.get_int("grace-period");
  body["propagationPolicy"] = cascade == "foreground" ? "Foreground"
                              : cascade == "orphan" || cascade == "false" ? "Orphan"
                                                                          : "Background";
  if (dry_run == DryRun::kServer) body["dryRun"] = Json::array({"All"});
  for (auto& obj : list["items"]) {
    Json meta = obj.value("metadata", Json::object());
    Json annots = meta.value("annotations", Json::object());
    if (!annots.is_object() || !annots.contains(kLastApplied)) continue;  // not created by apply
    if (uids_.count(meta.value("uid", ""))) continue;
    ObjectInfo info;
    info.mapping = m;
    info.name = meta.value("name", "");
    info.namespace_ = ns;
    if (dry_run != DryRun::kClient) {
      auto d = s.client->send("DELETE", ResourceBuilder::path_for(m, ns, info.name), "application/json", body.dump());
      if (!d.ok()) return d.error();
      if (d->status >= 400) return status_error_from_response(d->status, d->body, "delete", m.resource.name, info.name);
    }
    // Items of a list carry no apiVersion/kind; the printers want them.
    Json full = Json{{"apiVersion", group_version(m.resource.group, m.resource.version)}, {"kind", m.resource.kind}};
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (it.key() != "apiVersion" && it.key() != "kind") full[it.key()] = it.value();
    print(info, full);
  }
  return std::nullopt;
}

}  // namespace kapi::client
