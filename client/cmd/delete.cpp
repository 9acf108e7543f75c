// `kapi delete (-f FILE | TYPE NAME... | TYPE/NAME...)` (kubectl pkg/cmd/delete/delete.go):
// one DELETE per object, "kind "name" deleted" lines, then --wait until the objects are gone.
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

int run_delete(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "dry-run", "output", "raw", "selector", "field-selector", "all",
                                  "all-namespaces", "interactive", "grace-period", "now", "force", "cascade"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for delete yet"));
  bool have_files = !f.get_strings("filename").empty();
  if (!have_files && env.args.empty()) {
    return report_error(env.out,
                        CmdError::msg("You must provide one or more resources by argument or filename.\n"
                                      "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                                      "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
  }
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  bool ignore_not_found = f.get_bool("ignore-not-found");

  std::vector<CmdError> read_errs, errs;
  std::vector<ObjectInfo> infos;
  if (have_files) {
    if (!env.args.empty())
      return report_error(env.out, CmdError::msg("when paths, URLs, or stdin is provided as input, you may not "
                                                 "specify resource arguments as well"));
    auto r = read_objects(s, read_errs);
    if (!r.ok()) return report_error(env.out, r.error());
    infos = std::move(*r);
  } else {
    if (env.args.size() == 1 && env.args[0].find('/') == std::string::npos)
      return report_error(env.out, CmdError::msg("resource(s) were provided, but no name was specified"));
    BuilderOptions bo;
    bo.program = env.factory.program();
    bo.namespace_ = s.namespace_;
    ResourceBuilder builder(*s.client, *s.discovery, bo);
    bool single = false;
    auto visits = builder.plan(env.args, &single);
    if (!visits.ok()) return report_error(env.out, visits.error());
    for (const auto& v : *visits) {
      ObjectInfo i;
      i.mapping = v.mapping;
      i.name = v.name;
      i.namespace_ = v.mapping.resource.namespaced ? s.namespace_ : "";
      infos.push_back(std::move(i));
    }
  }

  // (path, uid) of each deleted object, for the wait.
  std::vector<std::pair<std::string, std::string>> deleted;
  bool warn_cluster_scope = s.explicit_namespace;
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
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    auto r = s.client->send("DELETE", path, "application/json", "{\"propagationPolicy\":\"Background\"}");
    if (!r.ok()) {
      errs.push_back(r.error());
      continue;
    }
    if (r->status >= 400) {
      CmdError e = status_error_from_response(r->status, r->body, "delete", info.mapping.resource.name, info.name);
      if (ignore_not_found && e.reason == "NotFound") continue;
      errs.push_back(add_source("deleting", info.source, e));
      continue;
    }
    std::string uid;
    auto body = Json::parse(r->body, nullptr, false);
    if (body.is_object() && body.contains("metadata") && body["metadata"].is_object() &&
        body["metadata"].contains("uid") && body["metadata"]["uid"].is_string())
      uid = body["metadata"]["uid"].get<std::string>();
    deleted.emplace_back(path, uid);
    env.out += info.mapping.group_kind_lower() + " \"" + info.name + "\" deleted\n";
    flush_stdout(env.out);
  }

  // --wait (default true): until every deleted object is gone (or replaced by a new uid).
  // (kubectl returns before waiting when a deletion failed.)
  if (f.get_bool("wait") && errs.empty() && read_errs.empty()) {
    for (const auto& [path, uid] : deleted) {
      while (true) {
        auto r = s.client->get(path, "application/json");
        if (!r.ok() || r->status == 404) break;
        if (r->status >= 400) break;
        auto obj = Json::parse(r->body, nullptr, false);
        std::string live_uid;
        if (obj.is_object() && obj.contains("metadata") && obj["metadata"].is_object() &&
            obj["metadata"].contains("uid") && obj["metadata"]["uid"].is_string())
          live_uid = obj["metadata"]["uid"].get<std::string>();
        if (!uid.empty() && live_uid != uid) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  return report_visit_errors(env.out, std::move(errs), read_errs, ignore_not_found);
}


void add_delete_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("all", 0, false);
  f.add_bool("all-namespaces", 'A', false);
  f.add_string("cascade", 0, "background");
  f.add_string("dry-run", 0, "none");
  f.add_string("field-selector", 0, "");
  f.add_bool("force", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_bool("ignore-not-found", 0, false);
  f.add_bool("interactive", 'i', false);
  f.add_bool("now", 0, false);
  f.add_string("output", 'o', "");
  f.add_string("raw", 0, "");
  f.add_string("selector", 'l', "");
  f.add_string("timeout", 0, "0s");
  f.add_bool("wait", 0, true);
}

}  // namespace kapi::client
