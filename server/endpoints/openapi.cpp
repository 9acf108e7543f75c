#include "server/endpoints/openapi.h"

#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include <map>
#include <mutex>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/openapi.h"
#include "pkg/runtime/schema.h"
#include "server/registry/resource.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

namespace {

std::string camel_group(const std::string& group) {
  if (group.empty()) return "Core";
  std::string g = group;
  auto k8s = g.find(".k8s.io");
  if (k8s != std::string::npos) g.resize(k8s);
  std::string out;
  bool up = true;
  for (char c : g) {
    if (c == '.') { up = true; continue; }
    out += up ? static_cast<char>(toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string camel_version(std::string v) {
  if (!v.empty()) v[0] = static_cast<char>(toupper(static_cast<unsigned char>(v[0])));
  return v;
}

Json param(const std::string& name, const std::string& in, bool required = false) {
  Json p = {{"name", name}, {"in", in}, {"schema", {{"type", "string"}}}};
  if (required) p["required"] = true;
  if (name == "fieldValidation")
    p["description"] = "How the server treats unknown or duplicate fields: Ignore, Warn or Strict.";
  return p;
}

Json response_ok(const std::string& ref) {
  Json content = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + ref}}}}},
                  {"application/yaml", {{"schema", {{"$ref", "#/components/schemas/" + ref}}}}}};
  return {{"200", {{"description", "OK"}, {"content", content}}}};
}

Json operation(const std::string& id, const std::string& action, const ResourceInfo& r,
               const std::string& kind_ref, std::vector<Json> params, bool body) {
  Json op = Json::object();
  op["tags"] = Json::array({camel_group(r.group) + "_" + r.version});
  op["description"] = action + " " + r.kind;
  op["operationId"] = id;
  if (!params.empty()) op["parameters"] = params;
  if (body) {
    if (action == "patch") {
      Json schema = {{"$ref", "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}};
      op["requestBody"] = {{"content", {{"application/json-patch+json", {{"schema", schema}}},
                                        {"application/merge-patch+json", {{"schema", schema}}},
                                        {"application/strategic-merge-patch+json", {{"schema", schema}}},
                                        {"application/apply-patch+yaml", {{"schema", schema}}}}},
                           {"required", true}};
    } else {
      op["requestBody"] = {{"content", {{"*/*", {{"schema", {{"$ref", "#/components/schemas/" + kind_ref}}}}}}},
                           {"required", true}};
    }
  }
  op["responses"] = response_ok(kind_ref);
  op["x-kubernetes-action"] = action;
  op["x-kubernetes-group-version-kind"] = {{"group", r.group}, {"version", r.version}, {"kind", r.kind}};
  return op;
}

Json build_document(const std::string& group, const std::string& version) {
  Json doc = Json::object();
  doc["openapi"] = "3.0.0";
  doc["info"] = {{"title", "Kubernetes"}, {"version", "v1.33.0+kapi"}};
  Json paths = Json::object();
  Json components = Json::object();
  const auto& schema = runtime::Schema::get();
  components["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = {
      {"description", "A patch body (JSON patch, merge patch, strategic merge patch or apply configuration)."},
      {"type", "object"}};
  for (const auto& r : all_resources()) {
    if (r.group != group || r.version != version) continue;
    const runtime::StructType* st = schema.find(r.package, r.kind);
    if (!st) continue;
    runtime::add_component_schemas(*st, components);
    if (const auto* list = schema.find(r.package, r.list_kind)) runtime::add_component_schemas(*list, components);
    std::string base = r.api_prefix();
    std::string coll = r.namespaced ? base + "/namespaces/{namespace}/" + r.resource : base + "/" + r.resource;
    std::string item = coll + "/{name}";
    std::string scope = r.namespaced ? "Namespaced" : "";
    std::string suffix = camel_group(r.group) + camel_version(r.version) + scope + r.kind;
    std::vector<Json> write_params = {param("dryRun", "query"), param("fieldManager", "query"), param("fieldValidation", "query")};
    Json coll_ops = Json::object();
    Json item_ops = Json::object();
    std::string ref = st->name;
    std::string list_ref = r.package + "." + r.list_kind;
    if (r.has_verb("list")) coll_ops["get"] = operation("list" + suffix, "list", r, list_ref, {}, false);
    if (r.has_verb("create")) coll_ops["post"] = operation("create" + suffix, "post", r, ref, write_params, true);
    if (r.has_verb("deletecollection"))
      coll_ops["delete"] = operation("deletecollection" + suffix, "deletecollection", r, "io.k8s.apimachinery.pkg.apis.meta.v1.Status", {}, false);
    if (r.has_verb("get")) item_ops["get"] = operation("read" + suffix, "get", r, ref, {}, false);
    if (r.has_verb("update")) item_ops["put"] = operation("replace" + suffix, "put", r, ref, write_params, true);
    if (r.has_verb("delete")) item_ops["delete"] = operation("delete" + suffix, "delete", r, ref, {}, false);
    if (r.has_verb("patch")) {
      std::vector<Json> pp = write_params;
      pp.push_back(param("force", "query"));
      item_ops["patch"] = operation("patch" + suffix, "patch", r, ref, pp, true);
    }
    Json common = Json::array();
    if (r.namespaced) common.push_back(param("namespace", "path", true));
    if (!coll_ops.empty()) {
      if (!common.empty()) coll_ops["parameters"] = common;
      paths[coll] = coll_ops;
    }
    if (!item_ops.empty()) {
      Json ip = common;
      ip.push_back(param("name", "path", true));
      item_ops["parameters"] = ip;
      paths[item] = item_ops;
    }
    if (r.namespaced && r.has_verb("list"))
      paths[base + "/" + r.resource] = {{"get", operation("list" + camel_group(r.group) + camel_version(r.version) + r.kind + "ForAllNamespaces", "list", r, list_ref, {}, false)}};
  }
  doc["paths"] = paths;
  doc["components"] = {{"schemas", components}};
  return doc;
}

struct Doc {
  std::string body;
  std::string hash;
};

const std::map<std::string, Doc>& documents() {
  static std::once_flag once;
  static std::map<std::string, Doc> docs;
  std::call_once(once, [] {
    std::vector<std::pair<std::string, std::string>> gvs = {{"", "v1"}};
    for (const auto& g : group_order())
      for (const auto& v : group_versions(g)) gvs.emplace_back(g, v);
    for (const auto& [g, v] : gvs) {
      std::string key = g.empty() ? "api/v1" : "apis/" + g + "/" + v;
      Doc d;
      d.body = runtime::encode_json(build_document(g, v));
      unsigned char md[SHA256_DIGEST_LENGTH];
      SHA256(reinterpret_cast<const unsigned char*>(d.body.data()), d.body.size(), md);
      static const char* hex = "0123456789ABCDEF";
      for (int i = 0; i < 32; ++i) {
        d.hash += hex[md[i] >> 4];
        d.hash += hex[md[i] & 15];
      }
      docs[key] = std::move(d);
    }
  });
  return docs;
}

}  // namespace

bool serve_openapi(const HttpRequest& req, HttpResponse& out) {
  const std::string& path = req.path;
  if (path == "/openapi/v2" || path == "/swagger-2.0.0.pb-v1") {
    // An empty gnostic Document: kubectl then relies on /openapi/v3 (see KUBECTL-CONTRACT §2).
    out.content_type = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    out.body = "";
    return true;
  }
  if (path == "/openapi/v3" || path == "/openapi/v3/") {
    Json root = Json::object();
    Json paths = Json::object();
    for (const auto& [key, doc] : documents())
      paths[key] = {{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + doc.hash}};
    root["paths"] = paths;
    out.body = runtime::encode_json(root);
    std::string etag = "\"" + std::to_string(std::hash<std::string>{}(out.body)) + "\"";
    out.set_header("Etag", etag);
    if (req.header("if-none-match") == etag) {
      out.status = 304;
      out.body.clear();
    }
    return true;
  }
  if (path.rfind("/openapi/v3/", 0) == 0) {
    std::string key = path.substr(12);
    auto it = documents().find(key);
    if (it == documents().end()) return false;
    std::string hash = req.param("hash");
    if (!hash.empty() && hash != it->second.hash) {
      out.status = 301;
      out.set_header("Location", "/openapi/v3/" + key + "?hash=" + it->second.hash);
      return true;
    }
    out.body = it->second.body;
    out.set_header("Etag", "\"" + it->second.hash + "\"");
    if (!hash.empty()) out.set_header("Cache-Control", "public, immutable");
    out.set_header("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
    return true;
  }
  return false;
}

}  // namespace kapi::server
