#pragma once
// autoscaling/v1 HorizontalPodAutoscalers, a version of the autoscaling/v2 storage.
#include "server/registry/conversion.h"

namespace kapi::server {
const VersionConverter& hpa_v1_converter();
}  // namespace kapi::server
