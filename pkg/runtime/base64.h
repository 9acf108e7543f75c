#pragma once
// Forwarding header: base64 lives in pkg/machinery/base64.h. Kept while server/ still includes
// this path; new code includes pkg/machinery/base64.h.
#include "pkg/machinery/base64.h"

namespace kapi::runtime {
using machinery::base64_decode;
using machinery::base64_encode;
}  // namespace kapi::runtime
