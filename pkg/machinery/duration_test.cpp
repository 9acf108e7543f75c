// Duration tables mirror apimachinery v0.36 pkg/util/duration/duration_test.go.
#include "pkg/machinery/duration.h"

#include <gtest/gtest.h>

namespace kapi::machinery {
namespace {

using namespace std::chrono;
using ns = nanoseconds;

constexpr ns kDay = hours(24);
constexpr ns kYear = 365 * kDay;

TEST(Duration, HumanDuration) {
  struct Case {
    ns d;
    std::string want;
  } cases[] = {
      {seconds(1), "1s"},
      {seconds(70), "70s"},
      {seconds(190), "3m10s"},
      {minutes(70), "70m"},
      {hours(47), "47h"},
      {hours(49), "2d1h"},
      {hours(8 * 24 + 2), "8d"},
      {hours(367 * 24), "367d"},
      {hours(365 * 2 * 24 + 25), "2y1d"},
      {hours(365 * 8 * 24 + 2), "8y"},
      // boundaries
      {seconds(-2), "<invalid>"},
      {seconds(-2) + ns(1), "0s"},
      {ns(0), "0s"},
      {seconds(1) - milliseconds(1), "0s"},
      {minutes(2) - milliseconds(1), "119s"},
      {minutes(2), "2m"},
      {minutes(2) + seconds(1), "2m1s"},
      {minutes(10) - milliseconds(1), "9m59s"},
      {minutes(10), "10m"},
      {minutes(10) + seconds(1), "10m"},
      {hours(3) - milliseconds(1), "179m"},
      {hours(3), "3h"},
      {hours(3) + minutes(1), "3h1m"},
      {hours(8) - milliseconds(1), "7h59m"},
      {hours(8), "8h"},
      {hours(8) + minutes(59), "8h"},
      {2 * kDay - milliseconds(1), "47h"},
      {2 * kDay, "2d"},
      {2 * kDay + hours(1), "2d1h"},
      {8 * kDay - milliseconds(1), "7d23h"},
      {8 * kDay, "8d"},
      {8 * kDay + hours(23), "8d"},
      {2 * kYear - milliseconds(1), "729d"},
      {2 * kYear, "2y"},
      {2 * kYear + hours(23), "2y"},
      {2 * kYear + hours(23) + minutes(59), "2y"},
      {2 * kYear + hours(24) - milliseconds(1), "2y"},
      {2 * kYear + hours(24), "2y1d"},
      {3 * kYear, "3y"},
      {4 * kYear, "4y"},
      {5 * kYear, "5y"},
      {6 * kYear, "6y"},
      {7 * kYear, "7y"},
      {8 * kYear - milliseconds(1), "7y364d"},
      {8 * kYear, "8y"},
      {8 * kYear + 364 * kDay, "8y"},
      {9 * kYear, "9y"},
  };
  for (const auto& c : cases) EXPECT_EQ(human_duration(c.d), c.want) << c.d.count();
}

TEST(Duration, ShortHumanDuration) {
  struct Case {
    ns d;
    std::string want;
  } cases[] = {
      {seconds(-2), "<invalid>"},
      {seconds(-2) + ns(1), "0s"},
      {ns(0), "0s"},
      {seconds(1) - milliseconds(1), "0s"},
      {seconds(1), "1s"},
      {seconds(2) - milliseconds(1), "1s"},
      {minutes(1) - milliseconds(1), "59s"},
      {minutes(1), "1m"},
      {minutes(2) - milliseconds(1), "1m"},
      {hours(1) - milliseconds(1), "59m"},
      {hours(1), "1h"},
      {hours(2) - milliseconds(1), "1h"},
      {kDay - milliseconds(1), "23h"},
      {kDay, "1d"},
      {2 * kDay - milliseconds(1), "1d"},
      {kYear - milliseconds(1), "364d"},
      {kYear, "1y"},
      {2 * kYear - milliseconds(1), "1y"},
      {2 * kYear, "2y"},
  };
  for (const auto& c : cases) EXPECT_EQ(short_human_duration(c.d), c.want) << c.d.count();
}

TimePoint tp(int64_t secs, int64_t nanos = 0) { return TimePoint(ns(secs * 1'000'000'000 + nanos)); }

TEST(Time, Format) {
  EXPECT_EQ(format_rfc3339(tp(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(tp(1136214245, 999'999'999)), "2006-01-02T15:04:05Z");
  EXPECT_EQ(format_rfc3339_micro(tp(1136214245, 123'456'789)), "2006-01-02T15:04:05.123456Z");
  EXPECT_EQ(format_rfc3339_micro(tp(1136214245)), "2006-01-02T15:04:05.000000Z");
  EXPECT_EQ(format_rfc3339(tp(951782400)), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_rfc3339(tp(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(tp(4102444800)), "2100-01-01T00:00:00Z");
}

TEST(Time, Parse) {
  struct Case {
    std::string in;
    int64_t secs, nanos;
  } cases[] = {
      {"2006-01-02T15:04:05Z", 1136214245, 0},
      {"2006-01-02T15:04:05.5Z", 1136214245, 500'000'000},
      {"2006-01-02T15:04:05.123456789123Z", 1136214245, 123'456'789},
      {"2006-01-02T15:04:05,25Z", 1136214245, 250'000'000},
      {"2006-01-02T08:04:05-07:00", 1136214245, 0},
      {"2006-01-02T16:34:05+01:30", 1136214245, 0},
      {"2006-01-02T5:04:05Z", 1136178245, 0},  // Go's general parser takes a 1-digit hour
      {"2000-02-29T00:00:00Z", 951782400, 0},
  };
  for (const auto& c : cases) {
    auto r = parse_rfc3339(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error();
    EXPECT_EQ(r->time_since_epoch().count(), c.secs * 1'000'000'000 + c.nanos) << c.in;
  }
  auto m = parse_rfc3339_micro("2006-01-02T15:04:05.123456Z");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->time_since_epoch().count(), 1136214245'123'456'000);
}

TEST(Time, ParseErrors) {
  const std::string L = "\"2006-01-02T15:04:05Z07:00\"";
  struct Case {
    std::string in, err;
  } cases[] = {
      {"", "parsing time \"\" as " + L + ": cannot parse \"\" as \"2006\""},
      {"x", "parsing time \"x\" as " + L + ": cannot parse \"x\" as \"2006\""},
      {"2006/01/02", "parsing time \"2006/01/02\" as " + L + ": cannot parse \"/01/02\" as \"-\""},
      {"2006-1-02T15:04:05Z", "parsing time \"2006-1-02T15:04:05Z\" as " + L + ": cannot parse \"1-02T15:04:05Z\" as \"01\""},
      {"2006-13-02T15:04:05Z", "parsing time \"2006-13-02T15:04:05Z\": month out of range"},
      {"2006-02-30T15:04:05Z", "parsing time \"2006-02-30T15:04:05Z\": day out of range"},
      {"2006-01-02 15:04:05Z", "parsing time \"2006-01-02 15:04:05Z\" as " + L + ": cannot parse \" 15:04:05Z\" as \"T\""},
      {"2006-01-02T25:04:05Z", "parsing time \"2006-01-02T25:04:05Z\": hour out of range"},
      {"2006-01-02T15:04:05", "parsing time \"2006-01-02T15:04:05\" as " + L + ": cannot parse \"\" as \"Z07:00\""},
      {"2006-01-02T15:04:05+0700", "parsing time \"2006-01-02T15:04:05+0700\" as " + L + ": cannot parse \"+0700\" as \"Z07:00\""},
      {"2006-01-02T15:04:05Zjunk", "parsing time \"2006-01-02T15:04:05Zjunk\": extra text: \"junk\""},
  };
  for (const auto& c : cases) {
    auto r = parse_rfc3339(c.in);
    ASSERT_FALSE(r.ok()) << c.in;
    EXPECT_EQ(r.error(), c.err) << c.in;
  }
  auto m = parse_rfc3339_micro("2006-01-02T15:04:05Z");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(),
            "parsing time \"2006-01-02T15:04:05Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as "
            "\".000000\"");
}

}  // namespace
}  // namespace kapi::machinery

// Cases from Go's time/time_test.go parseDurationTests.
TEST(ParseGoDuration, GoTable) {
  using namespace std::chrono;
  struct Case { const char* in; int64_t ns; };
  for (auto c : std::vector<Case>{{"0", 0}, {"5s", 5'000'000'000}, {"30s", 30'000'000'000},
                                 {"1478s", 1478'000'000'000}, {"-5s", -5'000'000'000}, {"+5s", 5'000'000'000},
                                 {"5.0s", 5'000'000'000}, {"5.6s", 5'600'000'000}, {".5s", 500'000'000},
                                 {"1.s", 1'000'000'000}, {"10ns", 10}, {"11us", 11'000}, {"12µs", 12'000},
                                 {"13ms", 13'000'000}, {"14s", 14'000'000'000}, {"15m", 900'000'000'000},
                                 {"16h", 57'600'000'000'000}, {"3h30m", 12'600'000'000'000},
                                 {"5m0s", 300'000'000'000}}) {
    auto r = kapi::machinery::parse_go_duration(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error();
    EXPECT_EQ(r->count(), c.ns) << c.in;
  }
  EXPECT_EQ(kapi::machinery::parse_go_duration("").error(), "time: invalid duration \"\"");
  EXPECT_EQ(kapi::machinery::parse_go_duration("3").error(), "time: missing unit in duration \"3\"");
  EXPECT_EQ(kapi::machinery::parse_go_duration("-").error(), "time: invalid duration \"-\"");
  EXPECT_EQ(kapi::machinery::parse_go_duration(".s").error(), "time: invalid duration \".s\"");
  EXPECT_EQ(kapi::machinery::parse_go_duration("3x").error(), "time: unknown unit \"x\" in duration \"3x\"");
  // Texts real kubectl printed for --timeout (pflag wraps them).
  for (auto [in, want] : std::vector<std::pair<const char*, const char*>>{
           {"1.2.3s", "time: missing unit in duration \"1.2.3s\""},
           {"1h-5m", "time: unknown unit \"h-\" in duration \"1h-5m\""},
           {"9999999999h", "time: invalid duration \"9999999999h\""},
           {"5\u79d2", "time: unknown unit \"\\xe7\\xa7\\x92\" in duration \"5\\xe7\\xa7\\x92\""},
           {"+", "time: invalid duration \"+\""},
           {"-.s", "time: invalid duration \"-.s\""},
           {"99999999999999999999s", "time: invalid duration \"99999999999999999999s\""}}) {
    EXPECT_EQ(kapi::machinery::parse_go_duration(in).error(), want) << in;
  }
  EXPECT_EQ(kapi::machinery::parse_go_duration("-0")->count(), 0);
  EXPECT_EQ(kapi::machinery::parse_go_duration("1.5h")->count(), 5'400'000'000'000);
  EXPECT_EQ(kapi::machinery::parse_go_duration("0.000000001s")->count(), 1);
  EXPECT_EQ(kapi::machinery::parse_go_duration("2562047h47m16.854775807s")->count(), INT64_MAX);
  EXPECT_FALSE(kapi::machinery::parse_go_duration("2562047h47m16.854775808s").ok());
  EXPECT_EQ(kapi::machinery::parse_go_duration("-2562047h47m16.854775808s")->count(), INT64_MIN);
}
