#pragma once
// Errors are values that map 1:1 onto a Kubernetes metav1.Status. Constructors mirror
// apimachinery's api/errors: each sets code, reason, details and message together.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace kapi::runtime {

struct StatusCause {
  std::string reason;  // FieldValueRequired, FieldValueInvalid, ...
  std::string message;
  std::string field;
};

struct GroupResource {
  std::string group;
  std::string resource;
  // "pods" or "deployments.apps" as upstream prints a qualified resource.
  std::string qualified() const { return group.empty() ? resource : resource + "." + group; }
};

struct Status {
  int code = 200;
  std::string reason;   // "" for success
  std::string message;
  std::string name, group, kind;  // details
  std::vector<StatusCause> causes;
  int retry_after = 0;
  bool has_details = false;

  bool ok() const { return code < 400; }
  nlohmann::ordered_json to_json() const;

  static Status success();
  static Status not_found(const GroupResource& gr, const std::string& name);
  static Status already_exists(const GroupResource& gr, const std::string& name);
  static Status conflict(const GroupResource& gr, const std::string& name, const std::string& why);
  static Status conflict_modified(const GroupResource& gr, const std::string& name);
  // kind is the Kind ("Pod"), not the resource.
  static Status invalid(const std::string& group, const std::string& kind, const std::string& name,
                        std::vector<StatusCause> causes);
  static Status bad_request(const std::string& message);
  static Status forbidden(const GroupResource& gr, const std::string& name, const std::string& why);
  static Status forbidden_raw(const std::string& message);
  static Status unauthorized(const std::string& message = "Unauthorized");
  static Status method_not_supported(const GroupResource& gr, const std::string& verb);
  // The 405 of a path that exists without a route for this verb (go-restful's error, as the
  // apiserver's service error handler turns it into a Status).
  static Status method_not_allowed();
  static Status not_acceptable(const std::string& message);
  static Status unsupported_media_type(const std::string& content_type);
  static Status too_large(const std::string& message);
  static Status gone(const std::string& message);      // reason Expired, 410
  static Status resource_expired(const std::string& message);
  static Status internal(const std::string& message);
  static Status timeout(const std::string& message);
  static Status not_found_path();  // "the server could not find the requested resource"
};

// Field error helpers: field.Required, field.Invalid, ... with upstream's messages.
StatusCause field_required(const std::string& path, const std::string& detail = "");
StatusCause field_invalid(const std::string& path, const std::string& value_json,
                          const std::string& detail);
StatusCause field_unsupported(const std::string& path, const std::string& value_json,
                              const std::vector<std::string>& valid);
StatusCause field_duplicate(const std::string& path, const std::string& value_json);
StatusCause field_forbidden(const std::string& path, const std::string& detail);
StatusCause field_not_supported_value(const std::string& path, const std::string& detail);
StatusCause field_too_long(const std::string& path, const std::string& value_json, int max);

}  // namespace kapi::runtime
