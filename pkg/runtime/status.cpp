#include "pkg/runtime/status.h"

#include <nlohmann/json.hpp>

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

Json Status::to_json() const {
  Json j = Json::object();
  j["kind"] = "Status";
  j["apiVersion"] = "v1";
  j["metadata"] = Json::object();
  j["status"] = ok() ? "Success" : "Failure";
  if (!message.empty()) j["message"] = message;
  if (!reason.empty()) j["reason"] = reason;
  if (has_details) {
    Json d = Json::object();
    if (!name.empty()) d["name"] = name;
    if (!group.empty()) d["group"] = group;
    if (!kind.empty()) d["kind"] = kind;
    if (!causes.empty()) {
      Json cs = Json::array();
      for (const auto& c : causes) {
        Json cj = Json::object();
        if (!c.reason.empty()) cj["reason"] = c.reason;
        if (!c.message.empty()) cj["message"] = c.message;
        if (!c.field.empty()) cj["field"] = c.field;
        cs.push_back(cj);
      }
      d["causes"] = cs;
    }
    if (retry_after > 0) d["retryAfterSeconds"] = retry_after;
    j["details"] = d;
  }
  j["code"] = code;
  return j;
}

namespace {
Status make(int code, std::string reason, std::string message) {
  Status s;
  s.code = code;
  s.reason = std::move(reason);
  s.message = std::move(message);
  return s;
}
Status with_details(Status s, const GroupResource& gr, const std::string& name) {
  s.has_details = true;
  s.name = name;
  s.group = gr.group;
  s.kind = gr.resource;
  return s;
}
}  // namespace

Status Status::success() { return make(200, "", ""); }

Status Status::not_found(const GroupResource& gr, const std::string& name) {
  std::string msg = name.empty() ? gr.qualified() + " not found"
                                 : gr.qualified() + " \"" + name + "\" not found";
  return with_details(make(404, "NotFound", msg), gr, name);
}

Status Status::already_exists(const GroupResource& gr, const std::string& name) {
  return with_details(
      make(409, "AlreadyExists", gr.qualified() + " \"" + name + "\" already exists"), gr, name);
}

Status Status::conflict(const GroupResource& gr, const std::string& name, const std::string& why) {
  return with_details(make(409, "Conflict", "Operation cannot be fulfilled on " + gr.qualified() +
                                                " \"" + name + "\": " + why),
                      gr, name);
}

Status Status::conflict_modified(const GroupResource& gr, const std::string& name) {
  return conflict(gr, name,
                  "the object has been modified; please apply your changes to the latest "
                  "version and try again");
}

Status Status::invalid(const std::string& group, const std::string& kind, const std::string& name,
                       std::vector<StatusCause> causes) {
  std::string msg = kind;
  if (!group.empty()) msg = kind + "." + group;
  msg += " \"" + name + "\" is invalid";
  if (!causes.empty()) {
    // Upstream: "Kind \"name\" is invalid: <err>" for one, "[a, b]" for several.
    std::vector<std::string> parts;
    for (const auto& c : causes) parts.push_back(c.field.empty() ? c.message : c.field + ": " + c.message);
    if (parts.size() == 1) {
      msg += ": " + parts[0];
    } else {
      msg += ": [";
      for (size_t i = 0; i < parts.size(); ++i) msg += (i ? ", " : "") + parts[i];
      msg += "]";
    }
  }
  Status s = make(422, "Invalid", msg);
  s.has_details = true;
  s.name = name;
  s.group = group;
  s.kind = kind;
  s.causes = std::move(causes);
  return s;
}

Status Status::bad_request(const std::string& message) { return make(400, "BadRequest", message); }

Status Status::forbidden(const GroupResource& gr, const std::string& name, const std::string& why) {
  std::string msg = name.empty() ? gr.qualified() + " is forbidden: " + why
                                 : gr.qualified() + " \"" + name + "\" is forbidden: " + why;
  return with_details(make(403, "Forbidden", msg), gr, name);
}

Status Status::forbidden_raw(const std::string& message) {
  return make(403, "Forbidden", message);
}

Status Status::unauthorized(const std::string& message) {
  return make(401, "Unauthorized", message);
}

Status Status::method_not_supported(const GroupResource& gr, const std::string& verb) {
  return with_details(make(405, "MethodNotAllowed",
                           verb + " is not supported on resources of kind \"" + gr.qualified() + "\""),
                      gr, "");
}

Status Status::method_not_allowed() {
  Status s = make(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  s.has_details = true;
  return s;
}

Status Status::not_acceptable(const std::string& message) {
  return make(406, "NotAcceptable", message);
}

Status Status::unsupported_media_type(const std::string& content_type) {
  return make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: "
              "application/json, application/yaml, application/vnd.kubernetes.protobuf");
}

Status Status::too_large(const std::string& message) {
  return make(413, "RequestEntityTooLarge", message);
}

Status Status::gone(const std::string& message) { return make(410, "Gone", message); }

Status Status::resource_expired(const std::string& message) {
  return make(410, "Expired", message);
}

Status Status::internal(const std::string& message) {
  Status s = make(500, "InternalError", "Internal error occurred: " + message);
  s.has_details = true;
  s.causes.push_back({"", message, ""});
  return s;
}

Status Status::timeout(const std::string& message) { return make(504, "Timeout", "Timeout: " + message); }

Status Status::not_found_path() {
  Status s = make(404, "NotFound", "the server could not find the requested resource");
  s.has_details = true;
  s.causes.push_back({"UnexpectedServerResponse", "404 page not found", ""});
  return s;
}

StatusCause field_required(const std::string& path, const std::string& detail) {
  return {"FieldValueRequired", detail.empty() ? "Required value" : "Required value: " + detail, path};
}

StatusCause field_invalid(const std::string& path, const std::string& value_json,
                          const std::string& detail) {
  std::string msg = "Invalid value: " + value_json;
  if (!detail.empty()) msg += ": " + detail;
  return {"FieldValueInvalid", msg, path};
}

StatusCause field_unsupported(const std::string& path, const std::string& value_json,
                              const std::vector<std::string>& valid) {
  std::string msg = "Unsupported value: " + value_json;
  if (!valid.empty()) {
    msg += ": supported values: ";
    for (size_t i = 0; i < valid.size(); ++i) msg += (i ? ", " : "") + ("\"" + valid[i] + "\"");
  }
  return {"FieldValueNotSupported", msg, path};
}

StatusCause field_duplicate(const std::string& path, const std::string& value_json) {
  return {"FieldValueDuplicate", "Duplicate value: " + value_json, path};
}

StatusCause field_forbidden(const std::string& path, const std::string& detail) {
  return {"FieldValueForbidden", "Forbidden: " + detail, path};
}

StatusCause field_not_supported_value(const std::string& path, const std::string& detail) {
  return {"FieldValueNotSupported", detail, path};
}

StatusCause field_too_long(const std::string& path, const std::string& value_json, int max) {
  return {"FieldValueTooLong",
          "Too long: may not be more than " + std::to_string(max) + " bytes", path};
}

}  // namespace kapi::runtime
