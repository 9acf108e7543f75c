// Golden outputs come from kubectl 1.33.1 (see client/testdata/README.md).
#include "client/printers/go_yaml.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client/test_util.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using testing::read_testdata;

TEST(GoYaml, ConfigMapQuotingMatchesKubectl) {
  EXPECT_EQ(to_go_yaml(Json::parse(read_testdata("configmap_settings.json"))),
            read_testdata("configmap_settings.yaml.golden"));
}

TEST(GoYaml, PodWithLiteralBlockAndFoldedLine) {
  EXPECT_EQ(to_go_yaml(Json::parse(read_testdata("pod_coredns.json"))),
            read_testdata("pod_coredns.yaml.golden"));
}

TEST(GoYaml, Scalars) {
  // sigs.k8s.io/yaml: strings that would read back as another type are double-quoted.
  Json j = {{"a", "true"}, {"b", "1e3"}, {"c", "0x1F"}, {"d", "2024-01-01"}, {"e", "plain text"},
            {"f", ""}, {"g", "~"}, {"h", "1:20"}, {"i", "2024-13-01"}, {"j", "<none>"}};
  EXPECT_EQ(to_go_yaml(j),
            "a: \"true\"\nb: \"1e3\"\nc: \"0x1F\"\nd: \"2024-01-01\"\ne: plain text\nf: \"\"\n"
            "g: \"~\"\nh: \"1:20\"\ni: 2024-13-01\nj: <none>\n");
}

TEST(GoYaml, Numbers) {
  // Integral floats come back as ints through JSON; others use strconv 'g' formatting.
  Json j = {{"a", 1000000.0}, {"b", 0.5}, {"c", 1e21}, {"d", 1e-7}, {"e", 3}, {"f", 1234567.5}};
  EXPECT_EQ(to_go_yaml(j), "a: 1000000\nb: 0.5\nc: 1e+21\nd: 1e-07\ne: 3\nf: 1.2345675e+06\n");
}

TEST(GoYaml, Collections) {
  // "n" is a YAML 1.1 boolean, so even as a key it is quoted.
  Json j = Json::parse(R"({"list":[[1,2],[],[["deep"]]],"empty":{},"seq":["a",{"k":"v","l":[1]}],"n":null})");
  EXPECT_EQ(to_go_yaml(j),
            "empty: {}\nlist:\n- - 1\n  - 2\n- []\n- - - deep\n\"n\": null\nseq:\n- a\n- k: v\n  l:\n  - 1\n");
}

TEST(GoYaml, LiteralBlocksAndChomping) {
  EXPECT_EQ(to_go_yaml(Json{{"a", "x\ny"}}), "a: |-\n  x\n  y\n");
  EXPECT_EQ(to_go_yaml(Json{{"a", "x\n"}}), "a: |\n  x\n");
  EXPECT_EQ(to_go_yaml(Json{{"a", "x\n\n"}}), "a: |+\n  x\n\n");
  EXPECT_EQ(to_go_yaml(Json{{"a", " x\ny"}}), "a: |2-\n   x\n  y\n");
  // Trailing space on a line forbids the block style.
  EXPECT_EQ(to_go_yaml(Json{{"a", "x \ny"}}), "a: \"x \\ny\"\n");
}

TEST(GoYaml, FoldsLongPlainStringsAt80Columns) {
  std::string v = "a very long value with many words that keeps going and going past the eighty column";
  EXPECT_EQ(to_go_yaml(Json{{"key", v}}),
            "key: a very long value with many words that keeps going and going past the eighty\n"
            "  column\n");
}

TEST(GoYaml, KeyOrderIsNatural) {
  // go-yaml's keyList.Less: digits compare numerically, non-letters sort before letters.
  EXPECT_TRUE(go_yaml_key_less("key2", "key10"));
  EXPECT_TRUE(go_yaml_key_less("a-b", "ab"));
  EXPECT_TRUE(go_yaml_key_less("a/b", "a_b"));
  EXPECT_FALSE(go_yaml_key_less("b", "a"));
  EXPECT_TRUE(go_yaml_key_less("Key", "key"));
}

}  // namespace
}  // namespace kapi::client
