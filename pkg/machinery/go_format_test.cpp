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

TEST(GoFormat, FormatFloatJson) {
  EXPECT_EQ(format_float_json(1e21), "1e+21");
  EXPECT_EQ(format_float_json(1e20), "100000000000000000000");
  EXPECT_EQ(format_float_json(1e-7), "1e-7");
  EXPECT_EQ(format_float_json(0.000001), "0.000001");
  EXPECT_EQ(format_float_json(2.0), "2");
  EXPECT_EQ(format_float_v(1e6), "1e+06");
  EXPECT_EQ(format_float_v(123456.5), "123456.5");
}

}  // namespace
}  // namespace kapi::machinery::gofmt
