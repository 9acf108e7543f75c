#include "client/printers/custom_columns.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// Expected texts follow kubectl 1.33 -o custom-columns (cli-runtime customcolumn.go).
TEST(CustomColumns, RowsPerItemWithNoneForMissing) {
  Json list = Json::parse(R"({"kind":"List","items":[
    {"metadata":{"name":"web-7d4b9c-abcde"},"status":{"podIP":"10.244.0.5"},"spec":{"containers":[{"image":"a"},{"image":"b"}]}},
    {"metadata":{"name":"db-0"},"spec":{"containers":[{"image":"c"}]}}]})");
  auto out = print_custom_columns("NAME:.metadata.name,IP:status.podIP,IMAGES:{.spec.containers[*].image}", false, list);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "NAME               IP           IMAGES\n"
            "web-7d4b9c-abcde   10.244.0.5   a,b\n"
            "db-0               <none>       c\n");
  auto no_headers = print_custom_columns("N:.metadata.name", true, list);
  EXPECT_EQ(*no_headers, "web-7d4b9c-abcde\ndb-0\n");
}

TEST(CustomColumns, MapsPrintLikeGo) {
  Json obj = Json::parse(R"({"metadata":{"labels":{"b":"2","a":"1"}}})");
  EXPECT_EQ(*print_custom_columns("L:.metadata.labels", true, obj), "map[a:1 b:2]\n");
}

TEST(CustomColumns, SpecErrors) {
  EXPECT_EQ(print_custom_columns("", false, Json::object()).error().message,
            "custom-columns format specified but no custom columns given");
  EXPECT_EQ(print_custom_columns("bad", false, Json::object()).error().message,
            "unexpected custom-columns spec: bad, expected <header>:<json-path-expr>");
  EXPECT_FALSE(relaxed_jsonpath("{.a}{.b}").ok());
  EXPECT_EQ(*relaxed_jsonpath("a.b"), "{.a.b}");
  EXPECT_EQ(*relaxed_jsonpath("{.a.b}"), "{.a.b}");
}

}  // namespace
}  // namespace kapi::client
