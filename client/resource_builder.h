#pragma once
// The part of cli-runtime's resource.Builder that `get` uses: turn TYPE[,TYPE] [NAME...] and
// TYPE/NAME arguments into visits (resource mapping + optional name) through discovery, then
// fetch each visit — lists page through `continue` — collecting results and errors
// (ContinueOnError), with upstream's error texts.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/errors.h"
#include "client/rest_mapper.h"

namespace kapi::client {

class Discovery;
class RestClient;

struct BuilderOptions {
  std::string program;     // for the "resource/name form" hint
  std::string namespace_;  // ignored with all_namespaces
  bool all_namespaces = false;
  std::string label_selector, field_selector;
  long long chunk_size = 500;
  bool single_resource_type = false;  // watch: one resource type only
  bool ignore_not_found = false;      // a named object that is missing is not an error
  std::string accept;                 // Accept header of the fetches
  bool flatten = false;               // list items become separate results (with apiVersion/kind)
  bool include_object = false;        // Table rows carry the whole object (get --sort-by)
  // A type without names lists everything (get, --all); otherwise it is an error, as for the
  // mutating commands' ResourceTypeOrNameArgs(false, ...).
  bool allow_empty_selector = true;
  bool select_all = false;  // --all: a selector that matches everything (names are an error)
  std::string subresource;  // named objects are fetched at .../<name>/<subresource>
};

// One unit to fetch: a list of one resource type, or one named object.
struct Visit {
  RestMapping mapping;
  std::string name;  // empty: list
  std::optional<std::string> namespace_;  // an object read from a file: its own namespace
};

// One fetched result: a list chunk, an object, or (flattened) a list item.
struct Info {
  const RestMapping* mapping;
  std::unique_ptr<nlohmann::ordered_json> object;
};

class ResourceBuilder {
 public:
  ResourceBuilder(RestClient& client, Discovery& discovery, BuilderOptions options);
  ~ResourceBuilder();

  // ResourceTypeOrNameArgs + visitorResult. `single_item_implied` is set when the arguments name
  // exactly one object (kubectl then prints it bare instead of in a List).
  Result<std::vector<Visit>> plan(const std::vector<std::string>& args, bool* single_item_implied);
  // Fetches one visit; results go to infos(), failures to errors().
  void fetch(const Visit& visit);

  std::vector<Info>& infos() { return infos_; }
  std::vector<CmdError>& errors() { return errors_; }
  // metadata.resourceVersion of each list chunk fetched.
  const std::vector<std::string>& list_versions() const { return list_versions_; }

  // "/api/v1/namespaces/ns/pods[/name]" with path segments escaped as Go's url.URL does.
  static std::string path_for(const RestMapping& m, const std::string& ns, const std::string& name);
  // url.Values.Encode: "?a=1&b=2", keys sorted ("" for no parameters).
  static std::string encode_query(std::vector<std::pair<std::string, std::string>> params);

 private:
  Result<RestMapping> mapping_for(const std::string& arg);

  RestClient& client_;
  Discovery& discovery_;
  BuilderOptions o_;
  std::vector<std::unique_ptr<RestMapping>> mappings_;
  std::vector<Info> infos_;
  std::vector<CmdError> errors_;
  std::vector<std::string> list_versions_;
};

// True if the results are of more than one group/version/kind (get.go multipleGVKsRequested).
bool multiple_gvks(const std::vector<Info>& infos);

// kubectl's memcache discovery logs every failed attempt to read the group list (five in a
// `get`) before the error is reported; this writes those lines and returns `err`.
CmdError discovery_failed(const CmdError& err, int attempts = 5);
// The Go error text of a failed request ("Get \"URL\": dial tcp ...", or a Status message);
// "" for other errors.
std::string go_error_text(const CmdError& err);

}  // namespace kapi::client
