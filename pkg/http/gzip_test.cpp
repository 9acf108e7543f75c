#include "pkg/http/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace kapi::http {
namespace {

std::string gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 22, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(Gzip, RoundTrip) {
  std::string in;
  for (int i = 0; i < 20000; ++i) in += "{\"name\":\"pod-" + std::to_string(i) + "\"},";
  std::string gz;
  ASSERT_TRUE(gzip_compress(in, &gz));
  EXPECT_EQ(gz.substr(0, 2), "\x1f\x8b");  // a gzip member, not raw deflate
  EXPECT_LT(gz.size(), in.size() / 4);
  EXPECT_EQ(gunzip(gz), in);
  ASSERT_TRUE(gzip_compress("", &gz));
  EXPECT_EQ(gunzip(gz), "");
}

TEST(Gzip, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip, br"));
  EXPECT_FALSE(accepts_gzip("br"));
  EXPECT_FALSE(accepts_gzip(""));
}

TEST(Gzip, CompressibleTypes) {
  EXPECT_TRUE(compressible_type("application/json"));
  EXPECT_TRUE(compressible_type("text/plain; charset=utf-8"));
  EXPECT_FALSE(compressible_type("text/event-stream"));
  EXPECT_FALSE(compressible_type("application/vnd.kubernetes.protobuf"));
  EXPECT_FALSE(compressible_type("application/json;stream=watch"));
}

}  // namespace
}  // namespace kapi::http
