#include "pkg/http/gzip.h"

#include <zlib.h>

namespace kapi::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  // A substring test, as the previous HTTP layer (a "gzip;q=0" still counts).
  return accept_encoding.find("gzip") != std::string_view::npos;
}

bool compressible_type(std::string_view ct) {
  for (std::string_view t : {"application/json", "application/xml", "application/protobuf",
                             "application/javascript", "application/xhtml+xml", "image/svg+xml"})
    if (iequals(ct, t)) return true;
  return ct.substr(0, 5) == "text/" && ct != "text/event-stream";
}

bool gzip_compress(std::string_view in, std::string* out) {
  // Level 1 as upstream (responsewriters.defaultGzipContentEncodingLevel): a LIST is sent
  // sooner, for a slightly larger body. 15 + 16 window bits = a gzip header and trailer.
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out->resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data());
  zs.avail_out = static_cast<uInt>(out->size());
  int rc = deflate(&zs, Z_FINISH);
  out->resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END;
}

}  // namespace kapi::http
