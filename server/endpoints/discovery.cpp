#include "server/endpoints/discovery.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "server/registry/resource.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Json resource_list(const std::string& group, const std::string& version) {
  Json list = Json::object();
  list["kind"] = "APIResourceList";
  list["apiVersion"] = "v1";
  list["groupVersion"] = group.empty() ? version : group + "/" + version;
  Json resources = Json::array();
  for (const auto& r : all_resources()) {
    if (r.group != group || r.version != version) continue;
    Json j = Json::object();
    j["name"] = r.resource;
    j["singularName"] = r.singular;
    j["namespaced"] = r.namespaced;
    j["kind"] = r.kind;
    j["verbs"] = r.verbs;
    if (!r.short_names.empty()) j["shortNames"] = r.short_names;
    if (!r.categories.empty()) j["categories"] = r.categories;
    resources.push_back(j);
    for (const auto& s : r.subresources) {
      Json sj = Json::object();
      sj["name"] = r.resource + "/" + s.name;
      sj["singularName"] = "";
      sj["namespaced"] = r.namespaced;
      if (s.group != r.group) sj["group"] = s.group;
      if (s.group != r.group || s.version != r.version) sj["version"] = s.version;
      sj["kind"] = s.kind;
      sj["verbs"] = s.verbs;
      resources.push_back(sj);
    }
  }
  list["resources"] = resources;
  return list;
}

// An APIGroup's name, versions (preferred first) and preferredVersion.
Json api_group(const std::string& group) {
  Json versions = Json::array();
  for (const auto& v : group_versions(group))
    versions.push_back({{"groupVersion", group + "/" + v}, {"version", v}});
  Json g = Json::object();
  g["name"] = group;
  g["versions"] = versions;
  g["preferredVersion"] = versions[0];
  return g;
}

Json aggregated_version(const std::string& group, const std::string& version) {
  Json v = Json::object();
  v["version"] = version;
  Json resources = Json::array();
  for (const auto& r : all_resources()) {
    if (r.group != group || r.version != version) continue;
    Json j = Json::object();
    j["resource"] = r.resource;
    j["responseKind"] = {{"group", r.group}, {"version", r.version}, {"kind", r.kind}};
    j["scope"] = r.namespaced ? "Namespaced" : "Cluster";
    j["singularResource"] = r.singular;
    j["verbs"] = r.verbs;
    if (!r.short_names.empty()) j["shortNames"] = r.short_names;
    if (!r.categories.empty()) j["categories"] = r.categories;
    if (!r.subresources.empty()) {
      Json subs = Json::array();
      for (const auto& s : r.subresources) {
        Json sj = Json::object();
        sj["subresource"] = s.name;
        sj["responseKind"] = {{"group", s.group}, {"version", s.version}, {"kind", s.kind}};
        sj["verbs"] = s.verbs;
        subs.push_back(sj);
      }
      j["subresources"] = subs;
    }
    resources.push_back(j);
  }
  v["resources"] = resources;
  v["freshness"] = "Current";
  return v;
}

Json aggregated(bool core, const std::string& api_version) {
  Json list = Json::object();
  list["kind"] = "APIGroupDiscoveryList";
  list["apiVersion"] = api_version;
  list["metadata"] = Json::object();
  Json items = Json::array();
  if (core) {
    Json g = Json::object();
    g["metadata"] = {{"creationTimestamp", nullptr}};
    g["versions"] = Json::array({aggregated_version("", "v1")});
    items.push_back(g);
  } else {
    for (const auto& group : group_order()) {
      Json g = Json::object();
      g["metadata"] = {{"name", group}, {"creationTimestamp", nullptr}};
      g["versions"] = Json::array();
      for (const auto& v : group_versions(group)) g["versions"].push_back(aggregated_version(group, v));
      items.push_back(g);
    }
  }
  list["items"] = items;
  return list;
}

// Which aggregated discovery version the Accept header asks for first ("" = none).
std::string aggregated_accept(const std::string& accept) {
  size_t pos = 0;
  while (pos < accept.size()) {
    size_t comma = accept.find(',', pos);
    std::string item = accept.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? accept.size() : comma + 1;
    if (item.find("g=apidiscovery.k8s.io") == std::string::npos ||
        item.find("as=APIGroupDiscoveryList") == std::string::npos)
      continue;
    if (item.find("v=v2beta1") != std::string::npos) return "v2beta1";
    if (item.find("v=v2") != std::string::npos) return "v2";
  }
  return "";
}

}  // namespace

bool serve_discovery(const HttpRequest& req, HttpResponse& out, const std::string& server_address) {
  std::string path = req.path;
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  static const std::string kCache[] = {};
  (void)kCache;
  if (path == "/api" || path == "/apis") {
    std::string agg = aggregated_accept(req.header("accept"));
    bool core = path == "/api";
    if (!agg.empty()) {
      static const std::string core_v2 = runtime::encode_json(aggregated(true, "apidiscovery.k8s.io/v2"));
      static const std::string core_b1 = runtime::encode_json(aggregated(true, "apidiscovery.k8s.io/v2beta1"));
      static const std::string apis_v2 = runtime::encode_json(aggregated(false, "apidiscovery.k8s.io/v2"));
      static const std::string apis_b1 = runtime::encode_json(aggregated(false, "apidiscovery.k8s.io/v2beta1"));
      out.body = core ? (agg == "v2" ? core_v2 : core_b1) : (agg == "v2" ? apis_v2 : apis_b1);
      out.content_type = "application/json;g=apidiscovery.k8s.io;v=" + agg + ";as=APIGroupDiscoveryList";
      out.set_header("Vary", "Accept");
      return true;
    }
    Json j = Json::object();
    if (core) {
      j["kind"] = "APIVersions";
      j["versions"] = Json::array({"v1"});
      j["serverAddressByClientCIDRs"] = Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}});
    } else {
      j["kind"] = "APIGroupList";
      j["apiVersion"] = "v1";
      Json groups = Json::array();
      for (const auto& g : group_order()) groups.push_back(api_group(g));
      j["groups"] = groups;
    }
    out.body = runtime::encode_json(j);
    out.set_header("Vary", "Accept");
    return true;
  }
  if (path == "/api/v1") {
    out.body = runtime::encode_json(resource_list("", "v1"));
    return true;
  }
  if (path.rfind("/apis/", 0) == 0) {
    std::string rest = path.substr(6);
    auto slash = rest.find('/');
    std::string group = rest.substr(0, slash);
    bool known = std::find(group_order().begin(), group_order().end(), group) != group_order().end();
    if (!known) return false;
    if (slash == std::string::npos) {
      Json j = {{"kind", "APIGroup"}, {"apiVersion", "v1"}};
      Json g = api_group(group);
      for (auto it = g.begin(); it != g.end(); ++it) j[it.key()] = it.value();
      out.body = runtime::encode_json(j);
      return true;
    }
    std::string version = rest.substr(slash + 1);
    auto versions = group_versions(group);
    if (std::find(versions.begin(), versions.end(), version) == versions.end()) return false;
    out.body = runtime::encode_json(resource_list(group, version));
    return true;
  }
  return false;
}

}  // namespace kapi::server
