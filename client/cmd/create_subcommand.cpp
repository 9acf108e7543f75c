// The runner shared by the `create <generator>` commands: what each of kubectl's create_*.go
// does in Complete (NAME, dry-run strategy, namespace, printer, validation directive), Validate
// and Run (--save-config annotation, POST unless --dry-run=client, print), plus the source
// helpers (--from-literal, --from-file, --from-env-file) several generators share.
#include "client/cmd/create_subcommand.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "client/cmd/cmd_util.h"
#include "client/cmd/generated_object.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "pkg/machinery/names.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// cmdutil.DefaultSubCommandRun for `create secret` and `create service` without a known child:
// the help on stderr, or "unknown command" for arguments; exit 1 either way.
int run_create_group(CommandEnv& env) {
  if (!env.args.empty()) {
    std::string joined;
    for (size_t i = 0; i < env.args.size(); ++i) joined += (i ? " " : "") + env.args[i];
    return report_error(env.out, usage_error(env, "unknown command " + go_json_quote(joined)));
  }
  const std::string& p = env.factory.program();
  if (env.path == "create secret") {
    write_stderr("Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container "
                 "registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS "
                 "certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for "
                 "use with a Docker registry\n  generic           Create a secret from a local file, directory, or "
                 "literal value\n  tls               Create a TLS secret\n\nUsage:\n  " + p +
                 " create secret (docker-registry | generic | tls) [options]\n\nUse \"" + p +
                 " create secret <command> --help\" for more information about a given command.\nUse \"" + p +
                 " options\" for a list of global command-line options (applies to all commands).\n");
  } else {
    write_stderr("Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n"
                 "  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n"
                 "  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\n"
                 "Usage:\n  " + p + " create service [flags] [options]\n\nUse \"" + p +
                 " create service <command> --help\" for more information about a given command.\nUse \"" + p +
                 " options\" for a list of global command-line options (applies to all commands).\n");
  }
  return 1;
}

}  // namespace

Result<Discovery*> GeneratorContext::discovery() { return env.factory.discovery(); }

void add_create_common_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string("dry-run", 0, "none");
  f.set_no_opt_default("dry-run", "unchanged");
  f.add_string("field-manager", 0, "kubectl-create");
  f.add_string("output", 'o', "");
  f.add_bool("save-config", 0, false);
  f.add_bool("show-managed-fields", 0, false);
  f.add_string("template", 0, "");
  f.add_string("validate", 0, "strict");
}

int run_create_generator(CommandEnv& env, const CreateGenerator& g) {
  const FlagSet& f = env.flags;
  int argc = f.args_len_at_dash();
  if (argc < 0) argc = static_cast<int>(env.args.size());
  if (argc != 1) return report_error(env.out, usage_error(env, "exactly one NAME is required, got " + std::to_string(argc)));
  GeneratorContext ctx{env, env.args[0], {}, "", false};
  if (g.takes_command && env.args.size() > 1) ctx.command.assign(env.args.begin() + 1, env.args.end());

  auto dry_run = dry_run_strategy(f);
  if (!dry_run.ok()) return report_error(env.out, dry_run.error());
  auto ns = env.factory.client_config().namespace_for_request(&ctx.enforce_namespace);
  if (!ns.ok()) return report_error(env.out, ns.error());
  ctx.namespace_ = *ns;
  auto printer = print_choice(f);
  if (!printer.ok()) return report_error(env.out, printer.error());
  auto validation = validation_directive(f);
  if (!validation.ok()) return report_error(env.out, validation.error());

  if (g.validate)
    if (auto err = g.validate(ctx)) return report_error(env.out, *err);
  Json obj = Json::object();
  if (auto err = g.generate(ctx, obj)) return report_error(env.out, *err);
  const GeneratedKind kind{g.group_version, g.kind, g.resource, g.namespaced};
  obj = to_typed(obj, kind.group_version, kind.kind);
  if (f.get_bool("save-config")) add_last_applied_annotation(obj, kind);

  if (*dry_run != DryRun::kClient) {
    auto created = create_generated(env, kind, ctx.namespace_, obj, *dry_run,
                                    {{"fieldManager", f.get_string("field-manager")}, {"fieldValidation", *validation}});
    if (!created.ok()) {
      CmdError e = created.error();
      // fmt.Errorf("...: %v", err) prints a StatusError as its bare message.
      if (g.error_prefix)
        e = CmdError::msg(g.error_prefix + (e.kind == CmdError::Kind::kStatus ? e.message : message_for_error(e)));
      return report_error(env.out, e);
    }
    obj = std::move(*created);
  }
  if (auto err = print_generated(f, *printer, kind, std::move(obj), "created", *dry_run, env.out))
    return report_error(env.out, *err);
  return 0;
}

Result<std::pair<std::string, std::string>> parse_literal_source(const std::string& source) {
  size_t eq = source.find('=');
  if (eq == 0 || eq == std::string::npos)
    return CmdError::msg("invalid literal source " + source + ", expected key=value");
  return std::make_pair(source.substr(0, eq), source.substr(eq + 1));
}

Result<std::pair<std::string, std::string>> parse_file_source(const std::string& source) {
  size_t n = static_cast<size_t>(std::count(source.begin(), source.end(), '='));
  if (n == 0) {
    // path.Base
    std::string p = source;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    size_t slash = p.rfind('/');
    std::string base = slash == std::string::npos || p == "/" ? p : p.substr(slash + 1);
    if (base.empty()) base = ".";
    return std::make_pair(base, source);
  }
  if (n == 1 && source.front() == '=') return CmdError::msg("key name for file path " + source.substr(1) + " missing");
  if (n == 1 && source.back() == '=')
    return CmdError::msg("file path for key name " + source.substr(0, source.size() - 1) + " missing");
  if (n > 1) return CmdError::msg("key names or file paths cannot contain '='");
  size_t eq = source.find('=');
  return std::make_pair(source.substr(0, eq), source.substr(eq + 1));
}

// The *os.PathError text of a failed stat: "no such file or directory".
static std::string errno_text(int e) {
  std::string s = std::strerror(e);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return CmdError::msg("open " + path + ": " + errno_text(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<std::pair<std::string, std::string>>> expand_file_source(const std::string& source) {
  auto parsed = parse_file_source(source);
  if (!parsed.ok()) return parsed.error();
  auto [key, path] = *parsed;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return CmdError::msg("error reading " + path + ": " + errno_text(errno));
  std::vector<std::pair<std::string, std::string>> out;
  if (!S_ISDIR(st.st_mode)) {
    out.emplace_back(key, path);
    return out;
  }
  if (source.find('=') != std::string::npos) return CmdError::msg("cannot give a key name for a directory path");
  DIR* d = ::opendir(path.c_str());
  if (!d) return CmdError::msg("error listing files in " + path + ": " + errno_text(errno));
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    // filepath.Join, and only regular files (item.Type().IsRegular(): symlinks are skipped).
    std::string dir = path;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    std::string item = dir == "." ? n : dir + "/" + n;
    struct stat ist;
    if (::lstat(item.c_str(), &ist) == 0 && S_ISREG(ist.st_mode)) out.emplace_back(n, item);
  }
  return out;
}

std::optional<CmdError> add_from_env_file(
    const std::string& path, const std::function<std::optional<CmdError>(const std::string&, const std::string&)>& add) {
  auto text = read_whole_file(path);
  if (!text.ok()) return text.error();
  std::istringstream in(*text);
  std::string line;
  int current = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // bufio.ScanLines drops a CR
    if (current == 0 && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    ++current;
    size_t b = line.find_first_not_of(" \t\n\v\f\r");
    if (b == std::string::npos) continue;
    line = line.substr(b);
    if (line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string key = line.substr(0, eq);
    auto errs = machinery::is_env_var_name(key);
    if (!errs.empty()) {
      std::string joined;
      for (size_t i = 0; i < errs.size(); ++i) joined += (i ? ";" : "") + errs[i];
      return CmdError::msg(go_json_quote(key) + " is not a valid key name: " + joined);
    }
    std::string value;
    if (eq != std::string::npos) value = line.substr(eq + 1);
    else if (const char* e = std::getenv(key.c_str())) value = e;
    if (auto err = add(key, value)) return err;
  }
  return std::nullopt;
}

const std::vector<CommandSpec>& create_subcommands() {
  static const std::vector<CommandSpec> kSecret = {
      {"docker-registry", add_create_secret_docker_flags, run_create_secret_docker},
      {"generic", add_create_secret_generic_flags, run_create_secret_generic},
      {"tls", add_create_secret_tls_flags, run_create_secret_tls},
  };
  static const std::vector<CommandSpec> kService = {
      {"clusterip", add_create_service_clusterip_flags, run_create_service_clusterip},
      {"externalname", add_create_service_externalname_flags, run_create_service_externalname, {}, nullptr,
       {"external-name"}},
      {"loadbalancer", add_create_service_loadbalancer_flags, run_create_service_loadbalancer},
      {"nodeport", add_create_service_nodeport_flags, run_create_service_nodeport},
  };
  static const std::vector<CommandSpec> kCommands = {
      {"clusterrole", add_create_clusterrole_flags, run_create_clusterrole},
      {"clusterrolebinding", add_create_clusterrolebinding_flags, run_create_clusterrolebinding, {}, nullptr,
       {"clusterrole"}},
      {"configmap", add_create_configmap_flags, run_create_configmap, {"cm"}},
      {"cronjob", add_create_cronjob_flags, run_create_cronjob, {"cj"}, nullptr, {"image", "schedule"}},
      {"deployment", add_create_deployment_flags, run_create_deployment, {"deploy"}, nullptr, {"image"}},
      {"ingress", add_create_ingress_flags, run_create_ingress, {"ing"}},
      {"job", add_create_job_flags, run_create_job},
      {"namespace", add_create_namespace_flags, run_create_namespace, {"ns"}},
      {"poddisruptionbudget", add_create_pdb_flags, run_create_pdb, {"pdb"}},
      {"priorityclass", add_create_priorityclass_flags, run_create_priorityclass, {"pc"}},
      {"quota", add_create_quota_flags, run_create_quota, {"resourcequota"}},
      {"role", add_create_role_flags, run_create_role},
      {"rolebinding", add_create_rolebinding_flags, run_create_rolebinding},
      {"secret", [](FlagSet&) {}, run_create_group, {}, &kSecret},
      {"service", [](FlagSet&) {}, run_create_group, {"svc"}, &kService},
      {"serviceaccount", add_create_serviceaccount_flags, run_create_serviceaccount, {"sa"}},
      {"token", add_create_token_flags, run_create_token},
  };
  return kCommands;
}

}  // namespace kapi::client
