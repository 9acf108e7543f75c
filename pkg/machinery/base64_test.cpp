#include "pkg/machinery/base64.h"

#include <gtest/gtest.h>

namespace kapi::machinery {
namespace {

size_t corrupt_at(std::string_view text) {
  size_t at = 9999;
  EXPECT_FALSE(base64_decode(text, &at).has_value()) << text;
  return at;
}

TEST(Base64, RoundTrip) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("v"), "dg==");
  std::string bin;
  for (int i = 0; i < 256; ++i) bin += static_cast<char>(i);
  EXPECT_EQ(*base64_decode(base64_encode(bin)), bin);
  std::string s;
  // Every padding case (the old EVP_EncodeBlock-based encoder wrote a NUL past the text).
  for (int n = 0; n < 40; ++n, s += static_cast<char>('a' + n % 26)) EXPECT_EQ(*base64_decode(base64_encode(s)), s);
  EXPECT_EQ(*base64_decode("Zm9v\nYmFy\r\n"), "foobar");
  EXPECT_EQ(*base64_decode("Zg=\n="), "f");
  EXPECT_EQ(*base64_decode("Zg=="), "f");
  EXPECT_EQ(*base64_decode("Zm8="), "fo");
  EXPECT_EQ(*base64_decode(""), "");
}

TEST(Base64, ErrorsAtGosOffsets) {
  EXPECT_EQ(corrupt_at("abc$"), 3u);
  EXPECT_EQ(base64_corrupt_input_error(3), "illegal base64 data at input byte 3");
  EXPECT_EQ(corrupt_at("abc"), 0u);
  EXPECT_EQ(corrupt_at("Zg"), 0u);
  EXPECT_EQ(corrupt_at("Zg="), 3u);
  EXPECT_EQ(corrupt_at("Z==="), 1u);
  EXPECT_EQ(corrupt_at("Zg=x"), 2u);
  EXPECT_EQ(corrupt_at("Zg==Zg=="), 4u);
  EXPECT_EQ(corrupt_at("Zg==="), 4u);
  EXPECT_EQ(corrupt_at("Zm9v-A=="), 4u);
  EXPECT_EQ(corrupt_at("Zm9vYg"), 4u);
}

}  // namespace
}  // namespace kapi::machinery
