#pragma once
// The strategic-merge-patch view of the typed model: patch strategies and merge keys straight
// from the schema, for pkg/machinery's SMP.
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/schema.h"

namespace kapi::runtime {

// The SMP schema of a struct type (lives as long as the Schema; thread-safe).
const machinery::PatchSchema* patch_schema_for(const StructType& type);

}  // namespace kapi::runtime
