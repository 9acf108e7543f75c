#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/machinery/result.h"

// Field selectors as apimachinery pkg/fields/selector.go: "a=b", "a==b", "a!=b", comma
// separated, with '\' escaping of '\', ',' and '=' in values.
namespace kapi::machinery {

using Fields = std::vector<std::pair<std::string, std::string>>;

enum class FieldOperator { Equals, NotEquals };

struct FieldRequirement {
  std::string field;
  FieldOperator op = FieldOperator::Equals;
  std::string value;
  bool operator==(const FieldRequirement&) const = default;
};

class FieldSelector {
 public:
  FieldSelector() = default;  // matches everything
  static FieldSelector everything() { return {}; }
  static FieldSelector nothing();
  static FieldSelector one_term_equal(std::string field, std::string value);
  static FieldSelector from_set(const Fields& set);
  static FieldSelector from_requirements(std::vector<FieldRequirement> reqs);

  // A field missing from `fields` reads as "" (upstream Fields.Get).
  bool matches(const Fields& fields) const;
  bool empty() const { return !nothing_ && terms_.empty(); }
  bool is_nothing() const { return nothing_; }
  std::string to_string() const;
  // Lets the server reject unsupported fields ("field label not supported: X").
  const std::vector<FieldRequirement>& requirements() const { return terms_; }
  std::optional<std::string> requires_exact_match(std::string_view field) const;
  // Transform: rewrite each term; returning ("", "") drops it. An error aborts.
  using TransformFn = std::function<Result<std::pair<std::string, std::string>>(const std::string&, const std::string&)>;
  Result<FieldSelector> transform(const TransformFn& fn) const;

 private:
  std::vector<FieldRequirement> terms_;
  bool nothing_ = false;
};

// fields.ParseSelector.
Result<FieldSelector> parse_field_selector(std::string_view selector);
std::string escape_field_value(std::string_view s);
Result<std::string> unescape_field_value(std::string_view s);

}  // namespace kapi::machinery
