#pragma once
// Small pieces of Go's formatting that the codecs must reproduce exactly.
#include <optional>
#include <string>

namespace kapi::runtime {

// Parses a time as metav1.Time (RFC3339) or metav1.MicroTime (RFC3339 with exactly 6 fractional
// digits) decodes it and re-formats it as they encode it (UTC; seconds, or 6 fractional
// digits). nullopt if it does not parse.
std::optional<std::string> normalize_rfc3339(const std::string& text, bool micro);

// Whether encoding/json accepts s for a []byte field; else the N of its "illegal base64 data at
// input byte N" (s.size() when valid).
bool valid_base64(const std::string& s);
size_t base64_error_offset(const std::string& s);

// resource.Quantity's canonical string, or nullopt with upstream's parse error.
std::optional<std::string> canonical_quantity(const std::string& text, std::string* error);

// encoding/json escapes <, > and & as \u003c, \u003e, \u0026 (and U+2028/2029).
std::string go_escape_html(std::string s);

}  // namespace kapi::runtime
