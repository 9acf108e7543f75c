#include "pkg/machinery/yaml_resolve.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::machinery::goyaml {
namespace {

TEST(YamlResolve, Resolve) {
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

TEST(YamlResolve, MatchesKubectl) {
  // Checked against kubectl 1.32 (`kubectl create configmap --dry-run=client -o yaml`).
  EXPECT_EQ(resolve_plain("1e400"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("0xFFFFFFFFFFFFFFFFFFFFFFFF"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("0b-1"), PlainKind::kInt);
  EXPECT_EQ(resolve_plain("2001-12-14T21:59:43.1234567890123Z"), PlainKind::kTimestamp);
  EXPECT_EQ(resolve_plain("2001-12-14T21:59:43+24:00"), PlainKind::kTimestamp);
  EXPECT_EQ(resolve_plain("2001-12-14 21:59:43,5"), PlainKind::kTimestamp);
  EXPECT_EQ(resolve_plain(".5_0"), PlainKind::kFloat);
  EXPECT_EQ(resolve_plain(".5_"), PlainKind::kString);
  EXPECT_EQ(resolve_plain(".5e_1"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("1e-400"), PlainKind::kFloat);
  EXPECT_EQ(resolve_plain("-9223372036854775809"), PlainKind::kFloat);
  EXPECT_EQ(resolve_plain("-0b"), PlainKind::kString);
  EXPECT_EQ(resolve_plain("<<"), PlainKind::kString);
}

TEST(YamlResolve, Values) {
  using Json = nlohmann::ordered_json;
  EXPECT_EQ(plain_value("yes"), Json(true));
  EXPECT_EQ(plain_value("~"), Json(nullptr));
  EXPECT_EQ(plain_value("0o17"), Json(15));
  EXPECT_EQ(plain_value("1_000"), Json(1000));
  EXPECT_EQ(plain_value("18446744073709551615"), Json(18446744073709551615ULL));
  EXPECT_EQ(plain_value("1.5"), Json(1.5));
  EXPECT_EQ(plain_value("2001-12-14"), Json("2001-12-14"));
  EXPECT_EQ(plain_value("text"), Json("text"));
}

}  // namespace
}  // namespace kapi::machinery::goyaml
