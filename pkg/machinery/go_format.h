#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

// Renders values the way Go's fmt/strconv do, so error messages match upstream byte for byte.
namespace kapi::machinery::gofmt {

// strconv.Quote: double-quoted with Go escapes.
std::string quote(std::string_view s);

// fmt.Sprintf("%v", v) for a decoded JSON value (map[k:v], [a b], <nil>, ...).
std::string sprint_v(const nlohmann::ordered_json& v);

// reflect.TypeOf(v).String() for a value decoded by k8s.io/apimachinery/pkg/util/json.
std::string type_name(const nlohmann::ordered_json& v);

// fmt %v of a float64: shortest digits, exponent form when exp < -4 || exp >= 6.
std::string format_float_v(double f);

// strconv.ParseInt(s, 10, 64).
std::optional<int64_t> parse_int64(std::string_view s);

}  // namespace kapi::machinery::gofmt
