#pragma once
// The pod parts of describe.go shared by the pod describer and every pod template
// (DescribePodTemplate): containers, volumes, tolerations, topology spread constraints.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "client/describe/prefix_writer.h"

namespace kapi::client::describe {

using Json = nlohmann::ordered_json;

// describeContainers: `statuses` may be null (templates); `pod` resolves fieldRef env values
// (null: no resolver).
void describe_containers(const std::string& label, const Json& containers, const Json& statuses,
                         const Json* pod, PrefixWriter& w, const std::string& space);
// describeResources.
void describe_resources(const Json& resources, PrefixWriter& w, int level);
void describe_volumes(const Json& volumes, PrefixWriter& w, const std::string& space);
void describe_topology_spread_constraints(const Json& tscs, PrefixWriter& w,
                                          const std::string& space);
// DescribePodTemplate (template may be null: "<unset>").
void describe_pod_template(const Json& tmpl, PrefixWriter& w);
// describePersistentVolumeClaim's shared part for ephemeral volumes (printPersistentVolumeClaim
// with isFullPVC=false).
void print_pvc_template(PrefixWriter& w, const Json& pvc);

}  // namespace kapi::client::describe
