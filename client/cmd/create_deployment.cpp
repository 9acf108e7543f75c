// `create deployment NAME --image=IMAGE [--replicas] [--port] [-- COMMAND args...]` (kubectl
// pkg/cmd/create/create_deployment.go).
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "pkg/machinery/names.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::optional<CmdError> validate(GeneratorContext& ctx) {
  if (ctx.env.flags.get_strings("image").size() > 1 && !ctx.command.empty())
    return CmdError::msg("cannot specify multiple --image options and command");
  return std::nullopt;
}

// The container name from the image: last path element, without tag or digest; '_' and '.'
// become '-' with a random suffix (sanitizeAndUniquify).
std::string container_name(const std::string& image) {
  std::string name = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/') + 1);
  name = name.substr(0, name.find(':'));
  name = name.substr(0, name.find('@'));
  if (name.find_first_of("_.") != std::string::npos) {
    for (auto& c : name)
      if (c == '_' || c == '.') c = '-';
    name += "-" + machinery::random_string(5);
  }
  return name;
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  Json labels = {{"app", ctx.name}};
  Json containers = Json::array();
  for (const auto& image : f.get_strings("image")) {
    Json c = {{"name", container_name(image)}, {"image", image}};
    if (!ctx.command.empty()) c["command"] = ctx.command;
    containers.push_back(std::move(c));
  }
  long long port = f.get_int("port");
  if (port >= 0 && !containers.empty()) containers[0]["ports"] = Json::array({{{"containerPort", port}}});
  out = {{"apiVersion", "apps/v1"},
         {"kind", "Deployment"},
         {"metadata", {{"name", ctx.name}, {"labels", labels}}},
         {"spec",
          {{"replicas", f.get_int("replicas")},
           {"selector", {{"matchLabels", labels}}},
           {"template", {{"metadata", {{"labels", labels}}}, {"spec", {{"containers", containers}}}}}}}};
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

const CreateGenerator kDeployment{"apps/v1", "Deployment", "deployments", true, "failed to create deployment: ",
                                  validate, generate, true};

}  // namespace

void add_create_deployment_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string_slice("image", 0);
  f.add_int("port", 0, -1);
  f.add_int("replicas", 'r', 1);
}
int run_create_deployment(CommandEnv& env) { return run_create_generator(env, kDeployment); }

}  // namespace kapi::client
