#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "pkg/machinery/result.h"

// Human-readable ages (apimachinery pkg/util/duration) and metav1.Time / metav1.MicroTime
// RFC 3339 text, as kubectl prints and the API serialises them.
namespace kapi::machinery {

using TimePoint = std::chrono::sys_time<std::chrono::nanoseconds>;

// HumanDuration: ~2-3 significant figures, e.g. "3m10s", "47h", "2d1h", "2y1d".
std::string human_duration(std::chrono::nanoseconds d);
// ShortHumanDuration: one unit, e.g. "59s", "1m", "23h", "364d", "2y".
std::string short_human_duration(std::chrono::nanoseconds d);

// metav1.Time: "2006-01-02T15:04:05Z" (UTC, truncated to seconds).
std::string format_rfc3339(TimePoint t);
// metav1.MicroTime: "2006-01-02T15:04:05.000000Z" (UTC, truncated to microseconds).
std::string format_rfc3339_micro(TimePoint t);
// time.Parse(time.RFC3339, s): accepts any fraction and a Z or +hh:mm offset; errors as Go's.
Result<TimePoint> parse_rfc3339(std::string_view s);
// time.Parse("2006-01-02T15:04:05.000000Z07:00", s): exactly six fractional digits.
Result<TimePoint> parse_rfc3339_micro(std::string_view s);

// Go's time.ParseDuration ("300ms", "-1.5h", "2h45m"); error `time: invalid duration "x"`
// (or `time: missing unit in duration "5"`), as Go words them.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view s);

}  // namespace kapi::machinery
