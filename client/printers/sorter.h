#pragma once
// kubectl get --sort-by (pkg/cmd/get/sorter.go): the order of objects (or of a Table's rows,
// by each row's embedded object) by the first value of a JSONPath field.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

// The permutation that sorts `objects` by `sort_by` (new position -> old index), as Go's
// sort.Sort with kubectl's Less would leave them: objects without the field first, strings
// that are quantities by quantity, other strings bytewise, numbers numerically.
// Error: "couldn't find any field with path ..." when no object has the field.
Result<std::vector<size_t>> sort_order(const std::vector<const nlohmann::ordered_json*>& objects,
                                       const std::string& sort_by);

}  // namespace kapi::client
