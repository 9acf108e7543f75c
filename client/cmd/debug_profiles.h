#pragma once
// kubectl debug's profiles (kubectl pkg/cmd/debug/profiles.go): how each one shapes the debug
// container and its pod for the three ways of debugging.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace kapi::client {

enum class DebugStyle { kEphemeral, kPodCopy, kNode };

// The --keep-* flags: what a pod copy keeps of the original.
struct KeepFlags {
  bool labels = false, annotations = false, liveness = false, readiness = false, startup = false;
  bool init_containers = true;
};

// legacy, general, baseline, restricted, netadmin or sysadmin.
bool known_debug_profile(const std::string& profile);

// ProfileApplier.Apply on the pod (a JSON Pod) for the container `container` (a regular, init or
// ephemeral container of the pod). REQUIRES: known_debug_profile(profile).
void apply_debug_profile(const std::string& profile, KeepFlags keep, DebugStyle style, nlohmann::ordered_json& pod,
                         const std::string& container);

}  // namespace kapi::client
