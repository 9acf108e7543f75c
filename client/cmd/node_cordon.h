#pragma once
// What cordon, uncordon and drain share (kubectl pkg/cmd/drain/drain.go DrainCmdOptions): the
// nodes named by NODE arguments or -l (Complete), and marking them (un)schedulable
// (RunCordonOrUncordon with pkg/drain/cordon.go's patch).
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/cmd_util.h"
#include "client/cmd/object_reader.h"

namespace kapi::client {

struct NodeTargets {
  DryRun dry_run = DryRun::kNone;
  std::vector<std::string> names;
  std::vector<nlohmann::ordered_json> nodes;  // as fetched, in argument or list order
};

// --selector/-l and --dry-run (cordon and uncordon have no other flags).
void add_node_selection_flags(FlagSet& f);

// Complete: the usage checks (`use` is "cordon NODE"), --dry-run, then `before_fetch` (drain's
// --pod-selector check), then the nodes, fetched one by one; the first failure ends it.
Result<NodeTargets> complete_node_targets(Session& s, const std::string& use,
                                          const std::function<std::optional<CmdError>()>& before_fetch = nullptr);

// RunCordonOrUncordon: "node/n1 cordoned" / "already cordoned" lines on stdout; a failed patch
// prints `error: unable to cordon node "n1": ...` on stderr and goes on with the next node.
void cordon_nodes(Session& s, NodeTargets& t, bool desired);

}  // namespace kapi::client
