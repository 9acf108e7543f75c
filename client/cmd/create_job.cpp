// `create job NAME --image=IMAGE [-- COMMAND...]`, `create job NAME --from=cronjob/NAME` and
// `create cronjob NAME --image=IMAGE --schedule=SPEC` (kubectl pkg/cmd/create/create_job.go,
// create_cronjob.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "client/factory.h"
#include "client/resource_builder.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

Json pod_template(const std::string& name, const std::string& image, const std::vector<std::string>& command,
                  const std::string& restart) {
  Json c = {{"name", name}, {"image", image}};
  if (!command.empty()) c["command"] = command;
  return {{"spec", {{"containers", Json::array({c})}, {"restartPolicy", restart}}}};
}

std::optional<CmdError> validate_job(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  bool image = !f.get_string("image").empty(), from = !f.get_string("from").empty();
  if (image == from) return CmdError::msg("either --image or --from must be specified");
  if (!ctx.command.empty() && from) return CmdError::msg("cannot specify --from and command");
  return std::nullopt;
}

// The CronJob named by --from, fetched as the builder does (TYPE/NAME in the namespace).
Result<Json> fetch_cronjob(GeneratorContext& ctx) {
  auto client = ctx.env.factory.rest_client();
  if (!client.ok()) return client.error();
  auto discovery = ctx.discovery();
  if (!discovery.ok()) return discovery.error();
  BuilderOptions bo;
  bo.program = ctx.env.factory.program();
  bo.namespace_ = ctx.namespace_;
  bo.accept = kJsonAccept;
  ResourceBuilder builder(**client, **discovery, bo);
  bool single = false;
  auto visits = builder.plan({ctx.env.flags.get_string("from")}, &single);
  if (!visits.ok()) return visits.error();
  for (const auto& v : *visits) builder.fetch(v);
  if (!builder.errors().empty()) return builder.errors()[0];
  if (builder.infos().size() != 1) return CmdError::msg("from must be an existing cronjob");
  Json obj = std::move(*builder.infos()[0].object);
  if (obj.value("kind", "") != "CronJob") {
    std::string api_version = obj.value("apiVersion", "");
    std::string version = api_version.substr(api_version.find('/') == std::string::npos ? 0 : api_version.find('/') + 1);
    return CmdError::msg("unknown object type *" + version + "." + obj.value("kind", ""));
  }
  return obj;
}

std::optional<CmdError> generate_job(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  out = {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", ctx.name}}}};
  if (f.get_string("from").empty()) {
    out["spec"] = {{"template", pod_template(ctx.name, f.get_string("image"), ctx.command, "Never")}};
  } else {
    auto cj = fetch_cronjob(ctx);
    if (!cj.ok()) return cj.error();
    Json tmpl_meta = (*cj)["spec"]["jobTemplate"].value("metadata", Json::object());
    Json annotations = {{"cronjob.kubernetes.io/instantiate", "manual"}};
    Json template_annotations = tmpl_meta.value("annotations", Json::object());
    for (auto& [k, v] : template_annotations.items()) annotations[k] = v;
    out["metadata"]["annotations"] = annotations;
    if (tmpl_meta.contains("labels")) out["metadata"]["labels"] = tmpl_meta["labels"];
    out["metadata"]["ownerReferences"] = Json::array({{{"apiVersion", "batch/v1"},
                                                       {"kind", "CronJob"},
                                                       {"name", (*cj)["metadata"].value("name", "")},
                                                       {"uid", (*cj)["metadata"].value("uid", "")},
                                                       {"controller", true}}});
    out["spec"] = (*cj)["spec"]["jobTemplate"].value("spec", Json::object());
  }
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

std::optional<CmdError> generate_cronjob(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  std::string restart = f.get_string("restart").empty() ? "OnFailure" : f.get_string("restart");
  out = {{"apiVersion", "batch/v1"},
         {"kind", "CronJob"},
         {"metadata", {{"name", ctx.name}}},
         {"spec",
          {{"schedule", f.get_string("schedule")},
           {"jobTemplate",
            {{"metadata", {{"name", ctx.name}}},
             {"spec", {{"template", pod_template(ctx.name, f.get_string("image"), ctx.command, restart)}}}}}}}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

const CreateGenerator kJob{"batch/v1", "Job", "jobs", true, "failed to create job: ", validate_job, generate_job, true};
const CreateGenerator kCronJob{"batch/v1", "CronJob", "cronjobs", true, "failed to create cronjob: ", nullptr,
                               generate_cronjob, true};

}  // namespace

void add_create_job_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("from", 0, "");
  f.add_string("image", 0, "");
}
int run_create_job(CommandEnv& env) { return run_create_generator(env, kJob); }

void add_create_cronjob_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("image", 0, "");
  f.add_string("restart", 0, "");
  f.add_string("schedule", 0, "");
}
int run_create_cronjob(CommandEnv& env) { return run_create_generator(env, kCronJob); }

}  // namespace kapi::client
