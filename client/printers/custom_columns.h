#pragma once
// kubectl's -o custom-columns=HEADER:.path,... printer (cli-runtime
// pkg/printers/customcolumn.go): one tab-aligned row per object, "<none>" for a missing value,
// several values of one column joined by ",".
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

// RelaxedJSONPathExpression: "a.b", ".a.b", "{a.b}" and "{.a.b}" all become "{.a.b}".
Result<std::string> relaxed_jsonpath(const std::string& expr);

// Renders `obj` (a List's items, or one object). `spec` is the -o custom-columns value.
Result<std::string> print_custom_columns(const std::string& spec, bool no_headers,
                                         const nlohmann::ordered_json& obj);

// -o custom-columns-file: `tmpl` (the file's text) holds a line of headers and a line of
// column specs, each separated by white space.
Result<std::string> print_custom_columns_file(const std::string& tmpl, bool no_headers,
                                              const nlohmann::ordered_json& obj);

}  // namespace kapi::client
