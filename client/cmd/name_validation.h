#pragma once
// apimachinery's validation.IsQualifiedName and IsValidLabelValue, with upstream's messages:
// the empty list means valid.
#include <string>
#include <vector>

namespace kapi::client {

std::vector<std::string> qualified_name_errors(const std::string& name);
std::vector<std::string> label_value_errors(const std::string& value);

}  // namespace kapi::client
