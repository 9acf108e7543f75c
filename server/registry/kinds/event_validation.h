#pragma once
// Event validation (upstream pkg/apis/core/validation/events.go). Objects are in the core/v1
// shape (upstream validates the internal type, whose field paths are core's); `strict` is the
// request version's choice: events.k8s.io/v1 adds the strict checks, core/v1 only the legacy ones.
#include <vector>

#include "pkg/runtime/status.h"
#include "server/registry/strategy.h"

namespace kapi::server {

std::vector<runtime::StatusCause> validate_event_create(const Json& event, bool strict);
std::vector<runtime::StatusCause> validate_event_update(const Json& event, const Json& old, bool strict);

}  // namespace kapi::server
