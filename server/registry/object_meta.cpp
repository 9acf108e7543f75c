#include "server/registry/object_meta.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/duration.h"

#include "server/registry/json_access.h"

#include <chrono>
#include <random>

#include "pkg/machinery/names.h"
#include "pkg/runtime/json_codec.h"
#include "server/registry/managed_fields.h"
#include "pkg/machinery/base64.h"

namespace kapi::server {

using runtime::StatusCause;

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// apimachinery path.ValidatePathSegmentName (RBAC object names).
std::vector<std::string> path_segment_errors(const std::string& name) {
  if (name == "." || name == "..") return {"may not be '" + name + "'"};
  for (const char* bad : {"/", "%"})
    if (name.find(bad) != std::string::npos) return {std::string("may not contain '") + bad + "'"};
  return {};
}

std::string now_rfc3339() {
  return machinery::format_rfc3339(std::chrono::system_clock::now());
}


}  // namespace

std::string manager_of(const HttpRequest& req) {
  std::string m = req.param("fieldManager");
  if (!m.empty()) return m;
  // Upstream: the user agent up to the first '/'.
  std::string ua = req.header("user-agent");
  auto slash = ua.find('/');
  return slash == std::string::npos ? ua : ua.substr(0, slash);
}

void set_resource_version(Json& obj, int64_t rev) {
  Json& meta = obj["metadata"];
  // Keep ObjectMeta's field order: resourceVersion follows uid (or the fields before it).
  Json out = Json::object();
  bool placed = false;
  static const char* kBefore[] = {"name", "generateName", "namespace", "selfLink", "uid"};
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (it.key() == "resourceVersion") continue;
    bool before = false;
    for (const char* b : kBefore) before |= it.key() == b;
    if (!before && !placed) {
      out["resourceVersion"] = std::to_string(rev);
      placed = true;
    }
    out[it.key()] = it.value();
  }
  if (!placed) out["resourceVersion"] = std::to_string(rev);
  meta = std::move(out);
}

void append_with_resource_version(std::string& out, const std::string& v, int64_t rev, bool strip_type) {
  size_t begin = 0;
  if (strip_type) {
    // Stored objects begin with "kind" then "apiVersion" (TypeMeta's field order).
    if (v.rfind("{\"kind\":\"", 0) == 0) {
      size_t p = v.find("\",\"apiVersion\":\"");
      size_t q = p == std::string::npos ? p : v.find('"', p + 16);
      if (q != std::string::npos && q + 1 < v.size() && v[q + 1] == ',') {
        out += '{';
        begin = q + 2;
      }
    }
  }
  // resourceVersion is not stored (it is the revision): splice it in after metadata.uid, its
  // place in ObjectMeta's field order. The first "uid" is metadata's: name, generateName,
  // namespace and selfLink cannot hold quotes.
  size_t uid = v.find("\"uid\":\"", begin);
  size_t end = uid == std::string::npos ? uid : v.find('"', uid + 7);
  if (end == std::string::npos) {
    Json j = Json::parse(v);
    set_resource_version(j, rev);
    std::string full = runtime::encode_json(j);
    out += strip_type ? strip_type_meta(full) : full;
    return;
  }
  out.append(v, begin, end + 1 - begin);
  out += ",\"resourceVersion\":\"";
  out += std::to_string(rev);
  out += '"';
  out.append(v, end + 1, std::string::npos);
}

bool append_metadata_json(std::string& out, const storage::CachedObject& obj) {
  // Stored objects are compact JSON with "metadata" at the top level before any other object:
  // find its span by matching braces outside strings.
  const std::string& v = obj.value;
  size_t start = v.find("\"metadata\":{");
  if (start == std::string::npos) return false;
  start += 11;
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < v.size(); ++i) {
    char c = v[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      append_with_resource_version(out, v.substr(start, i + 1 - start), obj.mod_revision, false);
      return true;
    }
  }
  return false;
}

void append_object_json(std::string& out, const storage::CachedObject& obj, bool strip_type) {
  append_with_resource_version(out, obj.value, obj.mod_revision, strip_type);
}

std::string object_json(const storage::CachedObject& obj) {
  std::string out;
  out.reserve(obj.value.size() + 32);
  append_object_json(out, obj, false);
  return out;
}

Json without_rv(Json obj) {
  if (obj.contains("metadata")) obj["metadata"].erase("resourceVersion");
  return obj;
}

std::string strip_type_meta(const std::string& json) {
  // Stored objects begin with "kind" then "apiVersion" (TypeMeta's field order).
  if (json.rfind("{\"kind\":\"", 0) != 0) return json;
  size_t p = json.find("\",\"apiVersion\":\"");
  if (p == std::string::npos) return json;
  size_t q = json.find('"', p + 16);
  if (q == std::string::npos || q + 1 >= json.size()) return json;
  if (json[q + 1] == '}') return "{}";
  return "{" + json.substr(q + 2);
}

void prepare_new_meta(Json& obj, const runtime::StructType& type, bool tracks_generation,
                      const HttpRequest& req, const UserInfo& user, const std::string& operation) {
  Json& meta = obj["metadata"];
  meta["uid"] = new_uid();
  meta["creationTimestamp"] = now_rfc3339();
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  meta.erase("selfLink");
  if (tracks_generation) meta["generation"] = 1;
  else meta.erase("generation");
  Json mf = Json::array();
  mf.push_back(managed_entry(manager_of(req), operation, obj.value("apiVersion", ""), field_set(obj, type), ""));
  meta["managedFields"] = mf;
}

void update_managed_fields(Json& obj, const Json& old, const runtime::StructType& type,
                           const HttpRequest& req, const UserInfo& user, const std::string& subresource) {
  Json& meta = obj["metadata"];
  // Clients may not rewrite managedFields wholesale except by sending them explicitly.
  if (!meta.contains("managedFields") || meta["managedFields"].is_null())
    meta["managedFields"] = arr_at(old["metadata"], "managedFields");
  std::string manager = manager_of(req);
  Json entry = managed_entry(manager, "Update", obj.value("apiVersion", ""), field_set(obj, type), subresource);
  Json& mf = meta["managedFields"];
  for (auto& e : mf) {
    if (e.value("manager", "") == manager && e.value("operation", "") == "Update" &&
        e.value("subresource", "") == subresource) {
      e = entry;
      return;
    }
  }
  mf.push_back(entry);
}

std::vector<StatusCause> validate_meta(const ResourceInfo& res, const Json& obj) {
  std::vector<StatusCause> causes;
  const Json& meta = obj["metadata"];
  std::string name = meta.value("name", "");
  if (name.empty()) {
    causes.push_back(runtime::field_required("metadata.name", "name or generateName is required"));
  } else {
    std::vector<std::string> errs;
    // Upstream validates most names as DNS-1123 subdomains; namespaces, services as labels.
    if (res.resource == "namespaces" || res.resource == "services")
      errs = res.resource == "services" ? machinery::is_dns1035_label(name) : machinery::is_dns1123_label(name);
    else if (res.group == "rbac.authorization.k8s.io" || res.resource == "events" ||
             res.resource == "certificatesigningrequests")
      // CSRs: ValidateCertificateRequestName accepts any name.
      // Events: only the generic path-segment check (events.k8s.io/v1's strategy adds DNS-1123).
      errs = path_segment_errors(name);
    else
      errs = machinery::is_dns1123_subdomain(name);
    for (const auto& e : errs) causes.push_back(runtime::field_invalid("metadata.name", "\"" + name + "\"", e));
  }
  if (meta.contains("labels") && meta["labels"].is_object()) {
    for (auto it = meta["labels"].begin(); it != meta["labels"].end(); ++it) {
      for (const auto& e : machinery::is_qualified_name(it.key()))
        causes.push_back(runtime::field_invalid("metadata.labels", "\"" + it.key() + "\"", e));
      std::string v = it.value().get<std::string>();
      for (const auto& e : machinery::is_valid_label_value(v))
        causes.push_back(runtime::field_invalid("metadata.labels", "\"" + v + "\"", e));
    }
  }
  if (meta.contains("annotations") && meta["annotations"].is_object()) {
    size_t total = 0;
    for (auto it = meta["annotations"].begin(); it != meta["annotations"].end(); ++it) {
      for (const auto& e : machinery::is_qualified_name(lower(it.key())))
        causes.push_back(runtime::field_invalid("metadata.annotations", "\"" + it.key() + "\"", e));
      total += it.key().size() + it.value().get<std::string>().size();
    }
    if (total > 256 * 1024)
      causes.push_back(runtime::field_too_long("metadata.annotations", "", 256 * 1024));
  }
  return causes;
}

std::string random_suffix() {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s;
  for (int i = 0; i < 5; ++i) s += kAlphabet[rng() % 27];
  return s;
}

std::string new_uid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

bool is_dry_run(const HttpRequest& req) {
  auto range = req.query.equal_range("dryRun");
  for (auto it = range.first; it != range.second; ++it)
    if (it->second == "All") return true;
  return false;
}

bool wants_table(const HttpRequest& req) {
  std::string accept = req.header("accept");
  return accept.find("as=Table") != std::string::npos;
}

std::string encode_continue(int64_t rev, const std::string& start) {
  Json j = {{"v", "meta.k8s.io/v1"}, {"rv", rev}, {"start", start}};
  return machinery::base64_encode(j.dump());
}

bool decode_continue(const std::string& token, int64_t& rev, std::string& start) {
  auto raw = machinery::base64_decode(token);
  if (!raw) return false;
  try {
    Json j = Json::parse(*raw);
    if (j.value("v", "") != "meta.k8s.io/v1") return false;
    rev = j.value("rv", int64_t{0});
    start = j.value("start", "");
    return rev > 0;
  } catch (...) {
    return false;
  }
}

}  // namespace kapi::server
