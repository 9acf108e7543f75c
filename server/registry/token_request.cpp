#include "server/registry/token_request.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "pkg/machinery/duration.h"
#include "pkg/runtime/codec.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "pkg/runtime/typed_json.h"
#include "server/registry/json_access.h"
#include "server/registry/object_meta.h"
#include "server/registry/resource.h"
#include "server/service_account_token.h"

namespace kapi::server {
namespace {

using runtime::Status;

void write_status(HttpResponse& out, const Status& s) {
  out.status = s.code;
  out.content_type = "application/json";
  out.body = runtime::encode_json(s.to_json());
}

// The object at `res`/ns/name in its stored shape, or null.
Json lookup(storage::WatchCache& cache, const std::string& resource, const std::string& ns, const std::string& name) {
  const ResourceInfo* r = find_resource("", "v1", resource);
  auto obj = cache.get(r->key(ns, name));
  return obj ? Json::parse(obj->value) : Json();
}

Status invalid(const std::string& name, std::vector<runtime::StatusCause> causes) {
  return Status::invalid("authentication.k8s.io", "TokenRequest", name, std::move(causes));
}

}  // namespace

void serve_token_request(const RequestInfo& info, const HttpRequest& req, storage::WatchCache& cache,
                         const ServiceAccountTokens* tokens, HttpResponse& out) {
  if (!tokens) return write_status(out, Status::not_found_path());
  const runtime::StructType* type = runtime::Schema::get().find("io.k8s.api.authentication.v1", "TokenRequest");
  std::string ctype = req.header("content-type");
  if (auto semi = ctype.find(';'); semi != std::string::npos) ctype.resize(semi);
  runtime::DecodeResult dr;
  Json raw;
  if (!runtime::decode_body(req.body, ctype, *type, raw, dr)) {
    if (dr.error == "unsupported media type") return write_status(out, Status::unsupported_media_type(ctype));
    return write_status(out, Status::bad_request(dr.error));
  }
  if (!raw.is_object()) raw = Json::object();
  Json tr = runtime::normalize(std::move(raw), *type, dr);
  Json& meta = tr["metadata"];
  if (!meta.is_object()) meta = Json::object();
  Json& spec = tr["spec"];
  if (!spec.is_object()) spec = Json::object();
  // SetDefaults_TokenRequestSpec.
  if (!spec.contains("expirationSeconds") || spec["expirationSeconds"].is_null()) spec["expirationSeconds"] = 3600;

  const std::string& name = info.name;
  if (!meta.value("name", "").empty() && meta.value("name", "") != name)
    return write_status(out, invalid(name, {runtime::field_invalid("metadata.name", Json(meta.value("name", "")).dump(),
                                                                  "must match the service account name if specified")}));
  if (!meta.value("namespace", "").empty() && meta.value("namespace", "") != info.namespace_)
    return write_status(out, invalid(name, {runtime::field_invalid("metadata.namespace", Json(meta.value("namespace", "")).dump(),
                                                                  "must match the service account namespace if specified")}));
  Json sa = lookup(cache, "serviceaccounts", info.namespace_, name);
  if (sa.is_null()) return write_status(out, Status::not_found({"", "serviceaccounts"}, name));

  std::vector<std::string> audiences;
  for (const auto& a : arr_at(spec, "audiences"))
    if (a.is_string()) audiences.push_back(a.get<std::string>());
  if (audiences.empty()) {
    audiences = tokens->api_audiences();
    spec["audiences"] = audiences;
  }
  auto now_tp = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  int64_t now = now_tp.time_since_epoch().count();
  meta["name"] = name;
  meta["namespace"] = info.namespace_;
  meta["creationTimestamp"] = machinery::format_rfc3339(now_tp);
  tr.erase("status");

  // ValidateTokenRequest.
  int64_t expiration = spec["expirationSeconds"].is_number_integer() ? spec["expirationSeconds"].get<int64_t>() : 0;
  std::vector<runtime::StatusCause> causes;
  if (expiration < 600)
    causes.push_back(runtime::field_invalid("spec.expirationSeconds", std::to_string(expiration),
                                            "may not specify a duration less than 10 minutes"));
  if (expiration > (int64_t{1} << 32))
    causes.push_back(runtime::field_invalid("spec.expirationSeconds", std::to_string(expiration),
                                            "may not specify a duration larger than 2^32 seconds"));
  if (!causes.empty()) return write_status(out, invalid("", std::move(causes)));

  Json pod;
  if (spec.contains("boundObjectRef") && spec["boundObjectRef"].is_object()) {
    const Json& ref = spec["boundObjectRef"];
    std::string api_version = ref.value("apiVersion", ""), kind = ref.value("kind", ""), ref_name = ref.value("name", "");
    auto slash = api_version.find('/');
    std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
    Json bound;
    if (group.empty() && (kind == "Pod" || kind == "Secret" || kind == "Node")) {
      std::string resource = kind == "Pod" ? "pods" : kind == "Secret" ? "secrets" : "nodes";
      bound = lookup(cache, resource, kind == "Node" ? "" : info.namespace_, ref_name);
      if (bound.is_null()) return write_status(out, Status::not_found({"", resource}, ref_name));
      if (kind == "Pod") {
        if (obj_at(bound, "spec").value("serviceAccountName", "") != name)
          return write_status(out, Status::bad_request("cannot bind token for serviceaccount \"" + name +
                                                       "\" to pod running with different serviceaccount name."));
        pod = bound;
      }
    } else {
      // schema.GroupVersionKind.String().
      return write_status(out, Status::bad_request("cannot bind token to object of type " + group + "/" + version +
                                                   ", Kind=" + kind));
    }
    std::string want_uid = ref.value("uid", "");
    std::string uid = bound["metadata"].value("uid", "");
    if (!want_uid.empty() && want_uid != uid)
      return write_status(out, Status::conflict({group, kind}, ref_name,
                                                "the UID in the bound object reference (" + want_uid +
                                                    ") does not match the UID in record. The object might have been deleted and then recreated"));
  }
  if (tokens->max_expiration_seconds() > 0 && expiration > tokens->max_expiration_seconds()) {
    out.set_header("Warning", "299 - \"requested expiration of " + std::to_string(expiration) + " seconds shortened to " +
                                  std::to_string(tokens->max_expiration_seconds()) + " seconds\"");
    expiration = tokens->max_expiration_seconds();
    spec["expirationSeconds"] = expiration;
  }
  std::string token;
  if (Status s = tokens->issue(sa, pod.is_null() ? nullptr : &pod, audiences, now, expiration, token); !s.ok())
    return write_status(out, s);
  tr["status"] = {{"token", token},
                  {"expirationTimestamp", machinery::format_rfc3339(now_tp + std::chrono::seconds(expiration))}};
  out.status = 201;
  tr["kind"] = "TokenRequest";
  tr["apiVersion"] = "authentication.k8s.io/v1";
  runtime::encode_response(runtime::encode_typed_json(tr, *type), req.header("accept"), out.body, out.content_type);
}

}  // namespace kapi::server
