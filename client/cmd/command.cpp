#include "client/cmd/command.h"

#include <unistd.h>

#include <cstdio>

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
    {"api-resources", add_api_resources_flags, run_api_resources},
    {"api-versions", add_no_flags, run_api_versions},
    {"apply", add_apply_flags, run_apply},
    {"cluster-info", add_no_flags, run_cluster_info},
    {"create", add_create_flags, run_create},
    {"delete", add_delete_flags, run_delete},
    {"get", add_get_flags, run_get},
    {"version", add_version_flags, run_version},
};

}  // namespace

const CommandSpec* find_command(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

const CommandSpec* find_subcommand(const CommandSpec& group, const std::string& name) {
  for (size_t i = 0; i < group.subcommand_count; ++i)
    if (name == group.subcommands[i].name) return &group.subcommands[i];
  return nullptr;
}

void add_no_flags(FlagSet&) {}

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

}  // namespace kapi::client
