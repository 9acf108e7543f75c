#pragma once
// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): literal text plus {actions}:
// field paths (.a.b, ['a'], ..a recursive, .* wildcard), array indexes and slices ([0], [-1],
// [1:3], [*]), filters ([?(@.a=="x")], [?(@.a)]), string literals ({"\n"}) and range/end.
// Results of one action are separated by a space; strings print raw, maps and lists as compact
// JSON, other scalars as Go's fmt does.
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <string>
#include <vector>

namespace kapi::client {

class JsonPath {
 public:
  JsonPath();
  ~JsonPath();
  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(JsonPath&&) noexcept;

  // Parses a template. Error text as upstream's parser reports it ("unclosed action", ...).
  bool parse(const std::string& text, std::string* error);
  // Missing keys print nothing (kubectl's --allow-missing-template-keys=true) unless disabled.
  void allow_missing_keys(bool allow) { allow_missing_ = allow; }
  // Evaluates against `data`, appending to `out`. false with `error` set on failure.
  bool execute(const nlohmann::ordered_json& data, std::string& out, std::string* error) const;
  // The raw results of the template's actions, in order (FindResults, flattened); what
  // custom-columns prints.
  bool find_results(const nlohmann::ordered_json& data, std::vector<nlohmann::ordered_json>& values,
                    std::string* error) const;

  // The results per top-level node, text nodes included (what -o jsonpath-as-json prints, one
  // JSON array per node).
  bool find_result_groups(const nlohmann::ordered_json& data, std::vector<std::vector<nlohmann::ordered_json>>& groups,
                          std::string* error) const;

  struct Node;

 private:
  std::unique_ptr<Node> root_;
  bool allow_missing_ = true;
};

// Go's %#v of a decoded JSON value (used in kubectl's jsonpath error report).
std::string go_sharp_v(const nlohmann::ordered_json& v);

}  // namespace kapi::client
