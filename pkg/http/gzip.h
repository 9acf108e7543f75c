#pragma once
// Response compression, as kube-apiserver's APIResponseCompression: gzip at the level upstream
// uses, only for whole bodies of at least 128 KiB.
#include <string>
#include <string_view>

namespace kapi::http {

inline constexpr size_t kGzipMinBytes = 128 * 1024;

// True when the Accept-Encoding value allows gzip.
bool accepts_gzip(std::string_view accept_encoding);

// Content types the server compresses (JSON, YAML/XML, protobuf, text); the previous HTTP layer
// compressed only these.
bool compressible_type(std::string_view content_type);

// `in` as a gzip member (RFC 1952); false on a zlib error.
bool gzip_compress(std::string_view in, std::string* out);

}  // namespace kapi::http
