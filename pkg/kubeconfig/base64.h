#pragma once
// Standard base64 (RFC 4648, padded), as Go's encoding/json uses for []byte fields.
#include <string>
#include <string_view>

#include "pkg/tls/result.h"

namespace kapi::kubeconfig {

std::string base64_encode(std::string_view data);

// Strict padded decoding; '\r' and '\n' are ignored (as Go's base64.StdEncoding).
// Error message as Go's: "illegal base64 data at input byte N".
tls::Result<std::string> base64_decode(std::string_view text);

}  // namespace kapi::kubeconfig
