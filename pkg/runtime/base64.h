#pragma once
// Standard base64 (RFC 4648, padded), as Go's encoding/base64.StdEncoding.
#include <optional>
#include <string>
#include <string_view>

namespace kapi::runtime {
std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);
}  // namespace kapi::runtime
