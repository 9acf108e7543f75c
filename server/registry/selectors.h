#pragma once
// Label and field selectors as the store applies them (parsed once per request).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pkg/runtime/status.h"

namespace kapi::server {

using Attrs = std::vector<std::pair<std::string, std::string>>;

struct SelectorFilter {
  std::function<bool(const Attrs& labels, const Attrs& fields)> match;  // null = everything
  std::vector<std::string> field_names;  // fields the field selector uses
  // A single metadata.name=X requirement (lets gets of one object skip the scan).
  std::string name_equals;
};

// Parses labelSelector and fieldSelector query values; a parse error is a 400 Status.
runtime::Status parse_selectors(const std::string& label_selector, const std::string& field_selector,
                                SelectorFilter& out);

}  // namespace kapi::server
