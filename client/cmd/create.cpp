// `kapi create -f` (kubectl pkg/cmd/create/create.go): POST each object of the files (-l keeps
// the ones it matches; --dry-run=client sends nothing), "kind/name created" lines or -o output, AlreadyExists and friends wrapped as `error when creating "FILE"`.
#include <nlohmann/json.hpp>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/print_flags.h"
#include "client/discovery.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

int run_create(CommandEnv& env) {
  const FlagSet& f = env.flags;
  for (const char* unsupported : {"kustomize", "raw", "edit"})
    if (f.changed(unsupported))
      return report_error(env.out, CmdError::msg(std::string("kapi does not support --") + unsupported + " for create yet"));
  if (auto err = unexpected_args(env, "create",
                                 {"clusterrole", "clusterrolebinding", "configmap", "cm", "cronjob", "cj", "deployment",
                                  "deploy", "ingress", "ing", "job", "namespace", "ns", "poddisruptionbudget", "pdb",
                                  "priorityclass", "pc", "quota", "resourcequota", "role", "rolebinding", "secret",
                                  "service", "svc", "serviceaccount", "sa", "token"}))
    return report_error(env.out, *err);
  if (f.get_strings("filename").empty())
    return report_error(env.out, CmdError::msg("must specify one of -f and -k"));
  auto dry = dry_run_strategy(f);
  if (!dry.ok()) return report_error(env.out, dry.error());
  // The builder's LabelSelectorParam keeps only the manifest objects the selector matches.
  const std::string selector_text = f.get_string("selector");
  auto selector = machinery::parse_label_selector(selector_text);
  if (!selector.ok())
    return report_error(env.out, CmdError::msg("the provided selector " + go_json_quote(selector_text) +
                                               " is not valid: " + selector.error()));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  std::vector<CmdError> read_errs, errs;
  auto infos = read_objects(s, read_errs);
  if (!infos.ok()) return report_error(env.out, infos.error());
  if (!selector->empty())
    std::erase_if(*infos, [&](const ObjectInfo& i) {
      return !selector->matches_json(i.object->value("metadata", Json::object()).value("labels", Json::object()));
    });
  bool save_config = f.get_bool("save-config");
  const std::string operation = "created" + dry_run_suffix(*dry);
  int count = 0;
  for (auto& info : *infos) {
    if (save_config) {
      std::string modified = modified_configuration((*info.object), false);
      (*info.object)["metadata"]["annotations"][kLastApplied] = modified;
    }
    Json printed = *info.object;
    if (*dry != DryRun::kClient) {
      auto r = create_object(s, write_query(f, *dry), info, errs);
      if (!r) continue;
      // The server's object (its name may come from generateName).
      auto created = Json::parse(r->body, nullptr, false);
      if (created.is_object() && created.contains("metadata") && created["metadata"].is_object() &&
          created["metadata"].contains("name") && created["metadata"]["name"].is_string())
        info.name = created["metadata"]["name"].get<std::string>();
      if (created.is_object()) printed = std::move(created);
    }
    ++count;
    if (f.get_string("output").empty() && f.get_string("template").empty()) {
      env.out += name_line(info, operation);
    } else {
      if (auto err = print_with_flags(f, operation, std::move(printed), env.out)) {
        errs.push_back(*err);
        break;
      }
    }
    flush_stdout(env.out);
  }
  if (count == 0 && errs.empty() && read_errs.empty())
    return report_error(env.out, CmdError::msg("no objects passed to create"));
  return report_visit_errors(env.out, std::move(errs), read_errs, false);
}

void add_create_flags(FlagSet& f) {
  add_file_flags(f);
  f.add_bool("allow-missing-template-keys", 0, true);
  add_dry_run_flag(f);
  f.add_bool("edit", 0, false);
  f.add_string("field-manager", 0, "kubectl-create");
  f.add_string("output", 'o', "");
  f.add_string("raw", 0, "");
  f.add_bool("save-config", 0, false);
  f.add_string("selector", 'l', "");
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
  f.add_string("validate", 0, "strict");
  f.add_bool("windows-line-endings", 0, false);
}

}  // namespace kapi::client
