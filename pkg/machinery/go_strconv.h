#pragma once
// Go's strconv parsers, so inputs are accepted and rejected exactly as upstream does.
#include <cstdint>
#include <optional>
#include <string_view>

namespace kapi::machinery::gofmt {

enum class NumError { kNone, kSyntax, kRange };  // strconv.ErrSyntax / strconv.ErrRange

// strconv.ParseUint(s, base, 64) / strconv.ParseInt(s, base, 64); base 0 takes the 0x/0o/0b/0
// prefixes and '_' digit separators. `out` is set only on kNone.
NumError parse_uint(std::string_view s, int base, uint64_t& out);
NumError parse_int(std::string_view s, int base, int64_t& out);

// strconv.ParseInt(s, 10, 64).
std::optional<int64_t> parse_int64(std::string_view s);

// strconv.ParseBool.
std::optional<bool> parse_bool(std::string_view s);

// Whether strconv.ParseFloat(s, 64) succeeds for a decimal literal (sign, digits with one '.',
// '_' separators, e/E exponent; no hex, inf or nan forms); false on syntax errors and overflow.
bool parses_as_decimal_float(std::string_view s);

}  // namespace kapi::machinery::gofmt
