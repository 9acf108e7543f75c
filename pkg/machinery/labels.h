#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "pkg/machinery/result.h"

// Label selectors as apimachinery pkg/labels/selector.go (v0.36): parsing, canonical String(),
// matching, and conversion from a metav1.LabelSelector.
namespace kapi::machinery {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class LabelOperator { DoesNotExist, Equals, DoubleEquals, In, NotEquals, NotIn, Exists, GreaterThan, LessThan };

// selection.Operator spelling: "!", "=", "==", "in", "!=", "notin", "exists", "gt", "lt".
std::string_view label_operator_string(LabelOperator op);

struct LabelRequirement {
  std::string key;
  LabelOperator op = LabelOperator::Exists;
  std::vector<std::string> values;  // order as given (parsed selectors: sorted, deduplicated)

  // labels.NewRequirement: validates key, operator arity and values; error text as upstream.
  static Result<LabelRequirement> create(std::string key, LabelOperator op, std::vector<std::string> values,
                                         bool values_null = false);

  bool matches(const Labels& labels) const;
  std::string to_string() const;
  bool operator==(const LabelRequirement&) const = default;
};

class LabelSelector {
 public:
  LabelSelector() = default;  // matches everything
  static LabelSelector everything() { return {}; }
  static LabelSelector nothing();
  // SelectorFromSet: key=value for each label (no validation).
  static LabelSelector from_set(const Labels& set);

  bool matches(const Labels& labels) const;
  // Convenience for a JSON labels object ({"k":"v"}); non-string values never match.
  bool matches_json(const nlohmann::ordered_json& labels) const;
  bool empty() const { return !nothing_ && requirements_.empty(); }
  bool is_nothing() const { return nothing_; }
  // Canonical String(): requirements sorted by key, joined by ','.
  std::string to_string() const;
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }
  // RequiresExactMatch: the single value required for `key` via =, == or in, if any.
  std::optional<std::string> requires_exact_match(std::string_view key) const;
  LabelSelector add(std::vector<LabelRequirement> reqs) const;

 private:
  std::vector<LabelRequirement> requirements_;
  bool nothing_ = false;
};

// labels.Parse.
Result<LabelSelector> parse_label_selector(std::string_view selector);
// metav1.LabelSelectorAsSelector; null -> nothing(), {} -> everything().
Result<LabelSelector> label_selector_from_json(const nlohmann::ordered_json& selector);
Labels labels_from_json(const nlohmann::ordered_json& labels);

}  // namespace kapi::machinery
