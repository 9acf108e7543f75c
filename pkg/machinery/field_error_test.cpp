#include "pkg/machinery/field_error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::machinery {
namespace {

using json = nlohmann::ordered_json;

TEST(FieldError, Rendering) {
  struct Case {
    FieldError err;
    std::string out;
  } cases[] = {
      {FieldError::invalid("metadata.name", "Foo", "must be lower case"),
       "metadata.name: Invalid value: \"Foo\": must be lower case"},
      {FieldError::invalid_json("spec.replicas", json(-1), "must be greater than or equal to 0"),
       "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
      {FieldError::invalid_json("values", json::parse(R"(["a","b"])"), "x"), "values: Invalid value: [\"a\",\"b\"]: x"},
      {FieldError::invalid_json("values", json(nullptr), "x"), "values: Invalid value: null: x"},
      {FieldError::not_supported("spec.type", "Foo", {"A", "B"}),
       "spec.type: Unsupported value: \"Foo\": supported values: \"A\", \"B\""},
      {FieldError::required("metadata.name", "name or generateName is required"),
       "metadata.name: Required value: name or generateName is required"},
      {FieldError::required("spec", ""), "spec: Required value"},
      {FieldError::forbidden("spec.x", "may not be set"), "spec.x: Forbidden: may not be set"},
      {FieldError::too_long("metadata.annotations", 262144),
       "metadata.annotations: Too long: may not be more than 262144 bytes"},
      {FieldError::too_long("x", 1), "x: Too long: may not be more than 1 byte"},
  };
  for (const auto& c : cases) EXPECT_EQ(c.err.error(), c.out);
}

TEST(FieldError, Aggregate) {
  EXPECT_EQ(aggregate_errors({}), "");
  EXPECT_EQ(aggregate_errors({"a"}), "a");
  EXPECT_EQ(aggregate_errors({"a", "b"}), "[a, b]");
  EXPECT_EQ(aggregate_errors({"a", "a"}), "a");
  EXPECT_EQ(aggregate_errors({"a", "b", "a"}), "[a, b]");
}

}  // namespace
}  // namespace kapi::machinery
