#pragma once
// What the mutating commands share on the way in (cli-runtime's resource.Builder as they use
// it): the command's namespace and clients, the objects of -f files/directories/stdin (read by
// client/manifest_reader), and upstream's error texts about them.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/command.h"
#include "client/errors.h"
#include "client/rest_mapper.h"

namespace kapi::client {

class Discovery;
class RestClient;

// The namespace and the clients of one command run.
struct Session {
  explicit Session(CommandEnv& e) : env(e) {}
  CommandEnv& env;
  RestClient* client = nullptr;
  Discovery* discovery = nullptr;
  std::string namespace_;
  bool explicit_namespace = false;

  // The namespace, the REST client and discovery, in kubectl's order of failure.
  std::optional<CmdError> open();
};

// One object to act on (resource.Info): read from a manifest (source set, object set) or named
// on the command line (object empty until fetched).
struct ObjectInfo {
  ObjectInfo();
  ~ObjectInfo();
  ObjectInfo(ObjectInfo&&) noexcept;
  ObjectInfo& operator=(ObjectInfo&&) noexcept;

  std::string source;  // file path as kubectl names it, or "STDIN"; empty for arguments
  std::unique_ptr<nlohmann::ordered_json> object;  // never null
  RestMapping mapping;
  std::string name, namespace_;
};

// The -f/-k/-R flags (cmdutil.AddFilenameOptionFlags).
void add_file_flags(FlagSet& flags);

// The file visitor (client/manifest_reader.h) with this command's -f/-R/--validate flags: every
// object of every -f argument, mapped and namespaced. Mapping and decoding problems are
// collected into `errs` (ContinueOnError); a missing path is fatal.
Result<std::vector<ObjectInfo>> read_objects(Session& s, std::vector<CmdError>& errs, bool local = false);

// resource.Info.String(): `Resource: "apps/v1, Resource=deployments", GroupVersionKind: ...`.
std::string info_string(const ObjectInfo& i);

// cmdutil.AddSourceToErr: `error when <verb> "<source>": ` before the message.
CmdError add_source(const std::string& verb, const std::string& source, CmdError err);

}  // namespace kapi::client
