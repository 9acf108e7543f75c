#include "client/gzip_decoder.h"

#include <zlib.h>

namespace kapi::client {

struct GzipDecoder::State {
  z_stream z{};
  bool ok = false;
  bool done = false;
  bool stopped = false;
};

GzipDecoder::GzipDecoder() : s_(std::make_unique<State>()) {
  s_->ok = inflateInit2(&s_->z, 16 + MAX_WBITS) == Z_OK;  // 16: a gzip wrapper, not zlib's
}

GzipDecoder::~GzipDecoder() {
  if (s_->ok) inflateEnd(&s_->z);
}

std::string GzipDecoder::feed(const char* data, size_t size, const std::function<bool(const char*, size_t)>& out) {
  if (!s_->ok) return "gzip: invalid header";
  if (s_->done || s_->stopped) return "";  // trailing bytes after the stream are ignored
  unsigned char buf[64 * 1024];
  s_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  s_->z.avail_in = static_cast<uInt>(size);
  while (s_->z.avail_in > 0 || s_->z.avail_out == 0) {
    s_->z.next_out = buf;
    s_->z.avail_out = sizeof buf;
    int rc = inflate(&s_->z, Z_NO_FLUSH);
    size_t got = sizeof buf - s_->z.avail_out;
    if (got > 0 && !out(reinterpret_cast<const char*>(buf), got)) {
      s_->stopped = true;
      return "";
    }
    if (rc == Z_STREAM_END) {
      s_->done = true;
      return "";
    }
    if (rc == Z_BUF_ERROR) break;  // needs more input
    if (rc != Z_OK) return rc == Z_DATA_ERROR && s_->z.total_out == 0 && s_->z.total_in < 10 ? "gzip: invalid header"
                                                                                             : "flate: corrupt input";
    if (s_->z.avail_out != 0 && s_->z.avail_in == 0) break;
  }
  return "";
}

std::string GzipDecoder::finish() const { return s_->done || s_->stopped ? "" : "unexpected EOF"; }

}  // namespace kapi::client
