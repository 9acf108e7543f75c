// `kapi wait --for=delete|create|condition=C[=V]|jsonpath={...}[=V] (TYPE NAME... | -l SEL |
// --all | -f FILE)` (kubectl pkg/cmd/wait/wait.go): each object in turn, within one overall
// --timeout (default 30s), until its condition holds; "pod/p1 condition met" or "timed out
// waiting for the condition on pods/p1". kubectl watches; kapi polls the object, which gives
// the same results.
#include <chrono>
#include <nlohmann/json.hpp>
#include <strings.h>
#include <thread>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/printers/jsonpath.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct WaitCondition {
  enum class Kind { kDelete, kCreate, kCondition, kJsonPath } kind = Kind::kCondition;
  std::string name;        // condition type, or the jsonpath template
  std::string value = "true";
  bool has_value = false;  // jsonpath: a value to compare with (else: the path must exist)
};

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && ::strcasecmp(a.c_str(), b.c_str()) == 0;
}

// conditionFuncFor.
Result<WaitCondition> parse_for(const std::string& f) {
  WaitCondition c;
  std::string lower = f;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "delete") {
    c.kind = WaitCondition::Kind::kDelete;
    return c;
  }
  if (lower == "create") {
    c.kind = WaitCondition::Kind::kCreate;
    return c;
  }
  if (lower.rfind("condition=", 0) == 0) {
    std::string rest = f.substr(10);
    if (auto eq = rest.find('='); eq != std::string::npos) {
      c.name = rest.substr(0, eq);
      c.value = rest.substr(eq + 1);
    } else {
      c.name = rest;
    }
    return c;
  }
  if (lower.rfind("jsonpath=", 0) == 0) {
    c.kind = WaitCondition::Kind::kJsonPath;
    std::string rest = f.substr(9);
    // The template ends at its closing brace; "=value" may follow.
    size_t close = rest.rfind('}');
    if (close != std::string::npos && close + 1 < rest.size() && rest[close + 1] == '=') {
      c.name = rest.substr(0, close + 1);
      c.value = rest.substr(close + 2);
      c.has_value = true;
    } else {
      c.name = rest;
    }
    return c;
  }
  return CmdError::msg("unrecognized condition: " + go_json_quote(f));
}

// Whether `obj` satisfies a condition or jsonpath test.
bool satisfied(const WaitCondition& c, const Json& obj) {
  if (c.kind == WaitCondition::Kind::kCreate) return true;
  if (c.kind == WaitCondition::Kind::kJsonPath) {
    JsonPath jp;
    std::string err;
    if (!jp.parse(c.name, &err)) return false;
    std::vector<Json> values;
    if (!jp.find_results(obj, values, &err) || values.empty()) return false;
    if (!c.has_value) return true;
    const Json& v = values[0];
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    return text == c.value;
  }
  if (!obj.contains("status") || !obj["status"].is_object() || !obj["status"].contains("conditions") ||
      !obj["status"]["conditions"].is_array())
    return false;
  long long generation = obj["metadata"].value("generation", 0LL);
  for (const auto& cond : obj["status"]["conditions"]) {
    if (!cond.is_object() || !iequals(cond.value("type", ""), c.name)) continue;
    if (cond.contains("observedGeneration") && generation != 0 &&
        cond["observedGeneration"].get<long long>() != generation)
      return false;
    return iequals(cond.value("status", ""), c.value);
  }
  return false;
}

// resource.Info.ObjectName(): the plural resource without its group, "deployments/web".
std::string resource_name(const ObjectInfo& info) {
  return info.mapping.resource.name + "/" + info.name;
}

// Waits for one object until `deadline`; the object to print when the condition is met.
// A zero --timeout checks once.
Result<Json> wait_one(Session& s, const WaitCondition& c, const ObjectInfo& info, Clock::time_point deadline,
                      bool check_once) {
  std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
  std::string uid = (*info.object)["metadata"].value("uid", "");
  Json last = *info.object;
  while (true) {
    auto r = s.client->get(path, kJsonAccept);
    if (!r.ok()) return r.error();
    if (c.kind == WaitCondition::Kind::kDelete) {
      if (r->status == 404) return last;
      if (r->status < 400) {
        auto obj = Json::parse(r->body, nullptr, false);
        if (obj.is_object() && !uid.empty() && obj["metadata"].value("uid", "") != uid) return last;
      }
    } else if (r->status >= 400) {
      return status_error_from_response(r->status, r->body, "get", info.mapping.resource.name, info.name);
    } else {
      auto obj = Json::parse(r->body, nullptr, false);
      if (obj.is_object()) {
        if (satisfied(c, obj)) return obj;
        last = std::move(obj);
      }
    }
    if (check_once) return CmdError::msg("condition not met for " + resource_name(info));
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(200), deadline - Clock::now()));
  }
  return CmdError::msg("timed out waiting for the condition on " + resource_name(info));
}

// --for=create: the objects are looked up every 500 ms until none is missing and some exist (the wait then
// goes on as for any condition, which a found object meets at once).
std::optional<CmdError> wait_until_found(Session& s, const VisitOptions& vo, Clock::time_point deadline) {
  while (true) {
    std::vector<CmdError> errs;
    int count = 0;
    auto fatal = visit_objects(s, vo, [](ObjectInfo&) -> std::optional<CmdError> { return std::nullopt; }, errs,
                               nullptr, &count);
    if (!fatal && !errs.empty()) fatal = errs.front();
    if (!fatal && count > 0) return std::nullopt;
    if (fatal && fatal->reason != "NotFound") return fatal;  // a selector matching nothing waits too
    if (Clock::now() >= deadline) return CmdError::msg("timed out waiting for the condition");
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(500), deadline - Clock::now()));
  }
}

}  // namespace

void add_wait_flags(FlagSet& f) {
  add_file_flags(f);
  add_print_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("field-selector", 0, "");
  f.add_string("for", 0, "");
  f.add_bool("local", 0, false);
  f.add_string("selector", 'l', "");
  f.add_duration("timeout", "30s");
}

int run_wait(CommandEnv& env) {
  const FlagSet& f = env.flags;
  // A duration flag: the parser has already rejected what Go would.
  auto timeout = parse_seconds(f.get_string("timeout"));
  // A negative timeout means a week.
  double seconds = *timeout < 0 ? 7 * 24 * 3600.0 : *timeout;
  auto cond = parse_for(f.get_string("for"));
  if (!cond.ok()) return report_error(env.out, cond.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  bool for_delete = cond->kind == WaitCondition::Kind::kDelete;
  VisitOptions vo;
  vo.args = env.args;
  vo.label_selector = f.get_string("selector");
  vo.field_selector = f.get_string("field-selector");
  vo.all = f.get_bool("all");
  vo.all_namespaces = f.get_bool("all-namespaces");
  vo.latest = true;
  if (cond->kind == WaitCondition::Kind::kCreate) {
    if (auto err = wait_until_found(s, vo, deadline)) return report_error(env.out, *err);
  }
  std::vector<CmdError> errs;
  int count = 0;
  bool failed = false;
  // The visit stops at the first object that fails (the visitor is not ContinueOnError).
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    if (failed) return std::nullopt;
    auto met = wait_one(s, *cond, info, deadline, seconds == 0);
    if (!met.ok()) {
      failed = true;
      return met.error();
    }
    if (auto err = print_with_flags(f, "condition met", std::move(*met), env.out)) return err;
    flush_stdout(env.out);
    return std::nullopt;
  }, errs, nullptr, &count);
  if (fatal) return report_error(env.out, *fatal);
  if (for_delete) {
    std::vector<CmdError> kept;
    for (auto& e : errs)
      if (e.reason != "NotFound") kept.push_back(e);
    errs = std::move(kept);
  }
  if (!errs.empty()) return report_error(env.out, errs.front());
  if (count == 0 && !for_delete) return report_error(env.out, CmdError::msg("no matching resources found"));
  return 0;
}

}  // namespace kapi::client
