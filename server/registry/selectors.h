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

// Maps a field label of the request to the one matched against (upstream's field label
// conversion); false rejects it as unsupported.
using FieldRelabel = std::function<bool(const std::string& label, std::string& mapped)>;

// Parses labelSelector and fieldSelector query values; a parse error is a 400 Status, and so is
// a label `relabel` (if set) rejects: `field label not supported: X`.
runtime::Status parse_selectors(const std::string& label_selector, const std::string& field_selector,
                                SelectorFilter& out, const FieldRelabel& relabel = nullptr);

}  // namespace kapi::server
