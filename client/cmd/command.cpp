#include "client/cmd/command.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iterator>

#include "client/factory.h"

namespace kapi::client {
namespace {

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EPIPE) {
      // As a Go program: a closed stdout/stderr ends the process by SIGPIPE (it may be
      // blocked while a request streams, see RestClient).
      std::signal(SIGPIPE, SIG_DFL);
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGPIPE);
      pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
      std::raise(SIGPIPE);
    }
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

// cobra resolves aliases ("use") like names.
const std::vector<CommandSpec> kConfigCommands = {
    {"current-context", add_no_flags, run_config_current_context},
    {"delete-cluster", add_no_flags, run_config_delete_cluster},
    {"delete-context", add_no_flags, run_config_delete_context},
    {"delete-user", add_no_flags, run_config_delete_user},
    {"get-clusters", add_no_flags, run_config_get_clusters},
    {"get-contexts", add_config_get_contexts_flags, run_config_get_contexts},
    {"get-users", add_no_flags, run_config_get_users},
    {"rename-context", add_no_flags, run_config_rename_context},
    {"set", add_config_set_flags, run_config_set},
    {"set-cluster", add_config_set_cluster_flags, run_config_set_cluster},
    {"set-context", add_config_set_context_flags, run_config_set_context},
    {"set-credentials", add_config_set_credentials_flags, run_config_set_credentials},
    {"unset", add_no_flags, run_config_unset},
    {"use-context", add_no_flags, run_config_use_context, {"use"}},
    {"view", add_config_view_flags, run_config_view},
};

const std::vector<CommandSpec> kPluginCommands = {
    {"list", add_plugin_list_flags, run_plugin_list},
};

const std::vector<CommandSpec> kClusterInfoCommands = {
    {"dump", add_cluster_info_dump_flags, run_cluster_info_dump},
};

const std::vector<CommandSpec> kAuthCommands = {
    {"can-i", add_auth_can_i_flags, run_auth_can_i},
    {"whoami", add_auth_whoami_flags, run_auth_whoami},
};

const std::vector<CommandSpec> kTopCommands = {
    {"node", add_top_node_flags, run_top_node, {"nodes", "no"}},
    {"pod", add_top_pod_flags, run_top_pod, {"pods", "po"}},
};

const std::vector<CommandSpec> kSetCommands = {
    {"env", add_set_env_flags, run_set_env},
    {"image", add_set_image_flags, run_set_image},
    {"resources", add_set_resources_flags, run_set_resources},
    {"selector", add_set_selector_flags, run_set_selector},
    {"serviceaccount", add_set_serviceaccount_flags, run_set_serviceaccount, {"sa"}},
    {"subject", add_set_subject_flags, run_set_subject},
};

const std::vector<CommandSpec> kCertificateCommands = {
    {"approve", add_certificate_flags, run_certificate_approve},
    {"deny", add_certificate_flags, run_certificate_deny},
};

const std::vector<CommandSpec> kRolloutCommands = {
    {"history", add_rollout_history_flags, run_rollout_history},
    {"pause", add_rollout_patch_flags, run_rollout_pause},
    {"restart", add_rollout_patch_flags, run_rollout_restart},
    {"resume", add_rollout_patch_flags, run_rollout_resume},
    {"status", add_rollout_status_flags, run_rollout_status},
    {"undo", add_rollout_undo_flags, run_rollout_undo},
};

const CommandSpec kCommands[] = {
    {"annotate", add_annotate_flags, run_annotate},
    {"api-resources", add_api_resources_flags, run_api_resources},
    {"api-versions", add_no_flags, run_api_versions},
    {"apply", add_apply_flags, run_apply},
    {"attach", add_attach_flags, run_attach},
    {"auth", add_no_flags, run_group, {}, &kAuthCommands},
    {"autoscale", add_autoscale_flags, run_autoscale, {}, nullptr, {"max"}},
    {"certificate", add_no_flags, run_group_help, {}, &kCertificateCommands},
    {"cluster-info", add_no_flags, run_cluster_info, {}, &kClusterInfoCommands},
    {"completion", add_no_flags, run_completion},
    {"cordon", add_node_selection_flags, run_cordon},
    {"cp", add_cp_flags, run_cp},
    {"config", add_no_flags, run_group, {}, &kConfigCommands},
    {"create", add_create_flags, run_create, {}, &create_subcommands()},
    {"debug", add_debug_flags, run_debug},
    {"delete", add_delete_flags, run_delete},
    {"describe", add_describe_flags, run_describe},
    {"diff", add_diff_flags, run_diff, {}, nullptr, {}, true},
    {"drain", add_drain_flags, run_drain},
    {"edit", add_edit_flags, run_edit},
    {"events", add_events_flags, run_events},
    {"exec", add_exec_flags, run_exec},
    {"explain", add_explain_flags, run_explain},
    {"expose", add_expose_flags, run_expose},
    {"get", add_get_flags, run_get},
    {"label", add_label_flags, run_label},
    {"logs", add_logs_flags, run_logs},
    {"patch", add_patch_flags, run_patch},
    {"plugin", add_no_flags, run_group, {}, &kPluginCommands},
    {"port-forward", add_port_forward_flags, run_port_forward},
    {"proxy", add_proxy_flags, run_proxy},
    {"replace", add_replace_flags, run_replace},
    {"rollout", add_no_flags, run_group_stdout, {}, &kRolloutCommands},
    {"run", add_run_flags, run_run, {}, nullptr, {"image"}},
    {"scale", add_scale_flags, run_scale},
    {"set", add_no_flags, run_group, {}, &kSetCommands},
    {"taint", add_taint_flags, run_taint},
    {"top", add_no_flags, run_group, {}, &kTopCommands},
    {"uncordon", add_node_selection_flags, run_uncordon},
    {"version", add_version_flags, run_version},
    {"wait", add_wait_flags, run_wait},
};

}  // namespace

const CommandSpec* find_command(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

const CommandSpec* find_subcommand(const CommandSpec& parent, const std::string& name) {
  if (!parent.subcommands) return nullptr;
  for (const auto& c : *parent.subcommands) {
    if (name == c.name) return &c;
    for (const auto& a : c.aliases)
      if (name == a) return &c;
  }
  return nullptr;
}

void add_no_flags(FlagSet&) {}

int run_group(CommandEnv&) { return 0; }
int run_group_stdout(CommandEnv&) { return 0; }
int run_group_help(CommandEnv&) { return 0; }

void flush_stdout(std::string& out) {
  write_all(1, out);
  out.clear();
}

void write_stderr(const std::string& text) { write_all(2, text); }

int report_error(std::string& out, const CmdError& err) {
  flush_stdout(out);
  write_stderr(check_err_text(err));
  return err.exit_code;
}

int report_errors(std::string& out, const std::vector<CmdError>& errs) {
  flush_stdout(out);
  write_stderr(check_err_text(errs));
  return errs.empty() ? 0 : 1;
}

std::optional<CmdError> unexpected_args(CommandEnv& env, const std::string& command,
                                        const std::vector<std::string>& subcommands) {
  if (env.args.empty()) return std::nullopt;
  for (const auto& sub : subcommands)
    if (env.args[0] == sub) return CmdError::msg("kapi does not implement \"" + command + " " + sub + "\" yet");
  std::string list;
  for (size_t i = 0; i < env.args.size(); ++i) list += (i ? " " : "") + env.args[i];
  return CmdError::msg("Unexpected args: [" + list + "]\nSee '" + env.factory.program() + " " + command +
                       " -h' for help and examples");
}

}  // namespace kapi::client
