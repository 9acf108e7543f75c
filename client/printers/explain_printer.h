#pragma once
// `kubectl explain` output from an OpenAPI v3 group-version document: the logic of kubectl's
// pkg/explain/v2/templates/plaintext.tmpl (header from the resource's operations, the schema
// with that GroupVersionKind, FIELD/DESCRIPTION/FIELDS sections, type guesses like
// <[]Container>, enums, -required-, go-wordwrap at 76/78 columns) written out in C++.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kapi::client {

struct ExplainRequest {
  std::string group, version, resource;
  std::vector<std::string> field_path;
  bool recursive = false;
};

// Appends the explanation to `out`. On failure returns the error text as kubectl prints it
// ("error: field \"foo\" does not exist"); `out` keeps what was written before (the header).
std::optional<std::string> render_explain(const nlohmann::ordered_json& doc, const ExplainRequest& req,
                                          std::string& out);

// github.com/mitchellh/go-wordwrap WrapString: breaks at whitespace so lines stay within
// `limit` runes where words allow.
std::string go_wordwrap(const std::string& s, size_t limit);

}  // namespace kapi::client
