#include "pkg/machinery/go_strconv.h"

#include <gtest/gtest.h>

#include <string>

namespace kapi::machinery::gofmt {
namespace {

TEST(GoStrconv, ParseInt64) {
  struct Case {
    std::string in;
    std::optional<int64_t> out;
  } cases[] = {
      {"0", 0},  {"+5", 5},   {"-5", -5},  {"9223372036854775807", INT64_MAX}, {"-9223372036854775808", INT64_MIN},
      {"", {}},  {"+", {}},   {"1a", {}},  {"9223372036854775808", {}},        {"1_000", {}},
      {" 1", {}}, {"0x10", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_int64(c.in), c.out) << c.in;
}

TEST(GoStrconv, ParseIntBase0) {
  int64_t v = 0;
  EXPECT_EQ(parse_int("0x1F", 0, v), NumError::kNone);
  EXPECT_EQ(v, 31);
  EXPECT_EQ(parse_int("-0o17", 0, v), NumError::kNone);
  EXPECT_EQ(v, -15);
  EXPECT_EQ(parse_int("0777", 0, v), NumError::kNone);
  EXPECT_EQ(v, 511);
  EXPECT_EQ(parse_int("0b101", 0, v), NumError::kNone);
  EXPECT_EQ(v, 5);
  EXPECT_EQ(parse_int("1_000", 0, v), NumError::kNone);
  EXPECT_EQ(v, 1000);
  EXPECT_EQ(parse_int("0x_1F", 0, v), NumError::kNone);
  EXPECT_EQ(parse_int("1__0", 0, v), NumError::kSyntax);
  EXPECT_EQ(parse_int("_1", 0, v), NumError::kSyntax);
  EXPECT_EQ(parse_int("0x", 0, v), NumError::kSyntax);
  EXPECT_EQ(parse_int("08", 0, v), NumError::kSyntax);
  EXPECT_EQ(parse_int("abc", 0, v), NumError::kSyntax);
  EXPECT_EQ(parse_int("9223372036854775808", 0, v), NumError::kRange);
  EXPECT_EQ(parse_int("-9223372036854775808", 0, v), NumError::kNone);
  uint64_t u = 0;
  EXPECT_EQ(parse_uint("18446744073709551615", 0, u), NumError::kNone);
  EXPECT_EQ(parse_uint("18446744073709551616", 0, u), NumError::kRange);
  EXPECT_EQ(parse_uint("+1", 0, u), NumError::kSyntax);
}

TEST(GoStrconv, ParseBool) {
  EXPECT_EQ(parse_bool("T"), true);
  EXPECT_EQ(parse_bool("0"), false);
  EXPECT_EQ(parse_bool("yes"), std::nullopt);
}

TEST(GoStrconv, DecimalFloat) {
  EXPECT_TRUE(parses_as_decimal_float(".5"));
  EXPECT_TRUE(parses_as_decimal_float(".5_0"));
  EXPECT_TRUE(parses_as_decimal_float(".5e1_0"));
  EXPECT_TRUE(parses_as_decimal_float("1e-400"));
  EXPECT_FALSE(parses_as_decimal_float(".5_"));
  EXPECT_FALSE(parses_as_decimal_float("._5"));
  EXPECT_FALSE(parses_as_decimal_float(".5__0"));
  EXPECT_FALSE(parses_as_decimal_float(".5e_1"));
  EXPECT_FALSE(parses_as_decimal_float(".5e400"));
  EXPECT_FALSE(parses_as_decimal_float("."));
}

}  // namespace
}  // namespace kapi::machinery::gofmt
