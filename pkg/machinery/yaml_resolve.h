#pragma once
// How go-yaml v2 (as vendored by sigs.k8s.io/yaml, i.e. kubectl, kubeadm and the apiserver)
// resolves an untagged plain scalar: YAML 1.1 bools (yes/no/on/off...), nulls, ints with Go's
// base prefixes, floats, timestamps. The emitter quotes exactly the strings that would not read
// back as strings, and the readers type scalars with the same rules.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

namespace kapi::machinery::goyaml {

enum class PlainKind { kString, kNull, kBool, kInt, kFloat, kTimestamp };

// resolve.go resolve("", s).
PlainKind resolve_plain(std::string_view s);

// The bool a plain scalar resolves to (yes/on/true... or no/off/false...), nullopt otherwise.
std::optional<bool> plain_bool(std::string_view s);

// The value yaml.Unmarshal into interface{} gives the scalar, as a JSON value (timestamps stay
// strings, as go-yaml v2 leaves them; ints that overflow int64 become uint64 or float64).
nlohmann::ordered_json plain_value(std::string_view s);

// encode.go isBase60Float: "1:20" and friends, quoted on output although they read as strings.
bool is_base60_float(std::string_view s);

}  // namespace kapi::machinery::goyaml
