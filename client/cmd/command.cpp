#include "client/cmd/command.h"

#include <unistd.h>

#include <cstdio>

#include "client/factory.h"

namespace kapi::client {
namespace {

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

const CommandSpec kCommands[] = {
    {"annotate", add_annotate_flags, run_annotate},
    {"apply", add_apply_flags, run_apply},
    {"create", add_create_flags, run_create},
    {"delete", add_delete_flags, run_delete},
    {"get", add_get_flags, run_get},
    {"label", add_label_flags, run_label},
    {"patch", add_patch_flags, run_patch},
    {"replace", add_replace_flags, run_replace},
    {"scale", add_scale_flags, run_scale},
    {"version", add_version_flags, run_version},
    {"wait", add_wait_flags, run_wait},
};

}  // namespace

const CommandSpec* find_command(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

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
