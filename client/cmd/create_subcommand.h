#pragma once
// Internal to the `create <generator>` commands (kubectl pkg/cmd/create/create_*.go): each
// generator builds one typed object from flags; one runner does what every upstream generator's
// Complete/Validate/Run repeats: NAME, --dry-run, -o, --save-config, the POST and the printing.
#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/command.h"

namespace kapi::client {

class Discovery;

// What a generator sees once the common options are complete.
struct GeneratorContext {
  CommandEnv& env;
  std::string name;                  // NAME
  std::vector<std::string> command;  // the arguments after NAME (deployment, job, cronjob)
  std::string namespace_;
  bool enforce_namespace = false;  // -n given: kubectl sets metadata.namespace
  // Discovery, fetched on first use (role rules resolve resources through the REST mapper).
  Result<Discovery*> discovery();
};

struct CreateGenerator {
  const char* group_version;  // "v1", "apps/v1"
  const char* kind;           // "ConfigMap"
  const char* resource;       // "configmaps"
  bool namespaced;
  // Upstream wraps server errors as `fmt.Errorf("failed to create configmap: %v", err)`;
  // nullptr keeps the server error as is ("Error from server (AlreadyExists): ...").
  const char* error_prefix;
  // The generator's Validate (after the common options); may be nullptr.
  std::optional<CmdError> (*validate)(GeneratorContext& ctx);
  // Builds the object (apiVersion, kind, metadata, ... in Go field order).
  std::optional<CmdError> (*generate)(GeneratorContext& ctx, nlohmann::ordered_json& out);
  // Commands that take `-- COMMAND [args...]` after NAME.
  bool takes_command = false;
};

// Flags every generator has: -o and its template flags, --dry-run, --save-config, --validate,
// --field-manager.
void add_create_common_flags(FlagSet& f);
// Complete -> Validate -> Run for `g`.
int run_create_generator(CommandEnv& env, const CreateGenerator& g);

// pkg/util ParseLiteralSource / ParseFileSource.
Result<std::pair<std::string, std::string>> parse_literal_source(const std::string& source);
Result<std::pair<std::string, std::string>> parse_file_source(const std::string& source);
// cmdutil.AddFromEnvFile: calls `add` for each KEY=VALUE line; the first error stops.
std::optional<CmdError> add_from_env_file(const std::string& path,
                                          const std::function<std::optional<CmdError>(const std::string&,
                                                                                      const std::string&)>& add);
// The (key, path) pairs of one --from-file source: the file itself, or each regular file of a
// directory (os.ReadDir order). Errors as upstream ("error reading x: no such file or directory").
Result<std::vector<std::pair<std::string, std::string>>> expand_file_source(const std::string& source);
Result<std::string> read_whole_file(const std::string& path);

// The subcommands' flags and entry points (client/cmd/create_<name>.cpp).
void add_create_namespace_flags(FlagSet& f);
int run_create_namespace(CommandEnv& env);
void add_create_configmap_flags(FlagSet& f);
int run_create_configmap(CommandEnv& env);
void add_create_secret_generic_flags(FlagSet& f);
int run_create_secret_generic(CommandEnv& env);
void add_create_secret_tls_flags(FlagSet& f);
int run_create_secret_tls(CommandEnv& env);
void add_create_secret_docker_flags(FlagSet& f);
int run_create_secret_docker(CommandEnv& env);
void add_create_deployment_flags(FlagSet& f);
int run_create_deployment(CommandEnv& env);
void add_create_service_clusterip_flags(FlagSet& f);
int run_create_service_clusterip(CommandEnv& env);
void add_create_service_nodeport_flags(FlagSet& f);
int run_create_service_nodeport(CommandEnv& env);
void add_create_service_loadbalancer_flags(FlagSet& f);
int run_create_service_loadbalancer(CommandEnv& env);
void add_create_service_externalname_flags(FlagSet& f);
int run_create_service_externalname(CommandEnv& env);
void add_create_serviceaccount_flags(FlagSet& f);
int run_create_serviceaccount(CommandEnv& env);
void add_create_role_flags(FlagSet& f);
int run_create_role(CommandEnv& env);
void add_create_clusterrole_flags(FlagSet& f);
int run_create_clusterrole(CommandEnv& env);
void add_create_rolebinding_flags(FlagSet& f);
int run_create_rolebinding(CommandEnv& env);
void add_create_clusterrolebinding_flags(FlagSet& f);
int run_create_clusterrolebinding(CommandEnv& env);
void add_create_priorityclass_flags(FlagSet& f);
int run_create_priorityclass(CommandEnv& env);
void add_create_job_flags(FlagSet& f);
int run_create_job(CommandEnv& env);
void add_create_cronjob_flags(FlagSet& f);
int run_create_cronjob(CommandEnv& env);
void add_create_quota_flags(FlagSet& f);
int run_create_quota(CommandEnv& env);
void add_create_pdb_flags(FlagSet& f);
int run_create_pdb(CommandEnv& env);
void add_create_ingress_flags(FlagSet& f);
int run_create_ingress(CommandEnv& env);
void add_create_token_flags(FlagSet& f);
int run_create_token(CommandEnv& env);

}  // namespace kapi::client
