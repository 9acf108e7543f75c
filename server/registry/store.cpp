#include "server/registry/store.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/duration.h"

#include "server/registry/json_access.h"

#include <chrono>
#include <algorithm>
#include <mutex>
#include <map>
#include <set>
#include <random>

#include "pkg/runtime/codec.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/typed_json.h"
#include "pkg/runtime/patch_schema.h"
#include "pkg/runtime/yaml.h"
#include "pkg/runtime/schema.h"
#include "pkg/runtime/status.h"
#include "server/authorizer.h"
#include "server/registry/allocator.h"
#include "server/registry/conversion.h"
#include "server/registry/list_writer.h"
#include "server/registry/managed_fields.h"
#include "server/registry/object_meta.h"
#include "server/registry/patch.h"
#include "server/registry/pod_stream_location.h"
#include "server/registry/selectable_view.h"
#include "server/registry/selectors.h"
#include "server/registry/strategy.h"
#include "server/registry/table.h"
#include "server/registry/token_request.h"
#include "server/registry/watch_stream.h"

namespace kapi::server {

using runtime::Status;
using runtime::StatusCause;

namespace {

runtime::GroupResource gr_of(const ResourceInfo& r) { return {r.group, r.resource}; }

// Derived-encoding slots of a cached object.

bool go_bool(const std::string& v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "True" || v == "TRUE";
}

void write_status(HttpResponse& out, const Status& s) {
  out.status = s.code;
  out.content_type = "application/json";
  out.body = runtime::encode_json(s.to_json());
  if (s.retry_after > 0) out.set_header("Retry-After", std::to_string(s.retry_after));
}

std::string now_rfc3339() {
  return machinery::format_rfc3339(std::chrono::system_clock::now());
}

}  // namespace

struct Store::Impl {
  storage::WatchCache& cache;
  StoreOptions opts;
  Allocator allocator;
  std::mutex ensure_mu;

  Impl(storage::WatchCache& c, StoreOptions o) : cache(c), opts(std::move(o)), allocator(o.service_cidr) {
    allocator.configure(opts.service_cidr, opts.node_port_range);
  }

  const runtime::StructType* type_of(const ResourceInfo& res) const {
    return runtime::Schema::get().find(res.package, res.kind);
  }

  // ---------------------------------------------------------------- decoding

  // The options object of a request body (DeleteOptions, an Eviction) in JSON or, from kubectl's
  // typed clients, protobuf; {} when absent or undecodable.
  static Json decode_options(const HttpRequest& req, std::string_view type_name) {
    Json opts = Json::object();
    if (req.body.empty()) return opts;
    std::string ctype = req.header("content-type");
    ctype.resize(std::min(ctype.size(), ctype.find(';')));
    const runtime::StructType* type = runtime::Schema::get().find(type_name);
    runtime::DecodeResult dr;
    if (!type || !runtime::decode_body(req.body, ctype, *type, opts, dr) || !opts.is_object()) return Json::object();
    return opts;
  }

  // Decodes a write body into the typed tree: content type, kind/apiVersion checks, strict or
  // warn field validation. Returns an error Status (code >= 400) on failure.
  Status decode(const ResourceInfo& res, const HttpRequest& req, const std::string& expect_kind,
                const runtime::StructType& type, Json& out, std::vector<std::string>& warnings,
                bool is_patch_result = false) {
    runtime::DecodeResult dr;
    Json raw;
    std::string ctype = req.header("content-type");
    auto semi = ctype.find(';');
    if (semi != std::string::npos) ctype.resize(semi);
    std::string what = expect_kind + " in version \"" + res.version + "\" cannot be handled as a " + expect_kind + ": ";
    if (!runtime::decode_body(req.body, ctype, type, raw, dr)) {
      if (dr.error == "unsupported media type") return Status::unsupported_media_type(ctype);
      if (is_patch_result) return Status::bad_request(what + dr.error);
      // Syntax errors surface before the kind is known (yaml.YAMLToJSON, or the json parse in
      // SimpleMetaFactory.Interpret), so upstream reports the body as unrecognized.
      const std::string yaml_prefix = "error converting YAML to JSON: ";
      if (dr.error.rfind(yaml_prefix, 0) == 0) return unrecognized(res.kind, dr.error.substr(yaml_prefix.size()), req.body);
      return unrecognized(res.kind, "couldn't get version/kind; json parse error: " + dr.error, req.body);
    }
    if (raw.is_null()) raw = Json::object();  // Go's Unmarshal of null leaves the object empty
    if (std::string bad = kind_probe_error(raw); !bad.empty())
      return unrecognized(res.kind, "couldn't get version/kind; json parse error: " + bad, req.body);
    std::string gv = res.group_version();
    if (auto it = raw.find("apiVersion"); it != raw.end() && it->is_string() && !it->get<std::string>().empty() &&
        it->get<std::string>() != gv && expect_kind == res.kind)
      return Status::bad_request("the API version in the data (" + it->get<std::string>() +
                                 ") does not match the expected API version (" + gv + ")");
    if (auto it = raw.find("kind"); it != raw.end() && it->is_string() && !it->get<std::string>().empty() &&
        it->get<std::string>() != expect_kind)
      return Status::bad_request(what + "no kind \"" + it->get<std::string>() +
                                 "\" is registered for version \"" + gv + "\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"");
    out = runtime::normalize(std::move(raw), type, dr);
    if (!dr.ok()) return Status::bad_request(what + dr.error);
    std::string validation = req.param("fieldValidation");
    if (validation.empty()) validation = "Warn";
    if (validation == "Strict") {
      std::string msg = dr.strict_message();
      if (!msg.empty()) {
        if (is_patch_result) {
          // Upstream: `Kind.group "name" is invalid: patch: Invalid value: "<patch>": <strict error>`.
          std::string name = out.contains("metadata") ? out["metadata"].value("name", "") : "";
          return Status::invalid(res.group, expect_kind, name,
                                 {runtime::field_invalid("patch", runtime::encode_json(Json(req.param("$patch"))), msg)});
        }
        return Status::bad_request(what + msg);
      }
    } else if (validation == "Warn") {
      for (auto& w : dr.warnings()) warnings.push_back(w);
    } else if (validation != "Ignore") {
      return Status::bad_request("fieldValidation parameter unsupported: " + validation);
    }
    out["kind"] = expect_kind;
    if (expect_kind == res.kind) out["apiVersion"] = gv;
    return Status::success();
  }

  // apiserver transformDecodeError without a decoded kind: `the object provided is unrecognized
  // (must be of type Kind): <err> (<summarizeData(body, 30)>)`.
  static Status unrecognized(const std::string& kind, const std::string& err, const std::string& body) {
    std::string summary;
    const size_t max = 30;
    if (body.empty()) summary = "<empty>";
    else if (body[0] == '{') summary = body.size() > max ? body.substr(0, max) + " ..." : body;
    else {
      static const char* kHex = "0123456789abcdef";
      for (size_t i = 0; i < body.size() && i < max; ++i) {
        summary += kHex[static_cast<unsigned char>(body[i]) >> 4];
        summary += kHex[static_cast<unsigned char>(body[i]) & 15];
      }
      if (body.size() > max) summary += " ...";
    }
    return Status::bad_request("the object provided is unrecognized (must be of type " + kind + "): " + err +
                               " (" + summary + ")");
  }

  // What encoding/json says when SimpleMetaFactory.Interpret unmarshals the body into its
  // anonymous {APIVersion, Kind string} struct; "" when that succeeds.
  static std::string kind_probe_error(const Json& raw) {
    auto go_kind = [](const Json& v) -> std::string {
      if (v.is_string()) return "string";
      if (v.is_boolean()) return "bool";
      if (v.is_number()) return "number";
      if (v.is_array()) return "array";
      return "object";
    };
    if (!raw.is_object())
      return "json: cannot unmarshal " + go_kind(raw) +
             " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
             "Kind string \"json:\\\"kind,omitempty\\\"\" }";
    for (const char* field : {"apiVersion", "kind"}) {
      auto it = raw.find(field);
      if (it != raw.end() && !it->is_string() && !it->is_null())
        return "json: cannot unmarshal " + go_kind(*it) + " into Go struct field ." + field + " of type string";
    }
    return "";
  }

  // ---------------------------------------------------------------- responses

  void respond_object(const HttpRequest& req, HttpResponse& out, int code, const std::string& json,
                      const ResourceInfo& res, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) {
      // net.NewWarningHeader rejects texts with control characters (a YAML strict error is
      // multi-line), and the apiserver then drops the warning.
      if (std::any_of(w.begin(), w.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) continue;
      out.set_header("Warning", "299 - \"" + escape_warning(w) + "\"");
    }
    out.status = code;
    if (wants_table(req)) {
      Json obj = Json::parse(json);
      out.body = runtime::encode_json(table_for_objects(res, {&obj}, req.param("includeObject"), true, ""));
      out.content_type = "application/json";
      return;
    }
    runtime::encode_response(json, req.header("accept"), out.body, out.content_type);
  }

  static std::string escape_warning(const std::string& w) {
    std::string o;
    for (char c : w) {
      if (c == '"' || c == '\\') o += '\\';
      o += c;
    }
    return o;
  }

  // ---------------------------------------------------------------- verbs

  void get(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req, HttpResponse& out) {
    auto obj = cache.get(res.key(info.namespace_, info.name));
    if (!obj) return write_status(out, Status::not_found(gr_of(res), info.name));
    respond_object(req, out, 200, served_json(res, *obj), res, {});
  }

  void list(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req, HttpResponse& out) {
    SelectorFilter sel;
    Status st = parse_resource_selectors(res, req.param("labelSelector"), req.param("fieldSelector"), sel);
    if (!st.ok()) return write_status(out, st);
    storage::ListOptions lo;
    lo.prefix = info.namespace_.empty() || !res.namespaced ? res.storage_prefix
                                                           : res.storage_prefix + info.namespace_ + "/";
    int64_t limit = 0;
    if (req.has_param("limit")) limit = std::atoll(req.param("limit").c_str());
    if (limit < 0) limit = 0;
    lo.limit = limit;
    std::string cont = req.param("continue");
    if (!cont.empty()) {
      int64_t rev = 0;
      std::string start;
      if (!decode_continue(cont, rev, start))
        return write_status(out, Status::bad_request("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
      lo.start_key = lo.prefix + start;
      lo.revision = rev;
    }
    std::string rv = req.param("resourceVersion");
    std::string rvm = req.param("resourceVersionMatch");
    if (!rvm.empty()) {
      if (Status s = validate_rv_match(rv, rvm, cont); !s.ok()) return write_status(out, s);
      if (rvm == "Exact") lo.revision = std::atoll(rv.c_str());
    }
    if (sel.match) {
      auto m = sel.match;
      lo.filter = [m](const storage::CachedObject& o) { return m(o.labels, o.fields); };
    }
    auto result = cache.list(lo);
    if (!result.ok()) {
      if (result.error().code == storage::Code::kExpired)
        return write_status(out, Status::resource_expired(
            cont.empty() ? "The resourceVersion for the provided list is too old."
                         : "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."));
      if (result.error().code == storage::Code::kFutureRevision) {
        // Upstream waits up to 3 s for the cache to catch up, then answers 504 like this.
        Status s = Status::timeout("Too large resource version: " + std::to_string(lo.revision) +
                                   ", current: " + std::to_string(result.error().current_revision));
        s.has_details = true;
        s.causes.push_back({"ResourceVersionTooLarge", "Too large resource version", ""});
        s.retry_after = 1;
        return write_status(out, s);
      }
      return write_status(out, Status::internal(result.error().message));
    }
    auto& r = result.value();
    std::string continue_token;
    if (!r.continue_key.empty())
      continue_token = encode_continue(r.revision, r.continue_key.substr(lo.prefix.size()));
    if (wants_table(req)) {
      out.content_type = "application/json";
      write_table_list(out, res, std::move(r.items), req.param("includeObject"), r.revision, continue_token,
                       r.continue_key.empty() ? 0 : r.remaining);
      return;
    }
    std::string head = "{\"kind\":\"" + res.list_kind + "\",\"apiVersion\":\"" + res.group_version() +
                       "\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(r.revision) + "\"";
    if (!continue_token.empty()) {
      head += ",\"continue\":\"" + continue_token + "\"";
      if (r.remaining > 0) head += ",\"remainingItemCount\":" + std::to_string(r.remaining);
    }
    head += "},\"items\":[";
    std::string accept = req.header("accept");
    if (accept.find("application/yaml") != std::string::npos) {
      HttpResponse whole;
      write_list(whole, head, std::move(r.items),
                 [r = &res](std::string& o, const storage::CachedObject& item) { append_served_json(o, *r, item, true); },
                 "]}");
      runtime::encode_response(whole.body, accept, out.body, out.content_type);
      return;
    }
    out.content_type = "application/json";
    write_list(out, std::move(head), std::move(r.items),
               [r = &res](std::string& o, const storage::CachedObject& item) { append_served_json(o, *r, item, true); },
               "]}");
  }

  static Status validate_rv_match(const std::string& rv, const std::string& rvm, const std::string& cont) {
    std::vector<StatusCause> causes;
    if (rvm != "Exact" && rvm != "NotOlderThan")
      causes.push_back(runtime::field_unsupported("resourceVersionMatch", "\"" + rvm + "\"", {"Exact", "NotOlderThan", ""}));
    else if (rv.empty())
      causes.push_back(runtime::field_forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
    else if (!cont.empty())
      causes.push_back(runtime::field_forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
    else if (rvm == "Exact" && rv == "0")
      causes.push_back(runtime::field_forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
    if (causes.empty()) return Status::success();
    Status s = Status::invalid("meta.k8s.io", "ListOptions", "", causes);
    s.message = "ListOptions.meta.k8s.io \"\" is invalid: " + causes[0].field + ": " + causes[0].message;
    return s;
  }

  // Admission: NamespaceLifecycle.
  Status admit_namespace(const ResourceInfo& res, const std::string& ns, const std::string& name) {
    if (!res.namespaced) return Status::success();
    auto nsobj = cache.get("/registry/namespaces/" + ns);
    if (!nsobj) return Status::not_found({"", "namespaces"}, ns);
    bool terminating = false;  // the namespace's selectable fields carry status.phase
    for (const auto& [k, v] : nsobj->fields) terminating |= k == "status.phase" && v == "Terminating";
    if (terminating) {
      return Status::forbidden(gr_of(res), name, "unable to create new content in namespace " + ns +
                                                   " because it is being terminated");
    }
    return Status::success();
  }

  void create(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
              const UserInfo& user, HttpResponse& out, const Json* managed_fields = nullptr) {
    const runtime::StructType* type = type_of(res);
    Json obj;
    std::vector<std::string> warnings;
    if (Status s = decode(res, req, res.kind, *type, obj, warnings); !s.ok()) return write_status(out, s);
    if (!res.stored()) return virtual_create(info, res, req, user, obj, out);
    Json& meta = obj["metadata"];
    std::string body_ns = meta.value("namespace", "");
    if (res.namespaced) {
      if (!body_ns.empty() && body_ns != info.namespace_)
        return write_status(out, Status::bad_request("the namespace of the provided object does not match the namespace sent on the request"));
      meta["namespace"] = info.namespace_;
    } else {
      meta.erase("namespace");
    }
    const Strategy& strat = strategy_for(res);
    if (meta.value("name", "").empty() && !meta.value("generateName", "").empty())
      meta["name"] = meta["generateName"].get<std::string>() + random_suffix();
    prepare_new_meta(obj, *type, strat.tracks_generation(), req, user, "Update");
    if (managed_fields) obj["metadata"]["managedFields"] = *managed_fields;
    strat.apply_defaults(obj);
    strat.prepare_create_as(obj, user);
    // obj may have grown (ordered_json is vector-backed): `meta` is stale from here on.
    std::vector<StatusCause> causes = validate_meta(res, obj);
    auto more = strat.validate(obj);
    causes.insert(causes.end(), more.begin(), more.end());
    std::string name = obj["metadata"].value("name", "");
    // The kind is the internal type's, which a version sharing a storage has from its owner.
    if (!causes.empty()) return write_status(out, Status::invalid(res.storage_resource().group, res.kind, name, causes));
    if (Status s = admit_namespace(res, info.namespace_, name); !s.ok()) return write_status(out, s);
    if (std::string denial = strat.create_denial(obj); !denial.empty())
      return write_status(out, Status::forbidden(gr_of(res), name, denial));
    if (Status s = allocate(res, obj, nullptr); !s.ok()) return write_status(out, s);
    // Defaulting added fields out of declaration order: write them in order in one pass.
    std::string bytes = runtime::encode_typed_json(obj, *type);  // no resourceVersion: it is the revision
    if (is_dry_run(req)) return respond_object(req, out, 201, bytes, res, warnings);
    auto r = cache.backend().create(res.key(info.namespace_, name), stored_bytes(res, obj, bytes));
    if (!r.ok()) {
      release(res, obj);
      if (r.error().code == storage::Code::kAlreadyExists)
        return write_status(out, Status::already_exists(gr_of(res), name));
      return write_status(out, Status::internal(r.error().message));
    }
    std::string answer;
    answer.reserve(bytes.size() + 32);
    append_with_resource_version(answer, bytes, r->mod_revision, false);
    respond_object(req, out, 201, answer, res, warnings);
  }

  Json renormalize(const ResourceInfo& res, Json obj) {
    runtime::DecodeResult dr;
    return runtime::normalize(std::move(obj), *type_of(res), dr);
  }

  // The bytes to store for a served object `obj` (`encoded`: its encoding, if known). A version
  // that shares another resource's storage is stored in the owner's shape, without
  // resourceVersion (it is the revision).
  static std::string stored_bytes(const ResourceInfo& res, const Json& obj, const std::string& encoded = "") {
    if (!converter_for(res)) return encoded.empty() ? runtime::encode_json(obj) : encoded;
    return runtime::encode_json(without_rv(to_stored(res, obj)));
  }

  // Update (PUT) and the tail of PATCH: `obj` is the full new object.
  void update_object(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                     const UserInfo& user, Json obj, const storage::ObjectPtr& current,
                     const std::vector<std::string>& warnings, HttpResponse& out,
                     bool allow_create, bool skip_managed_fields = false) {
    const Strategy& strat = strategy_for(res);
    Json& meta = obj["metadata"];
    if (meta.value("name", "") != info.name) {
      if (meta.value("name", "").empty() && !allow_create) meta["name"] = info.name;
      else
        return write_status(out, Status::bad_request("the name of the object (" + meta.value("name", "") +
                                                     ") does not match the name on the URL (" + info.name + ")"));
    }
    if (res.namespaced) {
      std::string body_ns = meta.value("namespace", "");
      if (!body_ns.empty() && body_ns != info.namespace_)
        return write_status(out, Status::bad_request("the namespace of the provided object does not match the namespace sent on the request"));
      meta["namespace"] = info.namespace_;
    }
    if (!current) {
      if (!allow_create) return write_status(out, Status::not_found(gr_of(res), info.name));
      // Create on update (PUT of a missing object), as upstream allows for most kinds.
      HttpRequest r2 = req;
      r2.body = obj.dump();
      r2.headers.erase("content-type");
      r2.headers.emplace("content-type", "application/json");
      return create(info, res, r2, user, out);
    }
    Json old = to_served(res, Json::parse(current->value));
    std::string want_rv = meta.value("resourceVersion", "");
    if (!want_rv.empty() && want_rv != std::to_string(current->mod_revision))
      return write_status(out, Status::conflict_modified(gr_of(res), info.name));
    // Immutable metadata comes from the stored object.
    for (const char* k : {"uid", "creationTimestamp", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
      if (old["metadata"].contains(k)) meta[k] = old["metadata"][k];
      else meta.erase(k);
    }
    if (info.subresource == "status") strat.prepare_status_update(obj, old);
    else if (info.subresource.empty()) strat.prepare_update(obj, old);
    else strat.prepare_subresource_update(info.subresource, obj, old);
    strat.apply_defaults(obj);
    Json& meta2 = obj["metadata"];  // the strategies may have replaced obj: no stale references
    if (strat.tracks_generation() && info.subresource.empty()) {
      if (obj.value("spec", Json()) != old.value("spec", Json()) ||
          (res.kind == "Deployment" && meta2.value("annotations", Json()) != old["metadata"].value("annotations", Json())))
        meta2["generation"] = old["metadata"].value("generation", 1) + 1;
    }
    meta2.erase("resourceVersion");
    if (!skip_managed_fields) update_managed_fields(obj, old, *type_of(res), req, user, info.subresource);
    std::vector<StatusCause> causes = validate_meta(res, obj);
    auto more = strat.validate_subresource_update(info.subresource, obj, old);
    causes.insert(causes.end(), more.begin(), more.end());
    if (!causes.empty())
      return write_status(out, Status::invalid(res.storage_resource().group, res.kind, info.name, causes));
    if (Status s = allocate(res, obj, &old); !s.ok()) return write_status(out, s);
    obj = renormalize(res, std::move(obj));
    std::string bytes = runtime::encode_json(obj);
    Json old_normalized = without_rv(renormalize(res, old));
    std::string old_bytes = runtime::encode_json(old_normalized);
    if (bytes != old_bytes && old_normalized["metadata"].contains("managedFields")) {
      // A write that changes nothing but its own managedFields timestamp is a no-op, as
      // upstream (no new resourceVersion; kubectl then says "(no change)").
      Json probe = obj;
      probe["metadata"]["managedFields"] = old_normalized["metadata"]["managedFields"];
      if (runtime::encode_json(probe) == old_bytes) bytes = old_bytes;
    }
    // Finalizers removed from an object being deleted: the delete completes now.
    bool finish_delete = old["metadata"].contains("deletionTimestamp") &&
                         arr_at(obj["metadata"], "finalizers").empty() &&
                         !(res.resource == "namespaces");
    if (is_dry_run(req)) {
      set_resource_version(obj, current->mod_revision);
      return respond_object(req, out, 200, runtime::encode_json(obj), res, warnings);
    }
    if (bytes == old_bytes && !finish_delete) {
      return respond_object(req, out, 200, served_json(res, *current), res, warnings);
    }
    if (finish_delete) {
      auto r = cache.backend().remove(current->key, current->mod_revision);
      if (!r.ok()) return write_status(out, storage_error(res, info.name, r.error()));
      release(res, old);
      set_resource_version(obj, r->mod_revision);
      return respond_object(req, out, 200, runtime::encode_json(obj), res, warnings);
    }
    auto r = cache.backend().update(current->key, stored_bytes(res, obj, bytes), current->mod_revision);
    if (!r.ok()) return write_status(out, storage_error(res, info.name, r.error()));
    set_resource_version(obj, r->mod_revision);
    respond_object(req, out, 200, runtime::encode_json(obj), res, warnings);
  }

  Status storage_error(const ResourceInfo& res, const std::string& name, const storage::Error& e) {
    switch (e.code) {
      case storage::Code::kConflict: return Status::conflict_modified(gr_of(res), name);
      case storage::Code::kNotFound: return Status::not_found(gr_of(res), name);
      case storage::Code::kAlreadyExists: return Status::already_exists(gr_of(res), name);
      default: return Status::internal(e.message);
    }
  }

  // The strategies' AllowCreateOnUpdate: only these resources are created by a PUT of a missing
  // object; every other PUT answers NotFound (so `kubectl replace` of a missing object fails).
  static bool allow_create_on_update(const ResourceInfo& res) {
    static const std::set<std::string> kAllowed = {
        "endpoints", "events", "limitranges", "services", "serviceaccounts", "leases", "roles", "rolebindings",
        "clusterroles", "clusterrolebindings", "endpointslices", "flowschemas", "prioritylevelconfigurations"};
    return kAllowed.count(res.resource) > 0;
  }

  void update(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
              const UserInfo& user, HttpResponse& out) {
    if (info.subresource == "scale") return scale_update(info, res, req, user, out, false);
    const runtime::StructType* type = type_of(res);
    Json obj;
    std::vector<std::string> warnings;
    if (Status s = decode(res, req, res.kind, *type, obj, warnings); !s.ok()) return write_status(out, s);
    auto current = cache.get(res.key(info.namespace_, info.name));
    if (info.subresource == "finalize" && current) {
      Json old = to_served(res, Json::parse(current->value));
      old["spec"] = obj_at(obj, "spec");
      obj = old;
      obj["metadata"]["resourceVersion"] = std::to_string(current->mod_revision);
    }
    bool allow_create = info.subresource.empty() && allow_create_on_update(res);
    update_object(info, res, req, user, std::move(obj), current, warnings, out, allow_create);
  }

  void patch(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
             const UserInfo& user, HttpResponse& out) {
    if (info.subresource == "scale") return scale_update(info, res, req, user, out, true);
    std::string ctype = req.header("content-type");
    if (auto semi = ctype.find(';'); semi != std::string::npos) ctype.resize(semi);
    auto current = cache.get(res.key(info.namespace_, info.name));
    if (ctype == "application/apply-patch+yaml") return server_side_apply(info, res, req, user, current, out);
    if (!current) return write_status(out, Status::not_found(gr_of(res), info.name));
    Json live = Json::parse(served_json(res, *current));
    Json patched;
    Status st = apply_patch(ctype, req.body, live, type_of(res), patched);
    if (!st.ok()) return write_status(out, st);
    HttpRequest r2 = req;
    r2.body = patched.dump();
    r2.headers.erase("content-type");
    r2.headers.emplace("content-type", "application/json");
    r2.query.emplace("$patch", req.body);
    Json obj;
    std::vector<std::string> warnings;
    if (Status s = decode(res, r2, res.kind, *type_of(res), obj, warnings, true); !s.ok()) {
      if (s.code == 422) s.message = s.message;  // patch strict errors keep upstream's 422 form
      return write_status(out, s);
    }
    update_object(info, res, r2, user, std::move(obj), current, warnings, out, false);
  }

  // Server-side apply: the applied configuration owns its fields; a field another manager owns
  // with a different value is a conflict unless force=true.
  void server_side_apply(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                         const UserInfo& user, const storage::ObjectPtr& current, HttpResponse& out) {
    std::string manager = req.param("fieldManager");
    if (manager.empty())
      return write_status(out, Status::bad_request("PATCH, application/apply-patch+yaml requests must set the fieldManager parameter"));
    const runtime::StructType* type = type_of(res);
    std::vector<Json> docs;
    std::string err;
    if (!runtime::yaml_to_json(req.body, docs, &err) || docs.empty() || !docs[0].is_object())
      return write_status(out, Status::bad_request(err.empty() ? "error decoding YAML: empty body" : err));
    Json applied = docs[0];
    runtime::DecodeResult dr;
    (void)runtime::normalize(applied, *type, dr);
    if (!dr.ok()) return write_status(out, Status::bad_request(dr.error));
    if (req.param("fieldValidation") == "Strict" && !dr.strict_message().empty())
      return write_status(out, Status::bad_request(".: " + dr.strict_message()));
    Json applied_set = field_set(applied, *type);
    std::string api_version = res.group_version();
    if (!current) {
      Json mf = Json::array({managed_entry(manager, "Apply", api_version, applied_set, "")});
      HttpRequest r2 = req;
      r2.body = applied.dump();
      r2.headers.erase("content-type");
      r2.headers.emplace("content-type", "application/json");
      return create(info, res, r2, user, out, &mf);
    }
    Json live = Json::parse(served_json(res, *current));
    Json mf = arr_at(live["metadata"], "managedFields");
    struct Conflict { size_t entry; FieldPath path; };
    std::vector<Conflict> conflicts;
    auto paths = leaf_paths(applied_set);
    for (size_t i = 0; i < mf.size(); ++i) {
      const Json& e = mf[i];
      if (e.value("manager", "") == manager && e.value("operation", "") == "Apply") continue;
      if (!e.contains("fieldsV1")) continue;
      for (const auto& p : paths) {
        if (!set_contains(e["fieldsV1"], p)) continue;
        const Json* lv = value_at(live, p);
        const Json* av = value_at(applied, p);
        if (!lv || !av || *lv != *av) conflicts.push_back({i, p});
      }
    }
    bool force = req.param("force") == "true";
    if (!conflicts.empty() && !force) {
      Status s;
      s.code = 409;
      s.reason = "Conflict";
      s.has_details = true;
      std::map<size_t, std::vector<std::string>> by_entry;
      for (const auto& c : conflicts) {
        std::string who = "conflict with \"" + mf[c.entry].value("manager", "") + "\"";
        if (mf[c.entry].value("operation", "") == "Update" && false) who += "";
        who += " using " + mf[c.entry].value("apiVersion", "");
        s.causes.push_back({"FieldManagerConflict", who, human_path(c.path)});
        by_entry[c.entry].push_back(human_path(c.path));
      }
      std::string msg = "Apply failed with " + std::to_string(conflicts.size()) + " conflict" + (conflicts.size() == 1 ? "" : "s") + ": ";
      bool first = true;
      for (const auto& [entry, fields] : by_entry) {
        std::string who = "\"" + mf[entry].value("manager", "") + "\" using " + mf[entry].value("apiVersion", "");
        if (!first) msg += "\n";
        first = false;
        if (fields.size() == 1) msg += "conflict with " + who + ": " + fields[0];
        else {
          msg += "conflicts with " + who + ":";
          for (const auto& f : fields) msg += "\n- " + f;
        }
      }
      s.message = msg;
      return write_status(out, s);
    }
    // Merge the applied configuration into the live object.
    Json patch = applied;
    patch.erase("status");
    auto merged = machinery::strategic_merge_patch(live, patch, runtime::patch_schema_for(*type));
    if (!merged.ok()) return write_status(out, Status::bad_request(merged.error()));
    Json result = merged.value();
    // Fields this manager applied before but no longer does, and nobody else owns, go away.
    Json prev_set = Json::object();
    for (const auto& e : mf)
      if (e.value("manager", "") == manager && e.value("operation", "") == "Apply") prev_set = obj_at(e, "fieldsV1");
    for (const auto& p : leaf_paths(prev_set)) {
      if (set_contains(applied_set, p)) continue;
      bool owned = false;
      for (const auto& e : mf)
        if (!(e.value("manager", "") == manager && e.value("operation", "") == "Apply") && e.contains("fieldsV1"))
          owned |= set_contains(e["fieldsV1"], p);
      if (!owned) remove_value(result, p);
    }
    // Ownership: forced conflicts move to this manager.
    for (const auto& c : conflicts) remove_from_set(mf[c.entry]["fieldsV1"], c.path);
    Json new_mf = Json::array();
    bool placed = false;
    for (auto& e : mf) {
      if (e.value("manager", "") == manager && e.value("operation", "") == "Apply") {
        new_mf.push_back(managed_entry(manager, "Apply", api_version, applied_set, ""));
        placed = true;
      } else if (!obj_at(e, "fieldsV1").empty()) {
        new_mf.push_back(e);
      }
    }
    if (!placed) new_mf.push_back(managed_entry(manager, "Apply", api_version, applied_set, ""));
    result["metadata"]["managedFields"] = new_mf;
    result["metadata"].erase("resourceVersion");
    HttpRequest r2 = req;
    r2.body = result.dump();
    r2.headers.erase("content-type");
    r2.headers.emplace("content-type", "application/json");
    Json obj;
    std::vector<std::string> warnings;
    if (Status s = decode(res, r2, res.kind, *type, obj, warnings, true); !s.ok()) return write_status(out, s);
    update_object(info, res, r2, user, std::move(obj), current, warnings, out, false, true);
  }

  void scale_update(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                    const UserInfo& user, HttpResponse& out, bool is_patch) {
    auto current = cache.get(res.key(info.namespace_, info.name));
    if (!current) return write_status(out, Status::not_found(gr_of(res), info.name));
    Json live = Json::parse(object_json(*current));
    Json scale = scale_of(res, live);
    Json updated;
    if (is_patch) {
      std::string ctype = req.header("content-type");
      if (auto semi = ctype.find(';'); semi != std::string::npos) ctype.resize(semi);
      Status st = apply_patch(ctype, req.body, scale, runtime::Schema::get().find("io.k8s.api.autoscaling.v1.Scale"), updated);
      if (!st.ok()) return write_status(out, st);
    } else {
      runtime::DecodeResult dr;
      if (!runtime::parse_json(req.body, updated, dr)) return write_status(out, Status::bad_request(dr.error));
    }
    if (!updated.contains("spec") || !updated["spec"].contains("replicas"))
      updated["spec"]["replicas"] = 0;
    int64_t replicas = updated["spec"]["replicas"].is_number_integer() ? updated["spec"]["replicas"].get<int64_t>() : 0;
    if (replicas < 0) {
      return write_status(out, Status::invalid("autoscaling", "Scale", info.name,
          {runtime::field_invalid("spec.replicas", std::to_string(replicas), "must be greater than or equal to 0")}));
    }
    std::string want_rv = updated["metadata"].value("resourceVersion", "");
    if (!want_rv.empty() && want_rv != std::to_string(current->mod_revision))
      return write_status(out, Status::conflict_modified(gr_of(res), info.name));
    Json obj = live;
    obj["spec"]["replicas"] = replicas;
    obj["metadata"].erase("resourceVersion");
    HttpResponse inner;
    RequestInfo i2 = info;
    i2.subresource = "";
    update_object(i2, res, req, user, obj, current, {}, inner, false);
    if (inner.status >= 400) { out = inner; return; }
    Json result = Json::parse(inner.body);
    out.status = 200;
    runtime::encode_response(runtime::encode_json(scale_of(res, result)), req.header("accept"), out.body, out.content_type);
  }

  static Json scale_of(const ResourceInfo& res, const Json& obj) {
    Json s = Json::object();
    s["kind"] = "Scale";
    s["apiVersion"] = "autoscaling/v1";
    Json m = Json::object();
    for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
      if (obj["metadata"].contains(k)) m[k] = obj["metadata"][k];
    s["metadata"] = m;
    s["spec"] = Json::object();
    s["spec"]["replicas"] = obj.contains("spec") ? obj["spec"].value("replicas", 1) : 1;
    s["status"] = Json::object();
    s["status"]["replicas"] = obj.contains("status") ? obj["status"].value("replicas", 0) : 0;
    if (obj.contains("spec") && obj["spec"].contains("selector")) {
      std::string sel;
      // A ReplicationController's selector is a plain label map; the others' a LabelSelector.
      const Json& ml = res.kind == "ReplicationController" ? obj["spec"]["selector"] : obj_at(obj["spec"]["selector"], "matchLabels");
      for (auto it = ml.begin(); it != ml.end(); ++it) {
        if (!sel.empty()) sel += ",";
        sel += it.key() + "=" + it.value().get<std::string>();
      }
      s["status"]["selector"] = sel;
    }
    return s;
  }

  void get_scale(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req, HttpResponse& out) {
    auto current = cache.get(res.key(info.namespace_, info.name));
    if (!current) return write_status(out, Status::not_found(gr_of(res), info.name));
    Json live = Json::parse(object_json(*current));
    runtime::encode_response(runtime::encode_json(scale_of(res, live)), req.header("accept"), out.body, out.content_type);
  }

  void remove(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
              const UserInfo& user, HttpResponse& out) {
    auto current = cache.get(res.key(info.namespace_, info.name));
    if (!current) return write_status(out, Status::not_found(gr_of(res), info.name));
    Json opts = decode_options(req, "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
    // DeleteOptions.dryRun comes in the body (kubectl) or the query.
    bool dry_run = is_dry_run(req);
    if (opts.contains("dryRun") && opts["dryRun"].is_array())
      for (const auto& d : opts["dryRun"])
        if (d == "All") dry_run = true;
    Json obj = Json::parse(served_json(res, *current));
    std::string precondition_rv;
    if (opts.contains("preconditions") && opts["preconditions"].is_object()) {
      precondition_rv = opts["preconditions"].value("resourceVersion", "");
      std::string uid = opts["preconditions"].value("uid", "");
      if (!uid.empty() && uid != obj["metadata"].value("uid", ""))
        return write_status(out, Status::conflict(gr_of(res), info.name,
            "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + obj["metadata"].value("uid", "")));
      if (!precondition_rv.empty() && precondition_rv != std::to_string(current->mod_revision))
        return write_status(out, Status::conflict(gr_of(res), info.name,
            "Precondition failed: ResourceVersion in precondition: " + precondition_rv + ", ResourceVersion in object meta: " + std::to_string(current->mod_revision)));
    }
    Json& meta = obj["metadata"];
    bool has_finalizers = meta.contains("finalizers") && !meta["finalizers"].empty();
    std::string policy = opts.value("propagationPolicy", "");
    if (policy == "Foreground" && !has_finalizers) {
      meta["finalizers"] = Json::array({"foregroundDeletion"});
      has_finalizers = true;
    }
    bool graceful = res.resource == "pods" && !obj_at(obj, "spec").value("nodeName", "").empty() &&
                    !(opts.contains("gracePeriodSeconds") && opts["gracePeriodSeconds"] == 0);
    if (res.resource == "namespaces") {
      if (meta.contains("deletionTimestamp")) return respond_object(req, out, 200, served_json(res, *current), res, {});
      meta["deletionTimestamp"] = now_rfc3339();
      meta["deletionGracePeriodSeconds"] = 0;
      obj["status"]["phase"] = "Terminating";
      meta.erase("resourceVersion");
      if (dry_run) return respond_object(req, out, 200, runtime::encode_json(obj), res, {});
      auto r = cache.backend().update(current->key, stored_bytes(res, obj), current->mod_revision);
      if (!r.ok()) return write_status(out, storage_error(res, info.name, r.error()));
      set_resource_version(obj, r->mod_revision);
      return respond_object(req, out, 200, runtime::encode_json(obj), res, {});
    }
    if (has_finalizers || graceful) {
      if (!meta.contains("deletionTimestamp")) {
        int64_t grace = graceful ? obj_at(obj, "spec").value("terminationGracePeriodSeconds", 30) : 0;
        if (opts.contains("gracePeriodSeconds") && opts["gracePeriodSeconds"].is_number_integer())
          grace = opts["gracePeriodSeconds"].get<int64_t>();
        meta["deletionTimestamp"] = now_rfc3339();
        meta["deletionGracePeriodSeconds"] = grace;
        if (strategy_for(res).tracks_generation()) meta["generation"] = meta.value("generation", 0) + 1;
        meta.erase("resourceVersion");
        if (dry_run) return respond_object(req, out, 200, runtime::encode_json(obj), res, {});
        auto r = cache.backend().update(current->key, stored_bytes(res, obj), current->mod_revision);
        if (!r.ok()) return write_status(out, storage_error(res, info.name, r.error()));
        set_resource_version(obj, r->mod_revision);
      }
      return respond_object(req, out, 200, runtime::encode_json(obj), res, {});
    }
    if (dry_run) return respond_object(req, out, 200, served_json(res, *current), res, {});
    auto r = cache.backend().remove(current->key, current->mod_revision);
    if (!r.ok()) return write_status(out, storage_error(res, info.name, r.error()));
    release(res, Json::parse(current->value));
    respond_object(req, out, 200, served_json(res, *current), res, {});
  }

  void delete_collection(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                         const UserInfo& user, HttpResponse& out) {
    SelectorFilter sel;
    Status st = parse_resource_selectors(res, req.param("labelSelector"), req.param("fieldSelector"), sel);
    if (!st.ok()) return write_status(out, st);
    storage::ListOptions lo;
    lo.prefix = info.namespace_.empty() || !res.namespaced ? res.storage_prefix
                                                           : res.storage_prefix + info.namespace_ + "/";
    if (sel.match) {
      auto m = sel.match;
      lo.filter = [m](const storage::CachedObject& o) { return m(o.labels, o.fields); };
    }
    auto result = cache.list(lo);
    if (!result.ok()) return write_status(out, Status::internal(result.error().message));
    std::string body = "{\"kind\":\"" + res.list_kind + "\",\"apiVersion\":\"" + res.group_version() +
                       "\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(result->revision) + "\"},\"items\":[";
    bool first = true;
    for (const auto& item : result->items) {
      Json o = Json::parse(item->value);
      RequestInfo i2 = info;
      i2.name = o["metadata"].value("name", "");
      i2.namespace_ = o["metadata"].value("namespace", "");
      HttpResponse r;
      remove(i2, res, req, user, r);
      if (r.status < 300) {
        if (!first) body += ",";
        first = false;
        body += strip_type_meta(r.body);
      }
    }
    body += "]}";
    out.body = body;
  }

  void watch(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req, HttpResponse& out) {
    SelectorFilter sel;
    Status st = parse_resource_selectors(res, req.param("labelSelector"), req.param("fieldSelector"), sel);
    if (!st.ok()) return write_status(out, st);
    WatchRequest w;
    w.prefix = info.namespace_.empty() || !res.namespaced ? res.storage_prefix
                                                          : res.storage_prefix + info.namespace_ + "/";
    if (!info.name.empty()) {
      // GET .../pods/p1?watch=true: a watch of one object.
      std::string key = res.key(info.namespace_, info.name);
      auto m = sel.match;
      sel.match = [key, m](const Attrs& l, const Attrs& f) {
        for (const auto& [k, v] : f) if (k == "metadata.name") return (!m || m(l, f));
        return !m || m(l, f);
      };
      w.exact_key = key;
    }
    w.filter = sel.match;
    std::string rv = req.param("resourceVersion");
    w.from_revision = rv.empty() ? 0 : std::atoll(rv.c_str());
    w.send_initial = rv.empty() || rv == "0";
    if (req.param("sendInitialEvents") == "true" || req.param("sendInitialEvents") == "1") {
      w.send_initial = true;
      w.initial_events_end_bookmark = true;
      w.from_revision = 0;
    }
    w.bookmarks = go_bool(req.param("allowWatchBookmarks"));
    w.timeout_seconds = req.has_param("timeoutSeconds") ? std::atoll(req.param("timeoutSeconds").c_str()) : 1800;
    w.table = wants_table(req);
    w.include_object = req.param("includeObject");
    w.res = &res;
    start_watch_stream(cache, w, out);
  }

  void virtual_create(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                      const UserInfo& user, Json& obj, HttpResponse& out) {
    Status s = handle_review(info, res, user, obj);
    if (!s.ok()) return write_status(out, s);
    obj["metadata"] = obj_at(obj, "metadata");
    respond_object(req, out, 201, runtime::encode_typed_json(obj, *type_of(res)), res, {});
  }

  // Reviews are answered, never stored.
  Status handle_review(const RequestInfo& info, const ResourceInfo& res, const UserInfo& user, Json& obj) {
    if (res.resource == "selfsubjectaccessreviews" || res.resource == "subjectaccessreviews" ||
        res.resource == "localsubjectaccessreviews") {
      const Json& spec = obj_at(obj, "spec");
      UserInfo subject = user;
      if (res.resource != "selfsubjectaccessreviews") {
        subject = UserInfo{};
        subject.name = spec.value("user", "");
        subject.uid = spec.value("uid", "");
        for (const auto& g : arr_at(spec, "groups"))
          if (g.is_string()) subject.groups.push_back(g.get<std::string>());
      }
      AuthzAttributes a;
      const Json& ra = obj_at(spec, "resourceAttributes");
      const Json& nra = obj_at(spec, "nonResourceAttributes");
      a.is_resource = !ra.empty() || nra.empty();
      if (a.is_resource) {
        a.verb = ra.value("verb", "");
        a.group = ra.value("group", "");
        a.resource = ra.value("resource", "");
        a.subresource = ra.value("subresource", "");
        a.namespace_ = ra.value("namespace", "");
        a.name = ra.value("name", "");
      } else {
        a.verb = nra.value("verb", "");
        a.path = nra.value("path", "");
      }
      obj["status"] = Json::object();
      obj["status"]["allowed"] = authorized(subject, a);
      return Status::success();
    }
    if (res.resource == "selfsubjectrulesreviews") {
      Json rules = Json::parse(rules_of(user));
      obj["status"] = Json::object();
      obj["status"]["resourceRules"] = rules["resourceRules"];
      obj["status"]["nonResourceRules"] = rules["nonResourceRules"];
      obj["status"]["incomplete"] = false;
      return Status::success();
    }
    if (res.resource == "selfsubjectreviews") {
      Json ui = Json::object();
      ui["username"] = user.name;
      if (!user.uid.empty()) ui["uid"] = user.uid;
      ui["groups"] = user.groups;
      obj["status"] = {{"userInfo", ui}};
      obj["metadata"]["creationTimestamp"] = now_rfc3339();
      return Status::success();
    }
    if (res.resource == "tokenreviews") {
      obj["status"] = {{"authenticated", false}};
      return Status::success();
    }
    if (res.resource == "bindings") {
      return bind_pod(info.namespace_, obj);
    }
    return Status::method_not_supported(gr_of(res), "create");
  }

  Status bind_pod(const std::string& ns, const Json& binding) {
    std::string name = binding["metadata"].value("name", "");
    std::string node = binding["target"].value("name", "");
    const ResourceInfo* pods = find_resource("", "v1", "pods");
    for (int attempt = 0; attempt < 5; ++attempt) {
      auto current = cache.get(pods->key(ns, name));
      if (!current) return Status::not_found({"", "pods"}, name);
      Json pod = Json::parse(current->value);
      if (!pod["spec"].value("nodeName", "").empty())
        return Status::conflict({"", "pods/binding"}, name, "pod " + name + " is already assigned to node \"" + pod["spec"].value("nodeName", "") + "\"");
      pod["spec"]["nodeName"] = node;
      auto r = cache.backend().update(current->key, runtime::encode_typed_json(pod, *type_of(*pods)), current->mod_revision);
      if (r.ok()) return Status::success();
      if (r.error().code != storage::Code::kConflict) return Status::internal(r.error().message);
    }
    return Status::conflict_modified({"", "pods"}, name);
  }

  // POST pods/NAME/eviction (policy/v1 Eviction), as upstream's EvictionREST for a pod whose
  // disruption budget may be ignored (every pod here: no kubelet makes one Running): the pod is
  // deleted with the Eviction's deleteOptions and the answer is a Success Status with code 201.
  // PodDisruptionBudgets are not consulted.
  void evict(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req, const UserInfo& user,
             HttpResponse& out) {
    Json ev = decode_options(req, "io.k8s.api.policy.v1.Eviction");
    if (ev.contains("metadata") && ev["metadata"].is_object() && ev["metadata"].value("name", "") != info.name)
      return write_status(out, Status::bad_request("name in URL does not match name in Eviction object"));
    RequestInfo del = info;
    del.verb = "delete";
    del.subresource = "";
    HttpRequest dreq = req;
    dreq.method = "DELETE";
    dreq.body = ev.contains("deleteOptions") && ev["deleteOptions"].is_object() ? ev["deleteOptions"].dump() : "";
    HttpResponse dout;
    remove(del, res, dreq, user, dout);
    if (dout.status >= 400) {
      out = std::move(dout);
      return;
    }
    Status s = Status::success();
    s.code = 201;
    out.status = 201;
    out.content_type = "application/json";
    out.body = runtime::encode_json(s.to_json());
  }

  Status allocate(const ResourceInfo& res, Json& obj, const Json* old) {
    if (res.resource != "services") return Status::success();
    return allocator.allocate_service(obj, old, cache);
  }
  void release(const ResourceInfo& res, const Json& obj) {
    if (res.resource == "services") allocator.release_service(obj);
  }
};

Store::Store(storage::WatchCache& cache, StoreOptions opts)
    : impl_(std::make_unique<Impl>(cache, std::move(opts))), cache_(cache) {
  for (const auto& r : all_resources()) {
    if (!r.stored() || r.storage_owner) continue;  // a shared storage's attributes are its owner's
    const ResourceInfo* rp = &r;
    cache.set_extractor(r.storage_prefix, [rp](storage::CachedObject& o) {
      Json j = selectable_view(o.value);
      const Json& meta = j["metadata"];
      if (meta.contains("labels") && meta["labels"].is_object())
        for (auto it = meta["labels"].begin(); it != meta["labels"].end(); ++it)
          o.labels.emplace_back(it.key(), it.value().get<std::string>());
      o.fields.emplace_back("metadata.name", meta.value("name", ""));
      if (rp->namespaced) o.fields.emplace_back("metadata.namespace", meta.value("namespace", ""));
      strategy_for(*rp).fields(j, o.fields);
      // A field selector reads an absent field as "": empty values need no room (most pods
      // have no node, IP or nominated node here), and the vectors keep no spare capacity.
      std::erase_if(o.fields, [](const auto& f) { return f.second.empty(); });
      o.fields.shrink_to_fit();
      o.labels.shrink_to_fit();
    });
  }
  impl_->allocator.rebuild(cache);
}

Store::~Store() = default;

void Store::serve(const RequestInfo& info, const ResourceInfo& res, const HttpRequest& req,
                  const UserInfo& user, HttpResponse& out) {
  const std::string& verb = info.verb;
  // The apiserver adds it before the handler runs (so it comes first), on every verb of the
  // resource itself; a subresource serves another type.
  if (!res.deprecation_warning.empty() && info.subresource.empty())
    out.set_header("Warning", "299 - \"" + res.deprecation_warning + "\"");
  if (!info.subresource.empty()) {
    const SubresourceInfo* sub = res.subresource(info.subresource);
    if (!sub) return write_status(out, Status::not_found_path());
    if (info.subresource == "log") {
      auto obj = impl_->cache.get(res.key(info.namespace_, info.name));
      if (!obj) return write_status(out, Status::not_found(gr_of(res), info.name));
      out.content_type = "text/plain";
      out.body = "";
      return;
    }
    if (info.subresource == "exec" || info.subresource == "attach" || info.subresource == "portforward") {
      auto obj = impl_->cache.get(res.key(info.namespace_, info.name));
      if (!obj) return write_status(out, Status::not_found(gr_of(res), info.name));
      return write_status(out, pod_stream_location_error(Json::parse(object_json(*obj)), info.subresource,
                                                         req.param("container")));
    }
    if (info.subresource == "binding" && verb == "create") {
      Json obj;
      runtime::DecodeResult dr;
      if (!runtime::parse_json(req.body, obj, dr)) return write_status(out, Status::bad_request(dr.error));
      if (!obj.contains("metadata")) obj["metadata"] = Json::object();
      obj["metadata"]["name"] = info.name;
      Status s = impl_->bind_pod(info.namespace_, obj);
      if (!s.ok()) return write_status(out, s);
      out.status = 201;
      out.body = runtime::encode_json(Status::success().to_json());
      return;
    }
    if (info.subresource == "eviction" && verb == "create") return impl_->evict(info, res, req, user, out);
    if (info.subresource == "scale" && verb == "get") return impl_->get_scale(info, res, req, out);
    if (info.subresource == "token" && verb == "create")
      return serve_token_request(info, req, impl_->cache, impl_->opts.sa_tokens.get(), out);
    if (info.subresource == "status" || info.subresource == "finalize" || info.subresource == "scale" ||
        info.subresource == "ephemeralcontainers" || info.subresource == "resize" || info.subresource == "approval") {
      if (verb == "get") return impl_->get(info, res, req, out);
      if (verb == "update") return impl_->update(info, res, req, user, out);
      if (verb == "patch") return impl_->patch(info, res, req, user, out);
    }
    return write_status(out, Status::method_not_allowed());
  }
  // Upstream registers no route for a verb the storage lacks: go-restful's 405.
  if (!res.has_verb(verb == "watch" ? "watch" : verb)) return write_status(out, Status::method_not_allowed());
  if (verb == "get") return impl_->get(info, res, req, out);
  if (verb == "list") return impl_->list(info, res, req, out);
  if (verb == "watch") return impl_->watch(info, res, req, out);
  if (verb == "create") return impl_->create(info, res, req, user, out);
  if (verb == "update") return impl_->update(info, res, req, user, out);
  if (verb == "patch") return impl_->patch(info, res, req, user, out);
  if (verb == "delete") return impl_->remove(info, res, req, user, out);
  if (verb == "deletecollection") return impl_->delete_collection(info, res, req, user, out);
  write_status(out, Status::method_not_supported(gr_of(res), verb));
}

HttpResponse Store::internal(const std::string& verb, const ResourceInfo& res, const std::string& ns,
                            const std::string& name, const std::string& body,
                            const std::string& subresource) {
  HttpRequest req;
  req.method = verb == "create" ? "POST" : verb == "update" ? "PUT" : verb == "patch" ? "PATCH"
             : verb == "delete" ? "DELETE" : "GET";
  req.body = body;
  req.headers.emplace("content-type", verb == "patch" ? "application/merge-patch+json" : "application/json");
  req.query.emplace("fieldManager", "kube-controller-manager");
  RequestInfo info;
  info.verb = verb;
  info.namespace_ = res.namespaced || res.resource == "namespaces" ? ns : "";
  info.name = name;
  info.subresource = subresource;
  UserInfo system{"system:kube-controller-manager", "", {"system:masters"}};
  HttpResponse out;
  serve(info, res, req, system, out);
  return out;
}

bool Store::ensure(const ResourceInfo& res, const std::string& ns, const std::string& json) {
  std::lock_guard<std::mutex> lock(impl_->ensure_mu);
  Json obj = Json::parse(json);
  std::string name = obj["metadata"].value("name", "");
  if (impl_->cache.get(res.key(ns, name))) return false;
  HttpRequest req;
  req.method = "POST";
  req.body = json;
  req.headers.emplace("content-type", "application/json");
  req.query.emplace("fieldManager", "kube-apiserver");
  RequestInfo info;
  info.verb = "create";
  info.namespace_ = ns;
  UserInfo system{"system:apiserver", "", {"system:masters"}};
  HttpResponse out;
  impl_->create(info, res, req, system, out);
  return out.status == 201;
}

}  // namespace kapi::server
