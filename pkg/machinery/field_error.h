#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace kapi::machinery {

// One apimachinery field.Error; error() renders "<field>: <type>: <value>: <detail>" exactly as
// upstream so validation messages can be returned to clients unchanged.
struct FieldError {
  enum class Type { NotFound, Required, Duplicate, Invalid, NotSupported, Forbidden, TooLong, Internal };

  Type type = Type::Invalid;
  std::string field;      // rendered path, e.g. "metadata.labels" or "<nil>" for a nil path
  std::string bad_value;  // already rendered (%q for strings, JSON for composites)
  std::string detail;

  static FieldError invalid(std::string field, std::string_view value, std::string detail);
  // Bad value given as JSON (rendered like upstream: numbers/bools plain, strings quoted, else JSON).
  static FieldError invalid_json(std::string field, const nlohmann::ordered_json& value, std::string detail);
  static FieldError not_supported(std::string field, std::string_view value, const std::vector<std::string>& valid);
  static FieldError required(std::string field, std::string detail);
  static FieldError forbidden(std::string field, std::string detail);
  static FieldError too_long(std::string field, int max_length);

  std::string body() const;
  std::string error() const;
};

// utilerrors.NewAggregate(...).Error(): one message alone, else "[a, b]" with duplicates dropped.
std::string aggregate_errors(const std::vector<std::string>& messages);

}  // namespace kapi::machinery
