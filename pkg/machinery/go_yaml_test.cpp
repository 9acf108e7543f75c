#include "pkg/machinery/go_yaml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace kapi::machinery::goyaml {
namespace {

using Json = nlohmann::ordered_json;

// What marshal wrote after `prefix`.
std::string after(const std::string& out, const std::string& prefix) {
  EXPECT_EQ(out.substr(0, prefix.size()), prefix);
  return out.substr(std::min(prefix.size(), out.size()));
}

// A value under "    token: " (key at column 4), as kubectl v1.32 writes it in a kubeconfig.
std::string token(const std::string& v) {
  return after(marshal(Json{{"a", {{"b", {{"token", v}}}}}}), "a:\n  b:\n    token: ");
}

// A "      - " item (dash at column 6, continuation at 8).
std::string item(const std::string& v) {
  Json doc = {{"a", {{"b", {{"c", {{"args", Json::array({v})}}}}}}}};
  return after(marshal(doc), "a:\n  b:\n    c:\n      args:\n      - ");
}

TEST(GoYaml, QuotingMatchesKubectl) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"yes", "\"yes\""},        {"on", "\"on\""},          {"null", "\"null\""},
      {"~", "\"~\""},            {"123", "\"123\""},        {"1e5", "\"1e5\""},
      {"0x1F", "\"0x1F\""},      {"1_000", "\"1_000\""},    {"+1", "\"+1\""},
      {".5", "\".5\""},          {"-.inf", "\"-.inf\""},    {"+inf", "+inf"},
      {"inf", "inf"},            {"1:20", "\"1:20\""},      {"2001-12-14", "\"2001-12-14\""},
      {"- a", "'- a'"},          {"-a", "-a"},              {"a: b", "'a: b'"},
      {"a:b", "a:b"},            {"a #b", "'a #b'"},        {"a#b", "a#b"},
      {"#a", "'#a'"},            {"'q'", "'''q'''"},        {"\"q\"", "'\"q\"'"},
      {" lead", "' lead'"},      {"trail ", "'trail '"},    {"a,b", "a,b"},
      {"[x]", "'[x]'"},          {"{x}", "'{x}'"},          {"x]", "x]"},
      {"&a", "'&a'"},            {"*a", "'*a'"},            {"!a", "'!a'"},
      {"|a", "'|a'"},            {"%a", "'%a'"},            {"@a", "'@a'"},
      {"`a", "'`a'"},            {"?a", "?a"},              {"? a", "'? a'"},
      {":a", ":a"},              {"a:", "'a:'"},            {"---", "'---'"},
      {"...", "'...'"},          {"tab\tx", "\"tab\\tx\""}, {"\xc3\xa9", "\xc3\xa9"},
      {"1.2.3.4", "1.2.3.4"},    {"0o17", "\"0o17\""},      {"0b101", "\"0b101\""},
      {"012", "\"012\""},        {"Y", "\"Y\""},            {"n", "\"n\""},
      {"NO", "\"NO\""},          {"<<", "<<"},              {"=", "="},
      {"a'b", "a'b"},            {"~a", "~a"},              {"-", "'-'"},
      {"?", "'?'"},              {":", "':'"},              {"1.0", "\"1.0\""},
      {"1e", "1e"},              {"0x", "0x"},              {"_1", "_1"},
      {"1__0", "\"1__0\""},      {"Infinity", "Infinity"},  {".NaN", "\".NaN\""},
      {".nan", "\".nan\""},      {".Inf", "\".Inf\""},      {"-1", "\"-1\""},
      {"-0", "\"-0\""},          {"0", "\"0\""},            {"1.2e3", "\"1.2e3\""},
      {"2001-12-14T21:59:43.10-05:00", "\"2001-12-14T21:59:43.10-05:00\""},
      {"2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"},
      {"2002-1-1", "\"2002-1-1\""},  {"12:30:45", "\"12:30:45\""}, {"1_0:30", "\"1_0:30\""},
      {"1:70", "1:70"},          {"1:20.5", "\"1:20.5\""},  {"true1", "true1"},
      {"0.", "\"0.\""},          {"+.5", "\"+.5\""},        {"-.5e3", "\"-.5e3\""},
      {"1e+5", "\"1e+5\""},      {"e5", "e5"},              {"0x1g", "0x1g"},
      {"0b2", "0b2"},            {"0777", "\"0777\""},      {"08", "\"08\""},
      {"09.5", "\"09.5\""},      {"1,000", "1,000"},        {"0x_1", "\"0x_1\""},
      {"1e5_0", "\"1e5_0\""},    {"0X1F", "\"0X1F\""},      {"1.5E+3", "\"1.5E+3\""},
      {"NaN", "NaN"},            {"nan", "nan"},            {"- ", "'- '"},
      {"a ", "'a '"},            {"a\\b", "a\\b"},          {"\\", "\\"},
      {"", "\"\""},
      {"trail\n", "|\n      trail"},
      {"x\n", "|\n      x"},
      {"\nx", "|2-\n\n      x"},
      {" x\ny", "|2-\n       x\n      y"},
      {"\xc3\xa4\nb", "|-\n      \xc3\xa4\n      b"},
      {"multi\nline", "|-\n      multi\n      line"},
      {"long long long long long long long long long long long long long long long long long "
       "long long long long long long long long long",
       "long long long long long long long long long long long long long long long\n"
       "      long long long long long long long long long long long"},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_EQ(token(in), want + "\n") << "value: [" << in << "]";
  }
}

TEST(GoYaml, FoldingInSequencesAndQuotes) {
  const std::string l =
      "long long long long long long long long long long long long long long long long long "
      "long long long long long long long long long";
  // "      - " items: dash at column 6, continuation at 8.
  EXPECT_EQ(item(l),
            "long long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long\n");
  EXPECT_EQ(item("'" + l),
            "'''long long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long'\n");
  EXPECT_EQ(item("\t" + l),
            "\"\\tlong long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long\"\n");
}

TEST(GoYaml, KeyOrder) {
  std::vector<std::string> keys = {"tokenFile", "token",   "as-uid", "as",   "as-groups",
                                   "a10",       "a9",      "b",      "B",    "a-b"};
  std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    return key_less(a, b);
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"B", "a-b", "a9", "a10", "as", "as-groups",
                                            "as-uid", "b", "token", "tokenFile"}));
}

TEST(GoYaml, Scalars) {
  // sigs.k8s.io/yaml: strings that would read back as another type are double-quoted.
  Json j = {{"a", "true"}, {"b", "1e3"}, {"c", "0x1F"}, {"d", "2024-01-01"}, {"e", "plain text"},
            {"f", ""}, {"g", "~"}, {"h", "1:20"}, {"i", "2024-13-01"}, {"j", "<none>"}};
  EXPECT_EQ(marshal(j),
            "a: \"true\"\nb: \"1e3\"\nc: \"0x1F\"\nd: \"2024-01-01\"\ne: plain text\nf: \"\"\n"
            "g: \"~\"\nh: \"1:20\"\ni: 2024-13-01\nj: <none>\n");
}

TEST(GoYaml, Numbers) {
  // Integral floats come back as ints through JSON; others use strconv 'g' formatting.
  Json j = {{"a", 1000000.0}, {"b", 0.5}, {"c", 1e21}, {"d", 1e-7}, {"e", 3}, {"f", 1234567.5}};
  EXPECT_EQ(marshal(j), "a: 1000000\nb: 0.5\nc: 1e+21\nd: 1e-07\ne: 3\nf: 1.2345675e+06\n");
}

TEST(GoYaml, Collections) {
  // "n" is a YAML 1.1 boolean, so even as a key it is quoted.
  Json j = Json::parse(R"({"list":[[1,2],[],[["deep"]]],"empty":{},"seq":["a",{"k":"v","l":[1]}],"n":null})");
  EXPECT_EQ(marshal(j),
            "empty: {}\nlist:\n- - 1\n  - 2\n- []\n- - - deep\n\"n\": null\nseq:\n- a\n- k: v\n  l:\n  - 1\n");
}

TEST(GoYaml, LiteralBlocksAndChomping) {
  EXPECT_EQ(marshal(Json{{"a", "x\ny"}}), "a: |-\n  x\n  y\n");
  EXPECT_EQ(marshal(Json{{"a", "x\n"}}), "a: |\n  x\n");
  EXPECT_EQ(marshal(Json{{"a", "x\n\n"}}), "a: |+\n  x\n\n");
  EXPECT_EQ(marshal(Json{{"a", " x\ny"}}), "a: |2-\n   x\n  y\n");
  // Trailing space on a line forbids the block style.
  EXPECT_EQ(marshal(Json{{"a", "x \ny"}}), "a: \"x \\ny\"\n");
}

TEST(GoYaml, FoldsLongPlainStringsAt80Columns) {
  std::string v = "a very long value with many words that keeps going and going past the eighty column";
  EXPECT_EQ(marshal(Json{{"key", v}}),
            "key: a very long value with many words that keeps going and going past the eighty\n"
            "  column\n");
}

TEST(GoYaml, KeyOrderIsNatural) {
  // go-yaml's keyList.Less: digits compare numerically, non-letters sort before letters.
  EXPECT_TRUE(key_less("key2", "key10"));
  EXPECT_TRUE(key_less("a-b", "ab"));
  EXPECT_TRUE(key_less("a/b", "a_b"));
  EXPECT_FALSE(key_less("b", "a"));
  EXPECT_TRUE(key_less("Key", "key"));
}

}  // namespace
}  // namespace kapi::machinery::goyaml
