// `kapi events` (kubectl pkg/cmd/events): the core/v1 Events of a namespace (or all, -A), maybe
// only those of one object (--for TYPE/NAME: a field selector on involvedObject.kind/name) and of
// some types (--types), sorted by their last time, printed as kubectl's own table (LAST SEEN,
// TYPE, REASON, OBJECT, MESSAGE) or as an EventList with -o; -w watches instead of listing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>

#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/print_flags.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/printers/tabwriter.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/duration.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct EventsOptions {
  std::string namespace_;
  bool all_namespaces = false, watch = false, no_headers = false;
  std::vector<std::string> types;  // sorted, deduplicated
  std::string for_kind, for_api_version, for_name;
};

std::string str_at(const Json& j, const char* a, const char* b = nullptr) {
  if (!j.is_object() || !j.contains(a)) return "";
  const Json& v = j[a];
  if (b) return v.is_object() && v.contains(b) && v[b].is_string() ? v[b].get<std::string>() : "";
  return v.is_string() ? v.get<std::string>() : "";
}

std::optional<machinery::TimePoint> time_of(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto t = machinery::parse_rfc3339(s);
  if (!t.ok()) return std::nullopt;
  return *t;
}

// translate(Micro)TimestampSince.
std::string since(const std::string& s) {
  auto t = time_of(s);
  if (!t) return "<unknown>";
  auto now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  return machinery::human_duration(now - *t);
}

// eventTime: the series' last observation, else lastTimestamp, else eventTime.
machinery::TimePoint sort_time(const Json& e) {
  std::string s = e.contains("series") && e["series"].is_object() ? str_at(e, "series", "lastObservedTime")
                  : !str_at(e, "lastTimestamp").empty()             ? str_at(e, "lastTimestamp")
                                                                    : str_at(e, "eventTime");
  return time_of(s).value_or(machinery::TimePoint{});
}

// getInterval.
std::string interval(const Json& e) {
  std::string first = !str_at(e, "eventTime").empty() ? since(str_at(e, "eventTime")) : since(str_at(e, "firstTimestamp"));
  long long count = e.contains("count") && e["count"].is_number_integer() ? e["count"].get<long long>() : 0;
  if (e.contains("series") && e["series"].is_object()) {
    long long n = e["series"].value("count", 0LL);
    return since(str_at(e, "series", "lastObservedTime")) + " (x" + std::to_string(n) + " over " + first + ")";
  }
  if (count > 1) return since(str_at(e, "lastTimestamp")) + " (x" + std::to_string(count) + " over " + first + ")";
  return first;
}


std::string trim_space(std::string s) {
  const char* ws = " \t\n\r\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

class EventPrinter {
 public:
  EventPrinter(const EventsOptions& o, std::string& out) : o_(o), tw_(out) {}
  void print(const Json& e) {
    if (!o_.no_headers && !headers_) {
      tw_.write(std::string(o_.all_namespaces ? "NAMESPACE\t" : "") + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
      headers_ = true;
    }
    std::string line;
    if (o_.all_namespaces) line += str_at(e, "metadata", "namespace") + "\t";
    // 1.33 prints the cells as they are: a line break in a message breaks the table's line.
    line += interval(e) + "\t" + str_at(e, "type") + "\t" + str_at(e, "reason") + "\t" +
            str_at(e, "involvedObject", "kind") + "/" + str_at(e, "involvedObject", "name") + "\t" +
            trim_space(str_at(e, "message")) + "\n";
    tw_.write(line);
  }
  void flush() { tw_.flush(); }

 private:
  const EventsOptions& o_;
  TabWriter tw_;
  bool headers_ = false;
};

bool wanted(const EventsOptions& o, const Json& e) {
  if (o.types.empty()) return true;
  std::string t = str_at(e, "type");
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto u : o.types) {
    for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u == t) return true;
  }
  return false;
}

// An Event as the typed client decodes and re-encodes it, with its kind set (-o json|yaml).
Json typed_event(const Json& e) {
  const runtime::StructType* type = runtime::Schema::get().find("io.k8s.api.core.v1", "Event");
  Json n = e;
  if (type) {
    runtime::DecodeResult dr;
    n = runtime::normalize(e, *type, dr);
  }
  Json out = {{"kind", "Event"}, {"apiVersion", "v1"}};
  for (auto it = n.begin(); it != n.end(); ++it)
    if (it.key() != "kind" && it.key() != "apiVersion") out[it.key()] = it.value();
  return out;
}

// ToOptions + Validate.
Result<EventsOptions> complete(Session& s) {
  const FlagSet& f = s.env.flags;
  EventsOptions o;
  o.all_namespaces = f.get_bool("all-namespaces");
  o.watch = f.get_bool("watch");
  o.no_headers = f.get_bool("no-headers");
  if (auto err = s.open()) return *err;
  o.namespace_ = s.namespace_;
  std::string for_obj = f.get_string("for");
  if (!for_obj.empty()) {
    size_t slash = for_obj.find('/');
    if (slash == std::string::npos) return CmdError::msg("--for must be in resource/name form");
    if (for_obj.find('/', slash + 1) != std::string::npos)
      return CmdError::msg("arguments in resource/name form may not have more than one slash");
    std::string resource = for_obj.substr(0, slash);
    o.for_name = for_obj.substr(slash + 1);
    auto data = s.discovery->get();
    if (!data.ok()) return data.error();
    auto m = RestMapper(**data).resource_for_group("", resource);
    if (!m) m = [&]() -> std::optional<ApiResource> {
      auto mm = RestMapper(**data).mapping_for(resource);
      if (mm) return mm->resource;
      return std::nullopt;
    }();
    if (!m) return CmdError::verbatim("the server doesn't have a resource type \"" + resource + "\"\n");
    o.for_kind = m->kind;
    o.for_api_version = m->group.empty() ? m->version : m->group + "/" + m->version;
  }
  std::vector<std::string> given = f.get_strings("types");
  std::set<std::string> types(given.begin(), given.end());
  o.types.assign(types.begin(), types.end());
  for (const auto& t : o.types) {
    std::string l = t;
    for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l != "normal" && l != "warning") return CmdError::msg("valid --types are Normal or Warning");
  }
  return o;
}

std::string list_path(const EventsOptions& o, std::vector<std::pair<std::string, std::string>> q) {
  if (!o.for_name.empty())
    q.emplace_back("fieldSelector", "involvedObject.kind=" + o.for_kind + ",involvedObject.apiVersion=" + o.for_api_version +
                                     ",involvedObject.name=" + o.for_name);
  std::string base = o.all_namespaces ? "/api/v1/events" : "/api/v1/namespaces/" + o.namespace_ + "/events";
  return base + ResourceBuilder::encode_query(q);
}

int run_watch(CommandEnv& env, Session& s, const EventsOptions& o) {
  EventPrinter printer(o, env.out);
  bool human = env.flags.get_string("output").empty();
  std::optional<CmdError> print_err;
  auto r = s.client->get_lines(list_path(o, {{"limit", "500"}, {"watch", "true"}}), kJsonAccept,
                               [&](const std::string& line) {
                                 Json ev = Json::parse(line, nullptr, false);
                                 if (ev.is_discarded() || ev.value("type", "") == "DELETED") return true;
                                 const Json& obj = ev["object"];
                                 if (ev.value("type", "") == "ERROR" || !wanted(o, obj)) return true;
                                 if (human) {
                                   printer.print(obj);
                                   printer.flush();
                                 } else {
                                   if (auto err = print_with_flags(env.flags, "events", typed_event(obj), env.out,
                                                                   false, /*typed=*/true)) {
                                     print_err = *err;
                                     return false;
                                   }
                                 }
                                 flush_stdout(env.out);
                                 return true;
                               });
  if (print_err) return report_error(env.out, *print_err);
  if (!r.ok()) return report_error(env.out, r.error());
  if (r->status >= 400) return report_error(env.out, status_error_from_response(r->status, r->body, "watch", "events"));
  flush_stdout(env.out);
  return 0;
}

}  // namespace

void add_events_flags(FlagSet& f) {
  f.add_bool("watch", 'w', false);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("for", 0, "");
  f.add_string_slice("types", 0);
  f.add_bool("no-headers", 0, false);
  f.add_int("chunk-size", 0, 500);
  add_print_flags(f);
}

int run_events(CommandEnv& env) {
  Session s(env);
  auto o = complete(s);
  if (!o.ok()) return report_error(env.out, o.error());
  if (o->watch) return run_watch(env, s, *o);
  // FollowContinue with kubectl's fixed chunk of 500.
  std::vector<Json> items;
  std::string cont;
  while (true) {
    std::vector<std::pair<std::string, std::string>> q = {{"limit", "500"}};
    if (!cont.empty()) q.emplace_back("continue", cont);
    auto r = s.client->get(list_path(*o, q), kJsonAccept);
    if (!r.ok()) return report_error(env.out, r.error());
    if (r->status >= 400) return report_error(env.out, status_error_from_response(r->status, r->body, "list", "events"));
    Json list = Json::parse(r->body, nullptr, false);
    if (list.is_discarded()) return report_error(env.out, CmdError::msg("invalid character in response body"));
    if (list.contains("items") && list["items"].is_array())
      for (auto& e : list["items"])
        if (wanted(*o, e)) items.push_back(std::move(e));
    cont = list.contains("metadata") ? list["metadata"].value("continue", "") : "";
    if (cont.empty()) break;
  }
  if (items.empty()) {
    write_stderr(o->all_namespaces ? "No events found.\n" : "No events found in " + o->namespace_ + " namespace.\n");
    return 0;
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Json& a, const Json& b) { return sort_time(a) < sort_time(b); });
  if (env.flags.get_string("output").empty()) {
    EventPrinter printer(*o, env.out);
    for (const auto& e : items) printer.print(e);
    printer.flush();
    flush_stdout(env.out);
    return 0;
  }
  Json list = {{"kind", "EventList"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"items", Json::array()}};
  for (const auto& e : items) list["items"].push_back(typed_event(e));
  // The name printer prints nothing for a typed EventList.
  if (env.flags.get_string("output") == "name") return 0;
  if (auto err = print_with_flags(env.flags, "events", list, env.out, false, /*typed=*/true))
    return report_error(env.out, *err);
  flush_stdout(env.out);
  return 0;
}

}  // namespace kapi::client
