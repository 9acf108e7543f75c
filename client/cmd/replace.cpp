// `kapi replace -f FILE` (kubectl pkg/cmd/replace/replace.go): PUT each object of the files
// (its resourceVersion taken from the live object when the file has none); with --force,
// delete every object, wait until it is gone, and create it again.
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::optional<CmdError> print_replaced(CommandEnv& env, DryRun dry, Json obj) {
  if (auto err =
          print_with_flags(env.flags, "replaced" + dry_run_suffix(dry), std::move(obj), env.out))
    return err;
  flush_stdout(env.out);
  return std::nullopt;
}

std::optional<CmdError> replace_one(Session& s, DryRun dry, ObjectInfo& info) {
  CommandEnv& env = s.env;
  Json& obj = *info.object;
  if (env.flags.get_bool("save-config")) {
    std::string modified = modified_configuration(obj, false);
    obj["metadata"]["annotations"][kLastApplied] = modified;
  }
  if (dry == DryRun::kClient) return print_replaced(env, dry, obj);
  std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
  std::string sub = env.flags.get_string("subresource");
  if (!sub.empty()) path += "/" + sub;
  const Json& meta = obj["metadata"];
  if (meta.value("resourceVersion", "").empty()) {
    // Helper.Replace with overwrite: the live resourceVersion, if there is a live object.
    auto live = s.client->get(path, kJsonAccept);
    if (live.ok() && live->status < 400) {
      auto l = Json::parse(live->body, nullptr, false);
      if (l.is_object() && l["metadata"].is_object())
        obj["metadata"]["resourceVersion"] = l["metadata"].value("resourceVersion", "");
    }
  }
  auto r = s.client->send("PUT", path + write_query(env.flags, dry), "application/json", to_go_json(obj));
  if (!r.ok()) return r.error();
  if (r->status >= 400)
    return add_source("replacing", info.source,
                      status_error_from_response(r->status, r->body, "update", info.mapping.resource.name, info.name));
  auto answer = parse_object(*r);
  if (!answer.ok()) return answer.error();
  return print_replaced(env, dry, std::move(*answer));
}

// forceReplace: delete all (missing ones are fine), wait for each to be gone, create all.
int force_replace(Session& s, DryRun dry, std::vector<ObjectInfo>& infos, std::vector<CmdError>& errs) {
  CommandEnv& env = s.env;
  long long grace = env.flags.get_int("grace-period");
  std::string body = grace >= 0 ? "{\"gracePeriodSeconds\":" + std::to_string(grace) + ",\"propagationPolicy\":\"Background\"}"
                                : "{\"propagationPolicy\":\"Background\"}";
  for (auto& info : infos) {
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto r = s.client->send("DELETE", path, "application/json", body);
    if (!r.ok()) return report_error(env.out, r.error());
    if (r->status == 404) continue;
    if (r->status >= 400)
      return report_error(env.out, status_error_from_response(r->status, r->body, "delete", info.mapping.resource.name,
                                                               info.name));
    env.out += info.mapping.group_kind_lower() + " \"" + info.name + "\" deleted\n";
    flush_stdout(env.out);
  }
  // wait.PollUntilContextTimeout(1s, --timeout or 5m, immediate): a GET now and once a second
  // until NotFound; another error ends the wait; the deadline is "context deadline exceeded".
  double timeout = parse_seconds(env.flags.get_string("timeout")).value_or(0);
  if (timeout == 0) timeout = 300;
  for (auto& info : infos) {
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    while (true) {
      auto r = s.client->get(path, kJsonAccept);
      if (!r.ok()) return report_error(env.out, r.error());
      if (r->status == 404) break;
      if (r->status >= 400)
        return report_error(env.out, status_error_from_response(r->status, r->body, "get",
                                                                 info.mapping.resource.name, info.name));
      auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      if (next >= deadline) {
        std::this_thread::sleep_until(deadline);
        return report_error(env.out, CmdError::msg("context deadline exceeded"));
      }
      std::this_thread::sleep_until(next);
    }
  }
  for (auto& info : infos) {
    if (env.flags.get_bool("save-config")) {
      std::string modified = modified_configuration(*info.object, false);
      (*info.object)["metadata"]["annotations"][kLastApplied] = modified;
    }
    info.object->at("metadata").erase("resourceVersion");
    auto r = create_object(s, write_query(env.flags), info, errs);
    if (!r) return report_errors(env.out, errs);
    auto created = parse_object(*r);
    if (!created.ok()) return report_error(env.out, created.error());
    if (auto err = print_replaced(env, dry, std::move(*created))) return report_error(env.out, *err);
  }
  return report_errors(env.out, errs);
}

}  // namespace

void add_replace_flags(FlagSet& f) {
  add_file_flags(f);
  add_print_flags(f);
  f.add_string("cascade", 0, "background");
  add_dry_run_flag(f);
  f.add_string("field-manager", 0, "kubectl-replace");
  f.add_bool("force", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_string("raw", 0, "");
  f.add_bool("save-config", 0, false);
  f.add_string("subresource", 0, "");
  f.add_duration("timeout", "0s");
  f.add_string("validate", 0, "strict");
  f.add_bool("wait", 0, false);
}

int run_replace(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  if (f.get_strings("filename").empty() && f.get_string("kustomize").empty())
    return report_error(env.out, CmdError::msg("must specify one of -f and -k"));
  if (f.get_bool("force") && *dry != DryRun::kNone)
    return report_error(env.out, CmdError::msg("--dry-run can not be used when --force is set"));
  if (!f.get_string("kustomize").empty() || !f.get_string("raw").empty())
    return report_error(env.out, CmdError::msg("kapi does not support -k/--raw for replace yet"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  std::vector<CmdError> errs;
  auto infos = read_objects(s, errs);
  if (!infos.ok()) return report_error(env.out, infos.error());
  if (f.get_bool("force")) return force_replace(s, *dry, *infos, errs);
  for (auto& info : *infos)
    if (auto err = replace_one(s, *dry, info)) errs.push_back(*err);
  if (infos->empty() && errs.empty()) return report_error(env.out, CmdError::msg("no objects passed to replace"));
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
