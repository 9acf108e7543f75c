#pragma once
// A client command: its flags and its run function (kubectl's cobra.Command, reduced to what
// kapi needs). Each verb lives in its own file in client/cmd/.
#include <optional>
#include <string>
#include <vector>

#include "client/errors.h"
#include "client/flags.h"

namespace kapi::client {

class Factory;

struct CommandEnv {
  Factory& factory;
  const FlagSet& flags;
  std::vector<std::string> args;  // positional arguments
  std::string& out;               // stdout, written by the caller when the command returns
  std::string path = "";          // the command path after the program name: "create configmap"
};

struct CommandSpec {
  const char* name;
  void (*add_flags)(FlagSet& flags);
  int (*run)(CommandEnv& env);
  std::vector<std::string> aliases = {};
  // Child commands cobra finds before parsing flags (`create configmap`, `create secret tls`).
  const std::vector<CommandSpec>* subcommands = nullptr;
  // cobra's MarkFlagRequired, checked after parsing: `required flag(s) "image" not set`.
  std::vector<std::string> required_flags = {};
  // Flag errors print as a usage error with exit code 2 (diff's SetFlagErrorFunc + CheckDiffErr).
  bool diff_flag_errors = false;
};

// Names cobra's Find resolves at kubectl's root, implemented by kapi or not (hidden ones too).
bool is_root_command(const std::string& name);

// Commands kapi implements; nullptr for any other name.
const CommandSpec* find_command(const std::string& name);
// The child of `parent` named `name` (or one of its aliases); nullptr if none.
const CommandSpec* find_subcommand(const CommandSpec& parent, const std::string& name);

// Writes `out` to stdout (and clears it), then prints the error as kubectl's CheckErr does.
// Returns the exit code.
int report_error(std::string& out, const CmdError& err);
int report_errors(std::string& out, const std::vector<CmdError>& errs);
void flush_stdout(std::string& out);

// Positional arguments of a command that takes none: a subcommand kapi lacks, or cobra's
// "Unexpected args" (cmdutil.UsageErrorf).
std::optional<CmdError> unexpected_args(CommandEnv& env, const std::string& command,
                                        const std::vector<std::string>& subcommands);
void write_stderr(const std::string& text);

// Individual commands (client/cmd/<name>.cpp).
void add_get_flags(FlagSet& flags);
int run_get(CommandEnv& env);
void add_version_flags(FlagSet& flags);
int run_version(CommandEnv& env);
void add_apply_flags(FlagSet& flags);
int run_apply(CommandEnv& env);
void add_create_flags(FlagSet& flags);
int run_create(CommandEnv& env);
const std::vector<CommandSpec>& create_subcommands();  // create_subcommand.cpp
void add_delete_flags(FlagSet& flags);
int run_delete(CommandEnv& env);
void add_describe_flags(FlagSet& flags);
int run_describe(CommandEnv& env);
void add_api_resources_flags(FlagSet& flags);
int run_api_resources(CommandEnv& env);
void add_no_flags(FlagSet& flags);
// The run function of a pure command group (`config`, `auth`): never called; a group named
// without a subcommand prints its help on stderr and exits 1 (cmdutil.DefaultSubCommandRun).
int run_group(CommandEnv& env);
// The same with the help on stdout (`rollout`).
int run_group_stdout(CommandEnv& env);
// The same with exit code 0 (`certificate`, whose Run is cmd.Help()).
int run_group_help(CommandEnv& env);
int run_api_versions(CommandEnv& env);
int run_cluster_info(CommandEnv& env);
// `config` subcommands (client/cmd/config_*.cpp).
void add_config_view_flags(FlagSet& flags);
int run_config_view(CommandEnv& env);
int run_config_current_context(CommandEnv& env);
void add_config_get_contexts_flags(FlagSet& flags);
int run_config_get_contexts(CommandEnv& env);
int run_config_use_context(CommandEnv& env);
void add_config_set_context_flags(FlagSet& flags);
int run_config_set_context(CommandEnv& env);
int run_config_delete_context(CommandEnv& env);
int run_config_rename_context(CommandEnv& env);
void add_config_set_cluster_flags(FlagSet& flags);
int run_config_set_cluster(CommandEnv& env);
void add_config_set_credentials_flags(FlagSet& flags);
int run_config_set_credentials(CommandEnv& env);
int run_config_get_clusters(CommandEnv& env);
int run_config_get_users(CommandEnv& env);
int run_config_delete_cluster(CommandEnv& env);
int run_config_delete_user(CommandEnv& env);
void add_config_set_flags(FlagSet& flags);
int run_config_set(CommandEnv& env);
int run_config_unset(CommandEnv& env);
void add_explain_flags(FlagSet& flags);
int run_explain(CommandEnv& env);
void add_logs_flags(FlagSet& flags);
int run_logs(CommandEnv& env);
void add_exec_flags(FlagSet& flags);
int run_exec(CommandEnv& env);
void add_attach_flags(FlagSet& flags);
int run_attach(CommandEnv& env);
void add_port_forward_flags(FlagSet& flags);
int run_port_forward(CommandEnv& env);
void add_cp_flags(FlagSet& flags);
int run_cp(CommandEnv& env);
int run_completion(CommandEnv& env);
int run_complete(CommandEnv& env);  // the hidden __complete
// `auth` subcommands (client/cmd/auth.cpp).
void add_auth_can_i_flags(FlagSet& flags);
int run_auth_can_i(CommandEnv& env);
void add_auth_whoami_flags(FlagSet& flags);
int run_auth_whoami(CommandEnv& env);
// Object operations (client/cmd/<name>.cpp, shared object_visitor / object_writer).
void add_patch_flags(FlagSet& flags);
void add_plugin_list_flags(FlagSet& flags);
void add_cluster_info_dump_flags(FlagSet& flags);
int run_cluster_info_dump(CommandEnv& env);
int run_patch(CommandEnv& env);
int run_plugin_list(CommandEnv& env);
void add_label_flags(FlagSet& flags);
int run_label(CommandEnv& env);
void add_annotate_flags(FlagSet& flags);
int run_annotate(CommandEnv& env);
void add_replace_flags(FlagSet& flags);
int run_replace(CommandEnv& env);
void add_scale_flags(FlagSet& flags);
int run_scale(CommandEnv& env);
void add_wait_flags(FlagSet& flags);
void add_edit_flags(FlagSet& flags);
int run_edit(CommandEnv& env);
int run_wait(CommandEnv& env);
void add_diff_flags(FlagSet& flags);
int run_diff(CommandEnv& env);
// Commands that build their objects (client/cmd/<name>.cpp, shared generated_object).
void add_debug_flags(FlagSet& flags);
int run_debug(CommandEnv& env);
void add_run_flags(FlagSet& flags);
int run_run(CommandEnv& env);
void add_expose_flags(FlagSet& flags);
int run_expose(CommandEnv& env);
void add_autoscale_flags(FlagSet& flags);
int run_autoscale(CommandEnv& env);
// Node maintenance (client/cmd/node_cordon.cpp, drain.cpp, taint.cpp).
void add_node_selection_flags(FlagSet& flags);
int run_cordon(CommandEnv& env);
int run_uncordon(CommandEnv& env);
void add_drain_flags(FlagSet& flags);
int run_drain(CommandEnv& env);
void add_taint_flags(FlagSet& flags);
int run_taint(CommandEnv& env);
void add_proxy_flags(FlagSet& flags);
int run_proxy(CommandEnv& env);
void add_events_flags(FlagSet& flags);
int run_events(CommandEnv& env);
// `top node|pod` (client/cmd/top.cpp).
void add_top_node_flags(FlagSet& flags);
int run_top_node(CommandEnv& env);
void add_top_pod_flags(FlagSet& flags);
int run_top_pod(CommandEnv& env);
// `set` subcommands (client/cmd/set_*.cpp).
void add_set_image_flags(FlagSet& flags);
int run_set_image(CommandEnv& env);
void add_set_env_flags(FlagSet& flags);
int run_set_env(CommandEnv& env);
void add_set_resources_flags(FlagSet& flags);
int run_set_resources(CommandEnv& env);
void add_set_selector_flags(FlagSet& flags);
int run_set_selector(CommandEnv& env);
void add_set_serviceaccount_flags(FlagSet& flags);
int run_set_serviceaccount(CommandEnv& env);
void add_set_subject_flags(FlagSet& flags);
int run_set_subject(CommandEnv& env);
// `certificate approve|deny` (client/cmd/certificate.cpp).
void add_certificate_flags(FlagSet& flags);
int run_certificate_approve(CommandEnv& env);
int run_certificate_deny(CommandEnv& env);
// `rollout` subcommands (client/cmd/rollout_*.cpp).
void add_rollout_patch_flags(FlagSet& flags);  // pause, resume, restart
int run_rollout_pause(CommandEnv& env);
int run_rollout_resume(CommandEnv& env);
int run_rollout_restart(CommandEnv& env);
void add_rollout_status_flags(FlagSet& flags);
int run_rollout_status(CommandEnv& env);
void add_rollout_history_flags(FlagSet& flags);
int run_rollout_history(CommandEnv& env);
void add_rollout_undo_flags(FlagSet& flags);
int run_rollout_undo(CommandEnv& env);

}  // namespace kapi::client
