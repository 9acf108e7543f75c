#include "pkg/machinery/go_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::machinery::gofmt {
namespace {

using json = nlohmann::ordered_json;

TEST(GoFormat, Quote) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"", "\"\""},           {"abc", "\"abc\""},         {"a\"b", "\"a\\\"b\""},  {"a\\b", "\"a\\\\b\""},
      {"a\nb\tc", "\"a\\nb\\tc\""}, {std::string("\x01", 1), "\"\\x01\""}, {"\x7f", "\"\\x7f\""},
      {"함", "\"함\""},        {"\xff", "\"\\xff\""},
  };
  for (const auto& c : cases) EXPECT_EQ(quote(c.in), c.out);
}

TEST(GoFormat, SprintV) {
  struct Case {
    json in;
    std::string out;
  } cases[] = {
      {json(nullptr), "<nil>"},
      {json(true), "true"},
      {json("s"), "s"},
      {json(42), "42"},
      {json(-7), "-7"},
      {json(1.5), "1.5"},
      {json(100.0), "100"},
      {json(123456.0), "123456"},
      {json(1e6), "1e+06"},
      {json(1234567.0), "1.234567e+06"},
      {json(0.0001), "0.0001"},
      {json(0.00001), "1e-05"},
      {json(-2.5e-7), "-2.5e-07"},
      {json::parse(R"([1,"a",[2]])"), "[1 a [2]]"},
      {json::parse(R"({"b":1,"a":{"c":null}})"), "map[a:map[c:<nil>] b:1]"},
  };
  for (const auto& c : cases) EXPECT_EQ(sprint_v(c.in), c.out) << c.in.dump();
}

TEST(GoFormat, TypeName) {
  EXPECT_EQ(type_name(json(nullptr)), "<nil>");
  EXPECT_EQ(type_name(json(1)), "int64");
  EXPECT_EQ(type_name(json(1.5)), "float64");
  EXPECT_EQ(type_name(json::array()), "[]interface {}");
  EXPECT_EQ(type_name(json::object()), "map[string]interface {}");
}

TEST(GoFormat, ParseInt64) {
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

}  // namespace
}  // namespace kapi::machinery::gofmt
