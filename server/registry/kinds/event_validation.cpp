#include "server/registry/kinds/event_validation.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/go_format.h"
#include "pkg/machinery/names.h"
#include "server/registry/json_access.h"

namespace kapi::server {

using runtime::StatusCause;

namespace {

constexpr size_t kReportingInstanceLengthLimit = 128;
constexpr size_t kActionLengthLimit = 128;
constexpr size_t kReasonLengthLimit = 128;
constexpr size_t kNoteLengthLimit = 1024;

std::string str(const Json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}
// A metav1.Time / MicroTime is zero when absent or null.
bool zero_time(const Json& o, const char* key) { return str(o, key).empty(); }
std::string go_quoted(const std::string& s) { return machinery::gofmt::quote(s); }

// The namespace the event lives in.
std::string event_namespace(const Json& e) { return str(obj_at(e, "metadata"), "namespace"); }

void legacy(const Json& e, std::vector<StatusCause>& errs) {
  std::string ns = event_namespace(e);
  std::string io_ns = str(obj_at(e, "involvedObject"), "namespace");
  auto mismatch = [&] {
    errs.push_back(runtime::field_invalid("involvedObject.namespace", go_quoted(io_ns), "does not match event.namespace"));
  };
  // "New" events (eventTime set) are checked for the fields the events.k8s.io API requires.
  if (zero_time(e, "eventTime")) {
    if (io_ns.empty() ? !ns.empty() && ns != "default" : ns != io_ns) mismatch();
  } else {
    if (io_ns.empty() && ns != "default" && ns != "kube-system") mismatch();
    std::string rc = str(e, "reportingComponent");
    if (rc.empty()) errs.push_back(runtime::field_required("reportingController"));
    for (const auto& m : machinery::is_qualified_name(rc))
      errs.push_back(runtime::field_invalid("reportingController", go_quoted(rc), m));
    std::string ri = str(e, "reportingInstance");
    if (ri.empty()) errs.push_back(runtime::field_required("reportingInstance"));
    if (ri.size() > kReportingInstanceLengthLimit)
      errs.push_back(runtime::field_invalid("reportingInstance", "\"\"", "can have at most 128 characters"));
    std::string action = str(e, "action");
    if (action.empty()) errs.push_back(runtime::field_required("action"));
    if (action.size() > kActionLengthLimit)
      errs.push_back(runtime::field_invalid("action", "\"\"", "can have at most 128 characters"));
    std::string reason = str(e, "reason");
    if (reason.empty()) errs.push_back(runtime::field_required("reason"));
    if (reason.size() > kReasonLengthLimit)
      errs.push_back(runtime::field_invalid("reason", "\"\"", "can have at most 128 characters"));
    if (str(e, "message").size() > kNoteLengthLimit)
      errs.push_back(runtime::field_invalid("message", "\"\"", "can have at most 1024 characters"));
  }
  for (const auto& m : machinery::is_dns1123_subdomain(ns)) errs.push_back(runtime::field_invalid("namespace", go_quoted(ns), m));
}

void v1_series(const Json& e, std::vector<StatusCause>& errs) {
  auto it = e.find("series");
  if (it == e.end() || !it->is_object()) return;
  if (it->value("count", int64_t{0}) < 2) errs.push_back(runtime::field_invalid("series.count", "\"\"", "should be at least 2"));
  if (zero_time(*it, "lastObservedTime")) errs.push_back(runtime::field_required("series.lastObservedTime"));
}

// field.Invalid's rendering of a Go value that is not a string or number: %#v of the struct.
std::string go_struct(const char* type, const Json& o, std::initializer_list<std::pair<const char*, const char*>> fields) {
  std::string s = std::string(type) + "{";
  bool first = true;
  for (const auto& [go, json] : fields) {
    s += (first ? "" : ", ") + std::string(go) + ":" + go_quoted(str(o, json));
    first = false;
  }
  return s + "}";
}
std::string object_reference(const Json& o) {
  return go_struct("core.ObjectReference", o,
                   {{"Kind", "kind"}, {"Namespace", "namespace"}, {"Name", "name"}, {"UID", "uid"},
                    {"APIVersion", "apiVersion"}, {"ResourceVersion", "resourceVersion"}, {"FieldPath", "fieldPath"}});
}

// metav1.Time.String() of an RFC 3339 UTC value: "2006-01-02 15:04:05.999999999 +0000 UTC".
std::string go_time(const Json& o, const char* key) {
  std::string t = str(o, key);
  if (t.empty()) return "0001-01-01 00:00:00 +0000 UTC";
  std::string s = t.substr(0, 10) + " " + t.substr(11);
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  if (auto dot = s.find('.'); dot != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s + " +0000 UTC";
}

}  // namespace

std::vector<StatusCause> validate_event_create(const Json& e, bool strict) {
  std::vector<StatusCause> errs;
  legacy(e, errs);
  if (!strict) return errs;
  std::string name = str(obj_at(e, "metadata"), "name");
  for (const auto& m : machinery::is_dns1123_subdomain(name))
    errs.push_back(runtime::field_invalid("metadata.name", go_quoted(name), m));
  v1_series(e, errs);
  if (zero_time(e, "eventTime")) errs.push_back(runtime::field_required("eventTime"));
  std::string type = str(e, "type");
  if (type != "Normal" && type != "Warning")
    errs.push_back(runtime::field_invalid("type", "\"\"", "has invalid value: " + type));
  if (!zero_time(e, "firstTimestamp")) errs.push_back(runtime::field_invalid("firstTimestamp", "\"\"", "needs to be unset"));
  if (!zero_time(e, "lastTimestamp")) errs.push_back(runtime::field_invalid("lastTimestamp", "\"\"", "needs to be unset"));
  if (e.value("count", int64_t{0}) != 0) errs.push_back(runtime::field_invalid("count", "\"\"", "needs to be unset"));
  const Json& src = obj_at(e, "source");
  if (!str(src, "component").empty() || !str(src, "host").empty())
    errs.push_back(runtime::field_invalid("source", "\"\"", "needs to be unset"));
  return errs;
}

std::vector<StatusCause> validate_event_update(const Json& e, const Json& old, bool strict) {
  std::vector<StatusCause> errs;
  legacy(e, errs);
  if (!strict) return errs;
  if (e.value("series", Json()) != old.value("series", Json())) v1_series(e, errs);
  auto immutable = [&](const char* path, const std::string& value_text, bool changed) {
    if (changed) errs.push_back(runtime::field_invalid(path, value_text, "field is immutable"));
  };
  auto same = [&](const char* key) { return e.value(key, Json()) == old.value(key, Json()); };
  auto string_field = [&](const char* path, const char* key) { immutable(path, go_quoted(str(e, key)), !same(key)); };
  immutable("involvedObject", object_reference(obj_at(e, "involvedObject")),
            obj_at(e, "involvedObject") != obj_at(old, "involvedObject"));
  string_field("reason", "reason");
  string_field("message", "message");
  immutable("source", go_struct("core.EventSource", obj_at(e, "source"), {{"Component", "component"}, {"Host", "host"}}),
            obj_at(e, "source") != obj_at(old, "source"));
  immutable("firstTimestamp", go_time(e, "firstTimestamp"), str(e, "firstTimestamp") != str(old, "firstTimestamp"));
  immutable("lastTimestamp", go_time(e, "lastTimestamp"), str(e, "lastTimestamp") != str(old, "lastTimestamp"));
  immutable("count", std::to_string(e.value("count", int64_t{0})), e.value("count", int64_t{0}) != old.value("count", int64_t{0}));
  string_field("reason", "reason");
  string_field("type", "type");
  immutable("eventTime", go_time(e, "eventTime"), str(e, "eventTime") != str(old, "eventTime"));
  string_field("action", "action");
  immutable("related", e.contains("related") && e["related"].is_object() ? object_reference(e["related"]) : "null",
            e.value("related", Json()) != old.value("related", Json()));
  string_field("reportingController", "reportingComponent");
  string_field("reportingInstance", "reportingInstance");
  return errs;
}

}  // namespace kapi::server
