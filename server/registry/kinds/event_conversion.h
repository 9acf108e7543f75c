#pragma once
// events.k8s.io/v1 Event <-> core/v1 Event, the shape Events are stored in (upstream's
// pkg/apis/events/v1/conversion.go, through the internal type whose fields are core/v1's).
#include "server/registry/conversion.h"

namespace kapi::server {

const VersionConverter& events_v1_converter();

}  // namespace kapi::server
