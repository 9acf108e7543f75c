// `kapi cp` (kubectl pkg/cmd/cp): check the two file specs ([[namespace/]pod:]path), then run tar
// in the pod through exec (pod_stream.h): `tar cf - <path>` to copy from it, `tar -xmf -` to copy
// into it. The tar streams themselves are not implemented (exec never opens on kapi's server).
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_stream.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"

namespace kapi::client {

namespace {

struct FileSpec {
  std::string pod_namespace, pod_name, file;
};

// newLocalPath / newRemotePath: one trailing slash goes.
std::string strip_trailing_slash(std::string file) {
  if (!file.empty() && file != "/" && file.back() == '/') file.pop_back();
  return file;
}

// extractFileSpec.
Result<FileSpec> extract_file_spec(const std::string& arg) {
  const CmdError format = CmdError::msg("filespec must match the canonical format: [[namespace/]pod:]file/path");
  size_t colon = arg.find(':');
  if (colon == 0) return format;
  if (colon == std::string::npos) return FileSpec{"", "", strip_trailing_slash(arg)};
  std::string pod = arg.substr(0, colon), file = strip_trailing_slash(arg.substr(colon + 1));
  size_t slash = pod.find('/');
  if (slash == std::string::npos) return FileSpec{"", pod, file};
  if (pod.find('/', slash + 1) != std::string::npos) return format;
  return FileSpec{pod.substr(0, slash), pod.substr(slash + 1), file};
}

// path.Dir of a remote path (cleaned enough for tar's -C).
std::string remote_dir(const std::string& p) {
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  std::string dir = p.substr(0, slash);
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  return dir.empty() ? "/" : dir;
}

}  // namespace

void add_cp_flags(FlagSet& flags) {
  flags.add_string("container", 'c', "");
  flags.add_bool("no-preserve", 0, false);
  flags.add_int("retries", 0, 0);
}

int run_cp(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto default_ns = env.factory.client_config().namespace_for_request();
  if (!default_ns.ok()) return report_error(env.out, default_ns.error());
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  if (env.args.size() != 2) return report_error(env.out, CmdError::msg("source and destination are required"));
  auto src = extract_file_spec(env.args[0]);
  if (!src.ok()) return report_error(env.out, src.error());
  auto dest = extract_file_spec(env.args[1]);
  if (!dest.ok()) return report_error(env.out, dest.error());
  if (!src->pod_name.empty() && !dest->pod_name.empty())
    return report_error(env.out, CmdError::msg("one of src or dest must be a local file specification"));
  if (src->file.empty() || dest->file.empty())
    return report_error(env.out, CmdError::msg("filepath can not be empty"));
  if (src->pod_name.empty() && dest->pod_name.empty())
    return report_error(env.out, CmdError::msg("one of src or dest must be a remote file specification"));

  ExecRequest req;
  req.container = f.get_string("container");
  const FileSpec* remote = &*src;
  if (!src->pod_name.empty()) {
    // copyFromPod: exec's error stream is cp's stdout.
    req.notices_to_stdout = true;
    req.command = {"tar", "cf", "-", src->file};
    if (f.get_int("retries") != 0) req.command = {"sh", "-c", "tar cf - " + src->file + " | tail -c+0"};
  } else {
    remote = &*dest;
    struct stat st;
    if (::stat(src->file.c_str(), &st) != 0)
      return report_error(env.out, CmdError::msg(src->file + " doesn't exist in local filesystem"));
    req.stdin = true;
    if (f.get_bool("no-preserve"))
      req.command = {"tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-"};
    else
      req.command = {"tar", "-xmf", "-"};
    req.command.insert(req.command.end(), {"-C", remote_dir(dest->file)});
  }
  const std::string ns = remote->pod_namespace.empty() ? *default_ns : remote->pod_namespace;
  auto pod = get_pod(**client, ns, remote->pod_name);
  if (!pod.ok()) return report_error(env.out, pod.error());
  return report_error(env.out, exec_in_pod(env, **client, ns, *pod, req));
}

}  // namespace kapi::client
