#include "pkg/machinery/field_error.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "pkg/machinery/go_format.h"

namespace kapi::machinery {

namespace {

std::string type_string(FieldError::Type t) {
  switch (t) {
    case FieldError::Type::NotFound: return "Not found";
    case FieldError::Type::Required: return "Required value";
    case FieldError::Type::Duplicate: return "Duplicate value";
    case FieldError::Type::Invalid: return "Invalid value";
    case FieldError::Type::NotSupported: return "Unsupported value";
    case FieldError::Type::Forbidden: return "Forbidden";
    case FieldError::Type::TooLong: return "Too long";
    case FieldError::Type::Internal: return "Internal error";
  }
  return "";
}

}  // namespace

FieldError FieldError::invalid(std::string field, std::string_view value, std::string detail) {
  return {Type::Invalid, std::move(field), gofmt::quote(value), std::move(detail)};
}

FieldError FieldError::invalid_json(std::string field, const nlohmann::ordered_json& value, std::string detail) {
  std::string rendered;
  if (value.is_string()) {
    rendered = gofmt::quote(value.get<std::string>());
  } else if (value.is_number() || value.is_boolean()) {
    rendered = gofmt::sprint_v(value);
  } else {
    rendered = value.dump();
  }
  return {Type::Invalid, std::move(field), std::move(rendered), std::move(detail)};
}

FieldError FieldError::not_supported(std::string field, std::string_view value, const std::vector<std::string>& valid) {
  std::string detail;
  if (!valid.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < valid.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += gofmt::quote(valid[i]);
    }
  }
  return {Type::NotSupported, std::move(field), gofmt::quote(value), std::move(detail)};
}

FieldError FieldError::required(std::string field, std::string detail) {
  return {Type::Required, std::move(field), "", std::move(detail)};
}

FieldError FieldError::forbidden(std::string field, std::string detail) {
  return {Type::Forbidden, std::move(field), "", std::move(detail)};
}

FieldError FieldError::too_long(std::string field, int max_length) {
  std::string msg = max_length >= 0 ? "may not be more than " + std::to_string(max_length) +
                                          (max_length == 1 ? " byte" : " bytes")
                                    : "value is too long";
  return {Type::TooLong, std::move(field), "", std::move(msg)};
}

std::string FieldError::body() const {
  std::string s = type_string(type);
  switch (type) {
    case Type::Required:
    case Type::Forbidden:
    case Type::TooLong:
    case Type::Internal: break;
    default: s += ": " + bad_value;
  }
  if (!detail.empty()) s += ": " + detail;
  return s;
}

std::string FieldError::error() const { return field + ": " + body(); }

std::string aggregate_errors(const std::vector<std::string>& messages) {
  if (messages.empty()) return "";
  if (messages.size() == 1) return messages[0];
  std::vector<std::string> seen;
  std::string result;
  for (const auto& m : messages) {
    if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    if (!seen.empty()) result += ", ";
    seen.push_back(m);
    result += m;
  }
  if (seen.size() == 1) return result;
  return "[" + result + "]";
}

}  // namespace kapi::machinery
