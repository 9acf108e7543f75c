#include "client/printers/jsonpath.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::string eval(const std::string& tmpl, const Json& data, std::string* error = nullptr) {
  JsonPath jp;
  std::string err, out;
  if (!jp.parse(tmpl, &err) || !jp.execute(data, out, &err)) {
    if (error) *error = err;
    return "<error>";
  }
  return out;
}

const Json kList = Json::parse(R"({"kind":"List","items":[
  {"metadata":{"name":"a","labels":{"app":"web"}},"status":{"phase":"Running","ip":"10.0.0.1"}},
  {"metadata":{"name":"b"},"status":{"phase":"Pending","ip":null}}]})");

// Expected strings follow kubectl 1.33 -o jsonpath output for the same shapes.
TEST(JsonPath, Fields) {
  EXPECT_EQ(eval("{.kind}", kList), "List");
  EXPECT_EQ(eval("{.items[*].metadata.name}", kList), "a b");
  EXPECT_EQ(eval("{.items[0].metadata.labels}", kList), R"({"app":"web"})");
  EXPECT_EQ(eval("{.items[-1].metadata.name}", kList), "b");
  EXPECT_EQ(eval("{.items[1].status.ip}", kList), "null");
  EXPECT_EQ(eval("name: {.items[0].metadata.name}!", kList), "name: a!");
}

TEST(JsonPath, MissingKeysPrintNothing) { EXPECT_EQ(eval("{.items[*].bogus}", kList), ""); }

TEST(JsonPath, RangeAndLiterals) {
  EXPECT_EQ(eval(R"({range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end})", kList),
            "a\tRunning\nb\tPending\n");
}

TEST(JsonPath, Filters) {
  EXPECT_EQ(eval(R"({.items[?(@.status.phase=="Pending")].metadata.name})", kList), "b");
  EXPECT_EQ(eval(R"({.items[?(@.metadata.labels)].metadata.name})", kList), "a");
}

TEST(JsonPath, RecursiveAndWildcard) {
  EXPECT_EQ(eval("{..name}", kList), "a b");
  EXPECT_EQ(eval("{.items[0].status.*}", kList), "10.0.0.1 Running");
}

TEST(JsonPath, Errors) {
  std::string err;
  EXPECT_EQ(eval("{.items[5].metadata}", kList, &err), "<error>");
  EXPECT_EQ(err, "array index out of bounds: index 5, length 2");
  EXPECT_EQ(eval("{.items[0", kList, &err), "<error>");
  EXPECT_EQ(err, "unterminated array");
  EXPECT_EQ(eval("{.items[0]", kList, &err), "<error>");
  EXPECT_EQ(err, "unclosed action");
}

}  // namespace
}  // namespace kapi::client
