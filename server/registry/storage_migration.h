#pragma once
// One-time moves of data that older kapi versions stored elsewhere, run at start-up before
// serving.
#include "server/storage/storage.h"

namespace kapi::server {

// kapi once stored events.k8s.io/v1 Events apart from core/v1 ones, in their own shape under
// /registry/events.k8s.io/events/. Moves each into the shared storage (core/v1 shape under
// /registry/events/NS/NAME); where that name is taken, the existing event stays and the old
// copy is dropped. Returns how many were moved.
int migrate_events_v1_storage(storage::Backend& backend);

}  // namespace kapi::server
