#pragma once
// cli-runtime's file visitor (resource.Builder.FilenameParam): the objects of every -f path
// (files, directories, "-" for stdin; multi-document YAML and Lists), each mapped through
// discovery and given its namespace, with upstream's error texts.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "client/errors.h"
#include "client/rest_mapper.h"

namespace kapi::client {

class Discovery;
class RestClient;

struct ManifestObject {
  std::string source;  // file path as kubectl names it, or "STDIN"
  std::unique_ptr<nlohmann::ordered_json> object;
  RestMapping mapping;
  std::string name, namespace_;  // namespace_ is empty for cluster-scoped kinds
};

struct ManifestOptions {
  std::vector<std::string> filenames;
  bool recursive = false;
  std::string namespace_;  // the default namespace, enforced when explicit
  bool explicit_namespace = false;
  std::string validate;  // --validate (decides the error when discovery is unreachable)
  // Builder.Local(): objects have no REST mapping there, so the default namespace is not
  // written into them (info.namespace_ is still set).
  bool local = false;
};

// Every object of every path. Mapping and decoding problems go to `errs` (ContinueOnError); a
// missing path or a failed discovery refresh is fatal. `out` is flushed before klog lines.
Result<std::vector<ManifestObject>> read_manifests(const ManifestOptions& o, RestClient& client,
                                                   Discovery& discovery, std::string& out,
                                                   std::vector<CmdError>& errs);

}  // namespace kapi::client
