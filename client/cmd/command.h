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
};

struct CommandSpec {
  const char* name;
  void (*add_flags)(FlagSet& flags);
  int (*run)(CommandEnv& env);
};

// Commands kapi implements; nullptr for any other name.
const CommandSpec* find_command(const std::string& name);

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
void add_delete_flags(FlagSet& flags);
int run_delete(CommandEnv& env);
void add_patch_flags(FlagSet& flags);
void add_label_flags(FlagSet& flags);
int run_label(CommandEnv& env);
void add_annotate_flags(FlagSet& flags);
int run_annotate(CommandEnv& env);
int run_patch(CommandEnv& env);
void add_replace_flags(FlagSet& flags);
int run_replace(CommandEnv& env);
void add_scale_flags(FlagSet& flags);
int run_scale(CommandEnv& env);
void add_wait_flags(FlagSet& flags);
int run_wait(CommandEnv& env);

}  // namespace kapi::client
