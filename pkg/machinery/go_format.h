#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

// Renders values the way Go's fmt/strconv do, so error messages match upstream byte for byte.
namespace kapi::machinery::gofmt {

// strconv.Quote: double-quoted with Go escapes.
std::string quote(std::string_view s);

// Length of the valid UTF-8 sequence at s[i], or 0 where utf8.DecodeRuneInString reports
// RuneError (bad or truncated sequence, overlong form, surrogate, beyond U+10FFFF).
size_t utf8_len(std::string_view s, size_t i);

// s with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, as
// encoding/json writes strings.
std::string valid_utf8(std::string_view s);

// fmt.Sprintf("%v", v) for a decoded JSON value (map[k:v], [a b], <nil>, ...).
std::string sprint_v(const nlohmann::ordered_json& v);

// reflect.TypeOf(v).String() for a value decoded by k8s.io/apimachinery/pkg/util/json.
std::string type_name(const nlohmann::ordered_json& v);

// fmt %v of a float64, i.e. strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent
// form when exp < -4 || exp >= 6.
std::string format_float_v(double f);

// A float64 as encoding/json writes it: shortest digits, 'f' form, 'e' form for |f| < 1e-6 or
// |f| >= 1e21 (with e-09 cleaned up to e-9).
std::string format_float_json(double f);

}  // namespace kapi::machinery::gofmt
