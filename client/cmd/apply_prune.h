#pragma once
// `apply --prune` without an ApplySet (kubectl pkg/cmd/apply/prune.go, pkg/util/prune): after
// applying, delete the objects of the allowlisted kinds that match the selector, carry the
// last-applied annotation and were not part of this apply.
#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/object_reader.h"
#include "client/errors.h"

namespace kapi::client {

// prune.Resource: one allowlist entry.
struct PruneResource {
  std::string group, version, kind;
  bool namespaced = false;
};

// prune.ParseResources: "group/version/kind" ("core" for the core group), each mapped through
// discovery. Needs an open session.
Result<std::vector<PruneResource>> parse_prune_allowlist(Session& s, const std::vector<std::string>& gvks);

class Pruner {
 public:
  // `print` shows one pruned object (the apply printer with operation "pruned").
  using PrintFn = std::function<void(const ObjectInfo&, const nlohmann::ordered_json&)>;

  // Remembers an applied object (MarkNamespaceVisited + MarkObjectVisited).
  void visit(const ObjectInfo& info, const nlohmann::ordered_json& result);

  // pruneAll: `allowlist` empty means kubectl's default kinds.
  std::optional<CmdError> prune_all(Session& s, const std::vector<PruneResource>& allowlist, const std::string& selector,
                                    DryRun dry_run, const PrintFn& print);

 private:
  std::optional<CmdError> prune(Session& s, const std::string& ns, const RestMapping& m, const std::string& selector,
                                DryRun dry_run, const PrintFn& print);
  std::set<std::string> uids_, namespaces_;
};

}  // namespace kapi::client
