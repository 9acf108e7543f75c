// `kapi delete (-f FILE | TYPE NAME... | TYPE/NAME... | TYPE -l SEL | TYPE --all)` (kubectl
// pkg/cmd/delete/delete.go): one DELETE per object with DeleteOptions (grace period,
// propagation, dryRun), `kind "name" deleted` lines (or -o name), then --wait until the objects
// are gone.
#include <chrono>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct DeleteOptions {
  DryRun dry_run = DryRun::kNone;
  std::string propagation = "Background";
  long long grace_period = -1;
  bool force = false;
  bool ignore_not_found = false;
  bool output_name = false;
};

// Complete + Validate up to the builder, in kubectl's order.
Result<DeleteOptions> complete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  DeleteOptions o;
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return dry.error();
  o.dry_run = *dry;
  std::string cascade = f.get_string("cascade");
  if (cascade == "background" || cascade == "true") o.propagation = "Background";
  else if (cascade == "foreground") o.propagation = "Foreground";
  else if (cascade == "orphan" || cascade == "false") o.propagation = "Orphan";
  else
    return CmdError::msg("invalid cascade value (" + cascade +
                         "). Must be \"background\", \"foreground\", or \"orphan\"");
  o.force = f.get_bool("force");
  o.grace_period = f.get_int("grace-period");
  if (f.get_bool("now")) {
    if (o.grace_period != -1) return CmdError::msg("--now and --grace-period cannot be specified together");
    o.grace_period = 1;
  }
  // --grace-period=0 without --force means 1 (upstream's guard against accidental data loss).
  if (o.grace_period == 0 && !o.force) o.grace_period = 1;
  if (o.force && o.grace_period < 0) o.grace_period = 0;
  o.ignore_not_found = f.get_bool("ignore-not-found");
  // With --all, -l or --field-selector a missing object is no error unless asked for.
  if ((f.get_bool("all") || !f.get_string("selector").empty() || !f.get_string("field-selector").empty()) &&
      !f.changed("ignore-not-found"))
    o.ignore_not_found = true;
  std::string output = f.get_string("output");
  if (!output.empty() && output != "name")
    return CmdError::msg("unexpected -o output mode: " + output + ". We only support '-o name'");
  o.output_name = output == "name";
  return o;
}

std::string delete_body(const DeleteOptions& o) {
  Json body = Json::object();
  if (o.grace_period >= 0) body["gracePeriodSeconds"] = o.grace_period;
  body["propagationPolicy"] = o.propagation;
  if (o.dry_run == DryRun::kServer) body["dryRun"] = Json::array({"All"});
  return body.dump();
}

// The objects named by the arguments or selected by -l/--field-selector/--all (not fetched).
std::optional<CmdError> resolve_args(Session& s, std::vector<ObjectInfo>& infos, std::vector<CmdError>& errs) {
  const FlagSet& f = s.env.flags;
  bool all = f.get_bool("all");
  if (all && !f.get_string("selector").empty())
    return CmdError::msg("setting 'all' parameter but found a non empty selector. ");
  VisitOptions vo;
  vo.args = s.env.args;
  vo.label_selector = f.get_string("selector");
  vo.field_selector = f.get_string("field-selector");
  vo.all = all;
  vo.all_namespaces = f.get_bool("all-namespaces");
  vo.require_object = false;
  return visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    infos.push_back(std::move(info));
    return std::nullopt;
  }, errs);
}

struct Deleted {
  std::string path, uid;
  std::string what;  // "configmaps/c1", "deployments.apps/web": for the timeout error
};

// --wait: until every deleted object is gone (or replaced by one with a new uid), within
// --timeout (0: a week, as kubectl's effectiveTimeout).
std::optional<CmdError> wait_for_deletion(Session& s, const std::vector<Deleted>& deleted, double timeout) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long long>((timeout > 0 ? timeout : 168 * 3600.0) * 1000));
  for (const auto& d : deleted) {
    while (true) {
      auto r = s.client->get(d.path, kJsonAccept);
      if (!r.ok() || r->status >= 400) break;
      auto obj = Json::parse(r->body, nullptr, false);
      std::string live_uid;
      if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object())
        live_uid = obj["metadata"].value("uid", "");
      if (!d.uid.empty() && live_uid != d.uid) break;
      if (std::chrono::steady_clock::now() >= deadline)
        return CmdError::msg("timed out waiting for the condition on " + d.what);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return std::nullopt;
}

}  // namespace

int run_delete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "raw", "interactive"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for delete yet"));
  auto o = complete(env);
  if (!o.ok()) return report_error(env.out, o.error());
  bool have_files = !f.get_strings("filename").empty();
  if (!have_files && env.args.empty()) {
    return report_error(env.out,
                        CmdError::msg("You must provide one or more resources by argument or filename.\n"
                                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                                      "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
  }
  // A duration flag: the parser has already rejected what Go would.
  auto timeout = parse_seconds(f.get_string("timeout"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);

  std::vector<CmdError> read_errs, errs;
  std::vector<ObjectInfo> infos;
  if (have_files) {
    if (!env.args.empty())
      return report_error(env.out, CmdError::msg("when paths, URLs, or stdin is provided as input, you may not "
                                                 "specify resource arguments as well"));
    auto r = read_objects(s, read_errs);
    if (!r.ok()) return report_error(env.out, r.error());
    infos = std::move(*r);
  } else if (auto err = resolve_args(s, infos, errs)) {
    return report_error(env.out, *err);
  }
  if (o->force && o->grace_period > 0)
    return report_error(env.out, CmdError::msg("--force and --grace-period greater than 0 cannot be specified together"));
  if (o->force && o->grace_period == 0) {
    flush_stdout(env.out);
    write_stderr("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.\n");
  }

  std::vector<Deleted> deleted;  // for --wait
  bool warn_cluster_scope = s.explicit_namespace;
  std::string body = delete_body(*o);
  std::string operation = (o->force && o->grace_period == 0 ? "force deleted" : "deleted") + dry_run_suffix(o->dry_run);
  int found = 0;
  for (auto& info : infos) {
    if (warn_cluster_scope && !info.mapping.resource.namespaced) {
      flush_stdout(env.out);
      write_stderr("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
      warn_cluster_scope = false;
    }
    if (info.name.empty()) {
      errs.push_back(add_source("deleting", info.source, CmdError::msg("resource name may not be empty")));
      continue;
    }
    ++found;
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    std::string uid;
    if (o->dry_run != DryRun::kClient) {
      auto r = s.client->send("DELETE", path, "application/json", body);
      if (!r.ok()) {
        errs.push_back(r.error());
        continue;
      }
      if (r->status >= 400) {
        CmdError e = status_error_from_response(r->status, r->body, "delete", info.mapping.resource.name, info.name);
        if (o->ignore_not_found && e.reason == "NotFound") continue;
        errs.push_back(add_source("deleting", info.source, e));
        continue;
      }
      auto answer = Json::parse(r->body, nullptr, false);
      if (answer.is_object() && answer.contains("metadata") && answer["metadata"].is_object())
        uid = answer["metadata"].value("uid", "");
      if (o->dry_run == DryRun::kNone) {
        const auto& res = info.mapping.resource;
        deleted.push_back({path, uid, res.name + (res.group.empty() ? "" : "." + res.group) + "/" + info.name});
      }
    }
    if (o->output_name) env.out += info.mapping.group_kind_lower() + "/" + info.name + "\n";
    else env.out += info.mapping.group_kind_lower() + " \"" + info.name + "\" " + operation + "\n";
    flush_stdout(env.out);
  }
  if (found == 0 && errs.empty() && read_errs.empty() && !have_files) {
    env.out += "No resources found\n";
    return 0;
  }
  // kubectl returns before waiting when a deletion failed.
  if (f.get_bool("wait") && errs.empty() && read_errs.empty()) {
    if (auto err = wait_for_deletion(s, deleted, *timeout)) errs.push_back(*err);
  }
  return report_visit_errors(env.out, std::move(errs), read_errs, o->ignore_not_found);
}

void add_delete_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("cascade", 0, "background");
  add_dry_run_flag(f);
  f.add_string("field-selector", 0, "");
  f.add_bool("force", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_bool("ignore-not-found", 0, false);
  f.add_bool("interactive", 'i', false);
  f.add_bool("now", 0, false);
  f.add_string("output", 'o', "");
  f.add_string("raw", 0, "");
  f.add_string("selector", 'l', "");
  f.add_duration("timeout", "0s");
  f.add_bool("wait", 0, true);
}

}  // namespace kapi::client
