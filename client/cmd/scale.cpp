// `kapi scale --replicas=N (-f FILE | TYPE NAME... | TYPE -l SEL | TYPE --all)` (kubectl
// pkg/cmd/scale/scale.go and pkg/scale/scale.go): a merge patch of the /scale subresource, or,
// with --current-replicas/--resource-version preconditions, GET /scale, check, PUT /scale.
// Every object is resolved first; missing ones are reported after the others are scaled.
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct ScaleOptions {
  long long replicas = -1, current_replicas = -1;
  std::string resource_version;
  DryRun dry_run = DryRun::kNone;
  double timeout_seconds = 0;
};

std::string scale_path(const ObjectInfo& info) {
  return ResourceBuilder::path_for(info.mapping, info.namespace_, info.name) + "/scale";
}

CmdError precondition_error(const std::string& what, const std::string& expected, const std::string& actual) {
  return CmdError::msg("Expected " + what + " to be " + expected + ", was " + actual);
}

// ScaleSimple: the scale request, with the preconditions checked against a fresh Scale.
std::optional<CmdError> scale_simple(Session& s, const ScaleOptions& o, const ObjectInfo& info) {
  std::string dry = o.dry_run == DryRun::kServer ? "?dryRun=All" : "";
  const std::string& resource = info.mapping.resource.name;
  if (o.current_replicas == -1 && o.resource_version.empty()) {
    std::string body = "{\"spec\":{\"replicas\":" + std::to_string(o.replicas) + "}}";
    auto r = s.client->send("PATCH", scale_path(info) + dry, "application/merge-patch+json", body);
    if (!r.ok()) return r.error();
    if (r->status >= 400) return status_error_from_response(r->status, r->body, "patch", resource, info.name);
    return std::nullopt;
  }
  auto got = s.client->get(scale_path(info), kJsonAccept);
  if (!got.ok()) return got.error();
  if (got->status >= 400) return status_error_from_response(got->status, got->body, "get", resource, info.name);
  auto scale = parse_object(*got);
  if (!scale.ok()) return scale.error();
  long long actual = 0;
  if ((*scale)["spec"].is_object() && (*scale)["spec"].contains("replicas"))
    actual = (*scale)["spec"]["replicas"].get<long long>();
  if (o.current_replicas != -1 && o.current_replicas != actual)
    return precondition_error("replicas", std::to_string(o.current_replicas), std::to_string(actual));
  std::string rv = (*scale)["metadata"].value("resourceVersion", "");
  if (!o.resource_version.empty() && o.resource_version != rv)
    return precondition_error("resource version", o.resource_version, rv);
  (*scale)["spec"]["replicas"] = o.replicas;
  auto put = s.client->send("PUT", scale_path(info) + dry, "application/json", to_go_json(*scale));
  if (!put.ok()) return put.error();
  if (put->status >= 400) return status_error_from_response(put->status, put->body, "update", resource, info.name);
  return std::nullopt;
}

// --timeout (any non-zero value, negative too): scale.WaitForScaleHasDesiredReplicas, a
// wait.PollUntilContextTimeout(1s, timeout, immediate) whose GET carries the deadline, so a GET
// that starts or ends past it counts as timed out. Done when spec.replicas is no longer ours
// (someone else scaled) or status.replicas caught up; another failed GET is that error.
std::optional<CmdError> wait_for_replicas(Session& s, const ScaleOptions& o, const ObjectInfo& info) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(o.timeout_seconds));
  const CmdError timed_out = CmdError::msg("timed out waiting for " + go_json_quote(info.name) + " to be synced");
  for (int tick = 1;; ++tick) {
    if (std::chrono::steady_clock::now() >= deadline) return timed_out;
    auto got = s.client->get(scale_path(info), kJsonAccept);
    if (std::chrono::steady_clock::now() >= deadline) return timed_out;
    if (!got.ok()) return got.error();
    if (got->status >= 400)
      return status_error_from_response(got->status, got->body, "get", info.mapping.resource.name, info.name);
    auto scale = Json::parse(got->body, nullptr, false);
    if (scale.is_object()) {
      long long spec = scale["spec"].is_object() ? scale["spec"].value("replicas", 0LL) : 0;
      long long status = scale["status"].is_object() ? scale["status"].value("replicas", 0LL) : 0;
      if (spec != o.replicas || status == o.replicas) return std::nullopt;
    }
    auto next = start + std::chrono::seconds(tick);
    if (next >= deadline) {
      std::this_thread::sleep_until(deadline);
      return timed_out;
    }
    std::this_thread::sleep_until(next);
  }
}

Result<ScaleOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  if (!f.changed("replicas")) return CmdError::msg("required flag(s) \"replicas\" not set");
  ScaleOptions o;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  o.dry_run = *dry;
  o.replicas = f.get_int("replicas");
  o.current_replicas = f.get_int("current-replicas");
  o.resource_version = f.get_string("resource-version");
  o.timeout_seconds = parse_seconds(f.get_string("timeout")).value_or(0);  // checked by the flag parser
  if (o.replicas < 0)
    return CmdError::msg("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  if (o.current_replicas < -1) return CmdError::msg("The --current-replicas must specify an integer of -1 or greater");
  return o;
}

}  // namespace

void add_scale_flags(FlagSet& f) {
  add_file_flags(f);
  add_print_flags(f);
  f.add_bool("all", 0, false);
  f.add_int("current-replicas", 0, -1);
  add_dry_run_flag(f);
  f.add_bool("record", 0, false);
  f.add_int("replicas", 0, 0);
  f.add_string("resource-version", 0, "");
  f.add_string("selector", 'l', "");
  f.add_duration("timeout", "0s");
}

int run_scale(CommandEnv& env) {
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  VisitOptions vo;
  vo.args = env.args;
  vo.label_selector = env.flags.get_string("selector");
  vo.all = env.flags.get_bool("all");
  // r.Infos(): every object first, the errors kept for the end.
  std::vector<ObjectInfo> infos;
  std::vector<CmdError> info_errs;
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    infos.push_back(std::move(info));
    return std::nullopt;
  }, info_errs);
  if (fatal) return report_error(env.out, *fatal);
  if (!o->resource_version.empty() && infos.size() > 1)
    return report_error(env.out, CmdError::msg("cannot use --resource-version with multiple resources"));
  if (infos.empty()) {
    std::string text;
    if (info_errs.size() == 1) {
      text = info_errs[0].message;
    } else {
      for (size_t i = 0; i < info_errs.size(); ++i) text += (i ? ", " : "[") + info_errs[i].message;
      if (!info_errs.empty()) text += "]";
    }
    return report_error(env.out, CmdError::msg("no objects passed to scale" + (text.empty() ? "" : " " + text)));
  }
  for (auto& info : infos) {
    if (o->dry_run != DryRun::kClient) {
      if (auto err = scale_simple(s, *o, info)) return report_error(env.out, *err);
      if (o->timeout_seconds != 0 && o->dry_run == DryRun::kNone)
        if (auto err = wait_for_replicas(s, *o, info)) return report_error(env.out, *err);
    }
    if (auto err = print_with_flags(env.flags, "scaled" + dry_run_suffix(o->dry_run), *info.object,
                                    env.out))
      return report_error(env.out, *err);
    flush_stdout(env.out);
  }
  return report_errors(env.out, info_errs);
}

}  // namespace kapi::client
