// Tables mirror apimachinery v0.36 pkg/api/resource/quantity_test.go (TestQuantityParse,
// TestQuantityString, TestQuantityParseEmit, TestQuantityRoundUp, TestQuantityCmp, ...).
#include "pkg/machinery/quantity.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::machinery {
namespace {

using F = Quantity::Format;

Quantity dec(int64_t v, int exp, F f) { return Quantity::from_decimal(v, exp, f); }

TEST(Quantity, Parse) {
  struct Case {
    std::string in;
    Quantity want;
  } cases[] = {
      {"0", dec(0, 0, F::DecimalSI)},       {"0n", dec(0, 0, F::DecimalSI)},     {"0u", dec(0, 0, F::DecimalSI)},
      {"0m", dec(0, 0, F::DecimalSI)},      {"0Ki", dec(0, 0, F::BinarySI)},     {"0k", dec(0, 0, F::DecimalSI)},
      {"0Mi", dec(0, 0, F::BinarySI)},      {"0M", dec(0, 0, F::DecimalSI)},     {"0Gi", dec(0, 0, F::BinarySI)},
      {"0G", dec(0, 0, F::DecimalSI)},      {"0Ti", dec(0, 0, F::BinarySI)},     {"0T", dec(0, 0, F::DecimalSI)},
      {"1", dec(1, 0, F::DecimalSI)},
      {"1Ki", dec(1024, 0, F::BinarySI)},   {"8Ki", dec(8 * 1024, 0, F::BinarySI)},
      {"7Mi", dec(7 * 1024 * 1024, 0, F::BinarySI)},
      {"6Gi", dec(6LL * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"5Ti", dec(5LL * 1024 * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"4Pi", dec(4LL * 1024 * 1024 * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"3Ei", dec(3LL * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"10Ti", dec(10LL * 1024 * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"100Ti", dec(100LL * 1024 * 1024 * 1024 * 1024, 0, F::BinarySI)},
      {"5n", dec(5, -9, F::DecimalSI)},     {"4u", dec(4, -6, F::DecimalSI)},    {"3m", dec(3, -3, F::DecimalSI)},
      {"9", dec(9, 0, F::DecimalSI)},       {"8k", dec(8, 3, F::DecimalSI)},     {"50k", dec(5, 4, F::DecimalSI)},
      {"7M", dec(7, 6, F::DecimalSI)},      {"6G", dec(6, 9, F::DecimalSI)},     {"5T", dec(5, 12, F::DecimalSI)},
      {"40T", dec(4, 13, F::DecimalSI)},    {"300T", dec(3, 14, F::DecimalSI)},  {"2P", dec(2, 15, F::DecimalSI)},
      {"1E", dec(1, 18, F::DecimalSI)},
      {"1E-3", dec(1, -3, F::DecimalExponent)}, {"1e3", dec(1, 3, F::DecimalExponent)},
      {"1E6", dec(1, 6, F::DecimalExponent)},   {"1e9", dec(1, 9, F::DecimalExponent)},
      {"1E12", dec(1, 12, F::DecimalExponent)}, {"1e15", dec(1, 15, F::DecimalExponent)},
      {"1E18", dec(1, 18, F::DecimalExponent)}, {"1e14", dec(1, 14, F::DecimalExponent)},
      {"1e13", dec(1, 13, F::DecimalExponent)}, {"100.035k", dec(100035, 0, F::DecimalSI)},
      {"0.001", dec(1, -3, F::DecimalSI)},  {"0.0005k", dec(5, -1, F::DecimalSI)}, {"0.005", dec(5, -3, F::DecimalSI)},
      {"0.05", dec(5, -2, F::DecimalSI)},   {"0.5", dec(5, -1, F::DecimalSI)},   {"0.00050k", dec(5, -1, F::DecimalSI)},
      {"0.00500", dec(5, -3, F::DecimalSI)}, {"0.05000", dec(5, -2, F::DecimalSI)}, {"0.50000", dec(5, -1, F::DecimalSI)},
      {"0.5e0", dec(5, -1, F::DecimalExponent)}, {"0.5e-1", dec(5, -2, F::DecimalExponent)},
      {"0.5e-2", dec(5, -3, F::DecimalExponent)}, {"10.035M", dec(10035, 3, F::DecimalSI)},
      {"1.2e3", dec(12, 2, F::DecimalExponent)},  {"1.3E+6", dec(13, 5, F::DecimalExponent)},
      {"1.40e9", dec(14, 8, F::DecimalExponent)}, {"1.53E12", dec(153, 10, F::DecimalExponent)},
      {"1.6e15", dec(16, 14, F::DecimalExponent)}, {"1.7E18", dec(17, 17, F::DecimalExponent)},
      {"9.01", dec(901, -2, F::DecimalSI)}, {"8.1k", dec(81, 2, F::DecimalSI)},
      {"7.123456M", dec(7123456, 0, F::DecimalSI)}, {"6.987654321G", dec(6987654321, 0, F::DecimalSI)},
      {"5.444T", dec(5444, 9, F::DecimalSI)}, {"40.1T", dec(401, 11, F::DecimalSI)},
      {"300.2T", dec(3002, 11, F::DecimalSI)}, {"2.5P", dec(25, 14, F::DecimalSI)}, {"1.01E", dec(101, 16, F::DecimalSI)},
      // saturate / round
      {"3.001n", dec(4, -9, F::DecimalSI)}, {"1.1E-9", dec(2, -9, F::DecimalExponent)},
      {"0.0000000001", dec(1, -9, F::DecimalSI)}, {"0.0000000005", dec(1, -9, F::DecimalSI)},
      {"0.00000000050", dec(1, -9, F::DecimalSI)}, {"0.5e-9", dec(1, -9, F::DecimalExponent)},
      {"0.9n", dec(1, -9, F::DecimalSI)}, {"0.00000012345", dec(124, -9, F::DecimalSI)},
      {"0.00000012354", dec(124, -9, F::DecimalSI)},
      {"9Ei", dec(9223372036854775807LL, 0, F::BinarySI)},
      {"9223372036854775807Ki", dec(9223372036854775807LL, 0, F::BinarySI)},
      {"12E", dec(12, 18, F::DecimalSI)},
      // fractional binary
      {"100.035Ki", dec(10243584, -2, F::BinarySI)}, {"0.5Mi", dec(524288, 0, F::BinarySI)},
      {"0.05Gi", dec(536870912, -1, F::BinarySI)}, {"0.025Ti", dec(274877906944, -1, F::BinarySI)},
      // trolls
      {"0.000000000001Ki", dec(2, -9, F::DecimalSI)}, {".001", dec(1, -3, F::DecimalSI)},
      {".0001k", dec(100, -3, F::DecimalSI)}, {"1.", dec(1, 0, F::DecimalSI)}, {"1.G", dec(1, 9, F::DecimalSI)},
  };
  for (const auto& c : cases) {
    for (std::string prefix : {"", "+", "-"}) {
      auto got = Quantity::parse(prefix + c.in);
      ASSERT_TRUE(got.ok()) << prefix << c.in << ": " << got.error();
      Quantity want = c.want;
      if (prefix == "-") want.neg();
      EXPECT_EQ(got->cmp(want), 0) << prefix << c.in << " got " << got->to_string() << " want " << want.to_string();
      EXPECT_EQ(got->format(), c.want.format()) << prefix << c.in;
    }
  }
}

TEST(Quantity, ParseErrors) {
  const std::string wrong =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const std::string suffix = "unable to parse quantity's suffix";
  struct Case {
    std::string in, err;
  } cases[] = {
      {"", wrong},         {"1.1.M", wrong},    {"1+1.0M", wrong}, {"0.1mi", suffix}, {"0.1am", wrong},
      {"aoeu", wrong},     {".5i", suffix},     {"1i", suffix},    {"-3.01i", suffix}, {"-3.01e-", suffix},
      {" 1", wrong},       {"1 ", wrong},       {"1e", suffix},    {"1Kib", wrong},   {"1KiB", wrong},
      {"1.5.5", wrong},    {"1e3.5", wrong},
  };
  for (const auto& c : cases) {
    auto got = Quantity::parse(c.in);
    ASSERT_FALSE(got.ok()) << c.in << " parsed as " << got->to_string();
    EXPECT_EQ(got.error(), c.err) << c.in;
  }
}

TEST(Quantity, CanonicalString) {
  struct Case {
    Quantity in;
    std::string expect, alternate;
  } cases[] = {
      {dec(1024 * 1024 * 1024, 0, F::BinarySI), "1Gi", "1024Mi"},
      {dec(300 * 1024 * 1024, 0, F::BinarySI), "300Mi", "307200Ki"},
      {dec(6 * 1024, 0, F::BinarySI), "6Ki", ""},
      {dec(1001LL * 1024 * 1024 * 1024, 0, F::BinarySI), "1001Gi", "1025024Mi"},
      {dec(1024LL * 1024 * 1024 * 1024, 0, F::BinarySI), "1Ti", "1024Gi"},
      {dec(5, 0, F::BinarySI), "5", "5000m"},
      {dec(500, -3, F::BinarySI), "500m", "0.5"},
      {dec(1, 9, F::DecimalSI), "1G", "1000M"},
      {dec(1000, 6, F::DecimalSI), "1G", "0.001T"},
      {dec(1000000, 3, F::DecimalSI), "1G", ""},
      {dec(1000000000, 0, F::DecimalSI), "1G", ""},
      {dec(1, -3, F::DecimalSI), "1m", "1000u"},
      {dec(80, -3, F::DecimalSI), "80m", ""},
      {dec(1080, -3, F::DecimalSI), "1080m", "1.08"},
      {dec(108, -2, F::DecimalSI), "1080m", "1080000000n"},
      {dec(10800, -4, F::DecimalSI), "1080m", ""},
      {dec(300, 6, F::DecimalSI), "300M", ""},
      {dec(1, 12, F::DecimalSI), "1T", ""},
      {dec(1234567, 6, F::DecimalSI), "1234567M", ""},
      {dec(1234567, -3, F::BinarySI), "1234567m", ""},
      {dec(3, 3, F::DecimalSI), "3k", ""},
      {dec(1025, 0, F::BinarySI), "1025", ""},
      {dec(0, 0, F::DecimalSI), "0", ""},
      {dec(0, 0, F::BinarySI), "0", ""},
      {dec(1, 9, F::DecimalExponent), "1e9", ".001e12"},
      {dec(1, -3, F::DecimalExponent), "1e-3", "0.001e0"},
      {dec(1, -9, F::DecimalExponent), "1e-9", "1000e-12"},
      {dec(80, -3, F::DecimalExponent), "80e-3", ""},
      {dec(300, 6, F::DecimalExponent), "300e6", ""},
      {dec(1, 12, F::DecimalExponent), "1e12", ""},
      {dec(1, 3, F::DecimalExponent), "1e3", ""},
      {dec(3, 3, F::DecimalExponent), "3e3", ""},
      {dec(3, 3, F::DecimalSI), "3k", ""},
      {dec(0, 0, F::DecimalExponent), "0", "00"},
      {dec(1, -9, F::DecimalSI), "1n", ""},
      {dec(80, -9, F::DecimalSI), "80n", ""},
      {dec(1080, -9, F::DecimalSI), "1080n", ""},
      {dec(108, -8, F::DecimalSI), "1080n", ""},
      {dec(10800, -10, F::DecimalSI), "1080n", ""},
      {dec(1, -6, F::DecimalSI), "1u", ""},
      {dec(80, -6, F::DecimalSI), "80u", ""},
      {dec(1080, -6, F::DecimalSI), "1080u", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.in.to_string(), c.expect);
    auto q = Quantity::parse(c.expect);
    ASSERT_TRUE(q.ok()) << c.expect;
    EXPECT_EQ(q->to_string(), c.expect);
    if (!c.alternate.empty()) {
      auto alt = Quantity::parse(c.alternate);
      ASSERT_TRUE(alt.ok()) << c.alternate;
      EXPECT_EQ(alt->to_string(), c.expect) << c.alternate;
    }
    if (!c.in.is_zero()) {
      Quantity n = c.in;
      n.neg();
      EXPECT_EQ(n.to_string(), "-" + c.expect);
    }
  }
}

TEST(Quantity, ParseEmit) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"1Ki", "1Ki"},         {"1Mi", "1Mi"},           {"1Gi", "1Gi"},          {"1024Mi", "1Gi"},
      {"1000M", "1G"},        {".001Ki", "1024m"},      {".000001Ki", "1024u"},  {".000000001Ki", "1024n"},
      {".000000000001Ki", "2n"},
      // common spellings
      {"1000m", "1"},         {"1.5Gi", "1536Mi"},      {"0.1", "100m"},         {"1e3", "1e3"},
      {"1000", "1k"},         {"100m", "100m"},         {"1500m", "1500m"},      {"1.5", "1500m"},
      {"2048Ki", "2Mi"},      {"129e6", "129e6"},       {"129M", "129M"},        {"123Mi", "123Mi"},
      {"0.5Gi", "512Mi"},     {"1000Ki", "1000Ki"},     {"+1", "+1"},            {"-0", "0"},
      {"01", "01"},  // upstream keeps the input verbatim here            {"1000E", "1"},           {"8Ei", "9223372036854775807"}, {"1.5e3", "1500"},
      {"12e-1", "1200e-3"},   {"10e1", "100"},          {"1024", "1024"},        {"1Ki", "1Ki"},
  };
  for (const auto& c : cases) {
    auto q = Quantity::parse(c.in);
    ASSERT_TRUE(q.ok()) << c.in << ": " << q.error();
    EXPECT_EQ(q->to_string(), c.out) << c.in;
  }
  for (const auto& c : cases) {
    if (c.in[0] == '+' || c.in[0] == '-') continue;
    auto q = Quantity::parse("-" + c.in);
    ASSERT_TRUE(q.ok());
    if (q->is_zero()) continue;
    // Inputs kept verbatim stay verbatim when negated.
    bool verbatim = c.out == c.in;
    EXPECT_EQ(q->to_string(), "-" + (verbatim ? c.in : c.out)) << "-" << c.in;
  }
}

TEST(Quantity, RoundUp) {
  struct Case {
    std::string in;
    int scale;
    Quantity expect;
    bool ok;
  } cases[] = {
      {"9.01", -3, dec(901, -2, F::DecimalSI), true},   {"9.01", -2, dec(901, -2, F::DecimalSI), true},
      {"9.01", -1, dec(91, -1, F::DecimalSI), false},   {"9.01", 0, dec(10, 0, F::DecimalSI), false},
      {"9.01", 1, dec(10, 0, F::DecimalSI), false},     {"9.01", 2, dec(100, 0, F::DecimalSI), false},
      {"-9.01", -3, dec(-901, -2, F::DecimalSI), true}, {"-9.01", -2, dec(-901, -2, F::DecimalSI), true},
      {"-9.01", -1, dec(-91, -1, F::DecimalSI), false}, {"-9.01", 0, dec(-10, 0, F::DecimalSI), false},
      {"-9.01", 1, dec(-10, 0, F::DecimalSI), false},   {"-9.01", 2, dec(-100, 0, F::DecimalSI), false},
  };
  for (const auto& c : cases) {
    auto q = Quantity::parse(c.in);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->round_up(c.scale), c.ok) << c.in << " " << c.scale;
    EXPECT_EQ(q->cmp(c.expect), 0) << c.in << " " << c.scale << " got " << q->to_string();
  }
}

TEST(Quantity, Cmp) {
  struct Case {
    std::string x, y;
    int expect;
  } cases[] = {
      {"0", "0", 0},       {"100m", "50m", 1},   {"50m", "100m", -1}, {"10000T", "100Gi", 1},
      {"1Gi", "1024Mi", 0}, {"1", "1000m", 0},   {"-1", "1m", -1},    {"1e3", "1k", 0},
      {"0.5", "500m", 0},   {"-2", "-1", -1},    {"1E", "999P", 1},
  };
  for (const auto& c : cases) {
    auto x = Quantity::parse(c.x), y = Quantity::parse(c.y);
    ASSERT_TRUE(x.ok() && y.ok());
    EXPECT_EQ(x->cmp(*y), c.expect) << c.x << " vs " << c.y;
    EXPECT_EQ(y->cmp(*x), -c.expect) << c.y << " vs " << c.x;
  }
  EXPECT_EQ(dec(901, -2, F::DecimalSI).cmp(dec(90, -1, F::DecimalSI)), 1);
  EXPECT_EQ(dec(0, 1, F::DecimalSI).cmp(dec(0, -1, F::DecimalSI)), 0);
  EXPECT_EQ(dec(800, -3, F::DecimalSI).cmp(dec(79, -2, F::DecimalSI)), 1);
  EXPECT_EQ(dec(INT64_MAX, 1, F::DecimalSI).cmp(dec(1, 1, F::DecimalSI)), 1);
  EXPECT_EQ(dec(INT64_MAX, -16, F::DecimalSI).cmp(dec(1, 3, F::DecimalSI)), -1);
  EXPECT_EQ(dec(INT64_MIN, -18, F::DecimalSI).cmp(dec(-1, 0, F::DecimalSI)), -1);
  EXPECT_EQ(dec(INT64_MIN, -19, F::DecimalSI).cmp(dec(-1, 0, F::DecimalSI)), 1);
  EXPECT_EQ(dec(1000000000000000000, -17, F::DecimalSI).cmp(dec(1, 1, F::DecimalSI)), 0);
  EXPECT_EQ(dec(-1000000000000000000, -17, F::DecimalSI).cmp(dec(-10, 0, F::DecimalSI)), 0);
  EXPECT_EQ(dec(1000000000000000001, -17, F::DecimalSI).cmp(dec(1, 1, F::DecimalSI)), 1);
  EXPECT_EQ(dec(999999999999999999, -17, F::DecimalSI).cmp(dec(1, 1, F::DecimalSI)), -1);
  EXPECT_EQ(Quantity::parse("2")->cmp_int64(2), 0);
}

TEST(Quantity, Values) {
  struct Case {
    std::string in;
    int64_t value, milli;
  } cases[] = {
      {"1", 1, 1000},        {"100m", 1, 100},      {"1.5", 2, 1500},       {"1Ki", 1024, 1024000},
      {"1n", 1, 1},          {"0", 0, 0},           {"-1.5", -2, -1500},    {"2.0001m", 1, 3},
      {"1E", 1000000000000000000, 0},
  };
  for (const auto& c : cases) {
    auto q = Quantity::parse(c.in);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->value(), c.value) << c.in;
    EXPECT_EQ(q->milli_value(), c.milli) << c.in;
  }
  // TestScaledValue
  EXPECT_EQ(Quantity::from_scaled(1, -9).scaled_value(-9), 1);
  EXPECT_EQ(Quantity::from_scaled(1, -9).scaled_value(0), 1);
  EXPECT_EQ(Quantity::from_scaled(1, -6).scaled_value(-9), 1000);
  EXPECT_EQ(Quantity::from_scaled(1, 0).scaled_value(-9), 1000000000);
  EXPECT_EQ(Quantity::from_scaled(1, 2).scaled_value(-2), 10000);
  EXPECT_DOUBLE_EQ(Quantity::parse("1.5Ki")->as_approximate_float64(), 1536.0);
  EXPECT_DOUBLE_EQ(Quantity::parse("100m")->as_approximate_float64(), 0.1);
}

TEST(Quantity, Arithmetic) {
  Quantity q = *Quantity::parse("1");
  q.add(*Quantity::parse("500m"));
  EXPECT_EQ(q.to_string(), "1500m");
  q.sub(*Quantity::parse("2"));
  EXPECT_EQ(q.to_string(), "-500m");
  Quantity z;
  z.add(*Quantity::parse("1Gi"));
  EXPECT_EQ(z.format(), F::BinarySI);
  EXPECT_EQ(z.to_string(), "1Gi");
  z.add(*Quantity::parse("512Mi"));
  EXPECT_EQ(z.to_string(), "1536Mi");
  Quantity n = Quantity::from_decimal(901, -2, F::DecimalSI);
  n.neg();
  EXPECT_EQ(n.to_string(), "-9010m");
  EXPECT_EQ(Quantity::from_milli(1500).to_string(), "1500m");
  EXPECT_EQ(Quantity::from_int(2048, F::BinarySI).to_string(), "2Ki");
  EXPECT_EQ(Quantity::from_int(5, F::DecimalSI).to_string(), "5");
}

TEST(Quantity, JSON) {
  using json = nlohmann::ordered_json;
  EXPECT_EQ(Quantity::from_json(json(" 1Gi "))->to_string(), "1Gi");
  EXPECT_EQ(Quantity::from_json(json(2))->to_string(), "2");
  EXPECT_EQ(Quantity::from_json(json(0.5))->to_string(), "500m");
  EXPECT_TRUE(Quantity::from_json(json(nullptr))->is_zero());
  EXPECT_FALSE(Quantity::from_json(json("abc")).ok());
  EXPECT_EQ(Quantity::parse("1.5Gi")->to_json(), json("1536Mi"));
}

}  // namespace
}  // namespace kapi::machinery
