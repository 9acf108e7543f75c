#pragma once
// Standard base64 (RFC 4648, padded) exactly as Go's encoding/base64.StdEncoding, which is also
// how encoding/json writes and reads []byte fields.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kapi::machinery {

std::string base64_encode(std::string_view data);

// StdEncoding.DecodeString: strict padding, '\r' and '\n' ignored anywhere. On failure nullopt,
// and *corrupt_at (when given) is the N of Go's CorruptInputError.
std::optional<std::string> base64_decode(std::string_view text, size_t* corrupt_at = nullptr);

// CorruptInputError's text: "illegal base64 data at input byte N".
std::string base64_corrupt_input_error(size_t at);

}  // namespace kapi::machinery
