#include "client/printers/go_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client/test_util.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

TEST(GoJson, IndentedSortedLikeKubectl) {
  // kubectl get cm settings -o json (kubectl 1.33.1, client/testdata/README.md)
  EXPECT_EQ(to_go_json(Json::parse(testing::read_testdata("configmap_settings.json")), "    ") + "\n",
            testing::read_testdata("configmap_settings.json.golden"));
}

TEST(GoJson, HtmlAndLineSeparatorEscapes) {
  EXPECT_EQ(to_go_json(Json("<a&b>\u2028")), "\"\\u003ca\\u0026b\\u003e\\u2028\"");
  EXPECT_EQ(to_go_json(Json("tab\t\x01")), "\"tab\\t\\u0001\"");
}

TEST(GoJson, Compact) {
  EXPECT_EQ(to_go_json(Json::parse(R"({"b":[1,{}],"a":null})")), R"({"a":null,"b":[1,{}]})");
}

}  // namespace
}  // namespace kapi::client
