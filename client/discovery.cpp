#include "client/discovery.h"

#include <sys/stat.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "client/rest_client.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

using Json = nlohmann::json;

constexpr const char* kCacheFile = "kapi-discovery.json";
constexpr int kCacheFormat = 1;
constexpr time_t kCacheTtlSeconds = 6 * 3600;  // cli-runtime's discovery cache TTL

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array())
    for (const auto& s : j[key])
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Go's mime.ParseMediaType, reduced to what matters: base type and parameters.
bool parse_media_type(const std::string& ct, std::string& base,
                      std::vector<std::pair<std::string, std::string>>& params) {
  size_t semi = ct.find(';');
  auto trim = [](std::string s) {
    size_t b = s.find_first_not_of(" \t");
    size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  base = lower(trim(ct.substr(0, semi)));
  if (base.empty()) return false;
  while (semi != std::string::npos) {
    size_t next = ct.find(';', semi + 1);
    std::string p = trim(ct.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1));
    semi = next;
    if (p.empty()) continue;
    size_t eq = p.find('=');
    if (eq == std::string::npos) return false;
    std::string v = trim(p.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    params.emplace_back(lower(trim(p.substr(0, eq))), v);
  }
  return true;
}

Json resource_to_json(const ApiResource& r) {
  return Json{{"g", r.group},          {"v", r.version},   {"n", r.name},
              {"s", r.singular},       {"k", r.kind},      {"ns", r.namespaced},
              {"sn", r.short_names},   {"c", r.categories}, {"vb", r.verbs}};
}

ApiResource resource_from_json(const Json& j) {
  ApiResource r;
  r.group = j.value("g", "");
  r.version = j.value("v", "");
  r.name = j.value("n", "");
  r.singular = j.value("s", "");
  r.kind = j.value("k", "");
  r.namespaced = j.value("ns", false);
  r.short_names = strings_of(j, "sn");
  r.categories = strings_of(j, "c");
  r.verbs = strings_of(j, "vb");
  return r;
}

// apimachinery's UnsafeGuessKindToResource singular: the lower-cased kind.
std::string guess_singular(const std::string& kind) { return lower(kind); }

}  // namespace

const char* const kAggregatedDiscoveryAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json";

bool is_aggregated_content_type(const std::string& content_type) {
  std::string base;
  std::vector<std::pair<std::string, std::string>> params;
  if (!parse_media_type(content_type, base, params) || base != "application/json") return false;
  std::string g, v, as;
  for (const auto& [k, val] : params) {
    if (k == "g") g = val;
    else if (k == "v") v = val;
    else if (k == "as") as = val;
  }
  return g == "apidiscovery.k8s.io" && (v == "v2" || v == "v2beta1") && as == "APIGroupDiscoveryList";
}

bool parse_aggregated_discovery(const std::string& body, DiscoveryData& out) {
  auto j = Json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) return false;
  for (const auto& item : j["items"]) {
    if (!item.is_object()) continue;
    ApiGroupInfo group;
    if (item.contains("metadata") && item["metadata"].is_object())
      group.name = item["metadata"].value("name", "");
    if (!item.contains("versions") || !item["versions"].is_array()) continue;
    for (const auto& ver : item["versions"]) {
      if (!ver.is_object()) continue;
      // A stale version counts as failed discovery for that group-version.
      if (ver.value("freshness", "") == "Stale") continue;
      std::string version = ver.value("version", "");
      group.versions.push_back(version);
      if (!ver.contains("resources") || !ver["resources"].is_array()) continue;
      for (const auto& res : ver["resources"]) {
        if (!res.is_object() || !res.contains("responseKind") || !res["responseKind"].is_object())
          continue;  // resources without a responseKind are dropped
        ApiResource r;
        r.group = group.name;
        r.version = version;
        r.name = res.value("resource", "");
        r.kind = res["responseKind"].value("kind", "");
        r.singular = res.value("singularResource", "");
        if (r.singular.empty()) r.singular = guess_singular(r.kind);
        r.namespaced = res.value("scope", "") == "Namespaced";
        r.short_names = strings_of(res, "shortNames");
        r.categories = strings_of(res, "categories");
        r.verbs = strings_of(res, "verbs");
        if (r.name.empty() || r.name.find('/') != std::string::npos) continue;
        out.resources.push_back(std::move(r));
      }
    }
    if (!group.versions.empty()) out.groups.push_back(std::move(group));
  }
  return true;
}

std::string Discovery::cache_path_for(const std::string& cache_dir, const std::string& server) {
  // cli-runtime computeDiscoverCacheDir: strip the scheme, replace [^(\w/.)] with '_'.
  std::string host = server;
  if (host.rfind("https://", 0) == 0) host = host.substr(8);
  else if (host.rfind("http://", 0) == 0) host = host.substr(7);
  for (auto& c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    bool ok = std::isalnum(u) || c == '_' || c == '/' || c == '.' || c == '(' || c == ')';
    if (!ok) c = '_';
  }
  return cache_dir + "/discovery/" + host;
}

Discovery::Discovery(RestClient& client, const std::string& cache_dir, const std::string& server)
    : client_(client), dir_(cache_path_for(cache_dir, server)) {}

bool Discovery::load_cache() {
  std::string path = dir_ + "/" + kCacheFile;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  if (std::time(nullptr) - st.st_mtime > kCacheTtlSeconds) return false;
  auto text = tls::read_file(path);
  if (!text.ok()) return false;
  auto j = Json::parse(*text, nullptr, false);
  if (!j.is_object() || j.value("format", 0) != kCacheFormat) return false;
  DiscoveryData d;
  if (j.contains("groups") && j["groups"].is_array()) {
    for (const auto& g : j["groups"]) d.groups.push_back({g.value("name", ""), strings_of(g, "versions")});
  }
  if (j.contains("resources") && j["resources"].is_array()) {
    for (const auto& r : j["resources"]) d.resources.push_back(resource_from_json(r));
  }
  data_ = std::move(d);
  return true;
}

void Discovery::save_cache() const {
  Json j;
  j["format"] = kCacheFormat;
  j["groups"] = Json::array();
  for (const auto& g : data_.groups) j["groups"].push_back({{"name", g.name}, {"versions", g.versions}});
  j["resources"] = Json::array();
  for (const auto& r : data_.resources) j["resources"].push_back(resource_to_json(r));
  // Atomically (temporary file + rename), so concurrent runs never read a partial file.
  (void)tls::write_file_atomic(dir_ + "/" + kCacheFile, j.dump(), 0644, 0750);
}

Result<DiscoveryData> Discovery::fetch() {
  DiscoveryData data;
  // client-go's discovery client uses a 32s timeout unless --request-timeout sets one.
  const std::string timeout =
      "?timeout=" + (client_.config().timeout_param.empty() ? std::string("32s") : client_.config().timeout_param);
  auto api = client_.get("/api" + timeout, kAggregatedDiscoveryAccept);
  if (!api.ok()) return api.error();
  // client-go stops at a failed /api (a 404 is tolerated).
  if (api->status != 200 && api->status != 404)
    return unstructured_response_error(api->status, api->body, api->content_type);
  auto apis = client_.get("/apis" + timeout, kAggregatedDiscoveryAccept);
  if (!apis.ok()) return apis.error();

  bool api_agg = api->status == 200 && is_aggregated_content_type(api->content_type);
  bool apis_agg = apis->status == 200 && is_aggregated_content_type(apis->content_type);
  if (api_agg && apis_agg) {
    parse_aggregated_discovery(api->body, data);
    parse_aggregated_discovery(apis->body, data);
    return data;
  }

  // Unaggregated discovery: /api lists versions, /apis the groups; then one list per version.
  // client-go tolerates a 404 on either, and does not decode an error body.
  if (apis->status != 200 && apis->status != 404)
    return unstructured_response_error(apis->status, apis->body, apis->content_type);
  std::vector<std::pair<std::string, std::string>> gvs;  // (group, version)
  if (api->status == 200) {
    auto j = Json::parse(api->body, nullptr, false);
    ApiGroupInfo core{"", strings_of(j.is_object() ? j : Json::object(), "versions")};
    for (const auto& v : core.versions) gvs.emplace_back("", v);
    if (!core.versions.empty()) data.groups.push_back(core);
  }
  auto j = Json::parse(apis->body, nullptr, false);
  if (j.is_object() && j.contains("groups") && j["groups"].is_array()) {
    for (const auto& g : j["groups"]) {
      ApiGroupInfo info;
      info.name = g.value("name", "");
      std::string preferred;
      if (g.contains("preferredVersion") && g["preferredVersion"].is_object())
        preferred = g["preferredVersion"].value("version", "");
      if (!preferred.empty()) info.versions.push_back(preferred);
      if (g.contains("versions") && g["versions"].is_array())
        for (const auto& v : g["versions"]) {
          std::string ver = v.value("version", "");
          if (ver != preferred) info.versions.push_back(ver);
        }
      for (const auto& v : info.versions) gvs.emplace_back(info.name, v);
      data.groups.push_back(std::move(info));
    }
  }
  for (const auto& [group, version] : gvs) {
    std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    auto r = client_.get(path + timeout, "application/json, */*");
    if (!r.ok()) return r.error();
    if (r->status != 200) continue;
    auto list = Json::parse(r->body, nullptr, false);
    if (!list.is_object() || !list.contains("resources") || !list["resources"].is_array()) continue;
    for (const auto& res : list["resources"]) {
      ApiResource a;
      a.group = group;
      a.version = version;
      a.name = res.value("name", "");
      if (a.name.empty() || a.name.find('/') != std::string::npos) continue;
      a.kind = res.value("kind", "");
      a.singular = res.value("singularName", "");
      if (a.singular.empty()) a.singular = guess_singular(a.kind);
      a.namespaced = res.value("namespaced", false);
      a.short_names = strings_of(res, "shortNames");
      a.categories = strings_of(res, "categories");
      a.verbs = strings_of(res, "verbs");
      data.resources.push_back(std::move(a));
    }
  }
  return data;
}

Result<const DiscoveryData*> Discovery::get() {
  if (loaded_) return &data_;
  if (load_cache()) {
    loaded_ = true;
    return &data_;
  }
  return refresh();
}

Result<const DiscoveryData*> Discovery::refresh() {
  if (fetched_) return &data_;
  auto d = fetch();
  if (!d.ok()) return d.error();
  data_ = std::move(d).value();
  loaded_ = fetched_ = true;
  save_cache();
  return &data_;
}

}  // namespace kapi::client
