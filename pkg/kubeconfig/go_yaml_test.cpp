#include "pkg/kubeconfig/go_yaml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace kapi::kubeconfig::goyaml {
namespace {

// A value under "    token: " (key at column 4), as kubectl v1.32 writes it.
std::string token(const std::string& v) { return format_string(v, 11, 6); }

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
  EXPECT_EQ(format_string(l, 8, 8),
            "long long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long\n");
  EXPECT_EQ(format_string("'" + l, 8, 8),
            "'''long long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long'\n");
  EXPECT_EQ(format_string("\t" + l, 8, 8),
            "\"\\tlong long long long long long long long long long long long long long long\n"
            "        long long long long long long long long long long long\"\n");
}

TEST(GoYaml, Resolve) {
  EXPECT_EQ(resolve_plain(""), PlainKind::kNull);
  EXPECT_EQ(resolve_plain("True"), PlainKind::kBool);
  EXPECT_EQ(resolve_plain("off"), PlainKind::kBool);
  EXPECT_EQ(resolve_plain("18446744073709551615"), PlainKind::kInt);
  EXPECT_EQ(resolve_plain("-9223372036854775808"), PlainKind::kInt);
  EXPECT_EQ(resolve_plain("18446744073709551616"), PlainKind::kFloat);
  EXPECT_EQ(resolve_plain("1e400"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("2001-02-29"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("2000-02-29"), PlainKind::kTimestamp);
  EXPECT_EQ(resolve_plain("https://10.0.0.1:6443"), PlainKind::kString);
  EXPECT_TRUE(is_base60_float("190:20:30"));
  EXPECT_FALSE(is_base60_float("1:60"));
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

}  // namespace
}  // namespace kapi::kubeconfig::goyaml
