#include "pkg/kubeconfig/base64.h"

#include <gtest/gtest.h>

namespace kapi::kubeconfig {
namespace {

TEST(Base64, RoundTrip) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  std::string bin;
  for (int i = 0; i < 256; ++i) bin += static_cast<char>(i);
  EXPECT_EQ(*base64_decode(base64_encode(bin)), bin);
  EXPECT_EQ(*base64_decode("Zm9v\nYmFy\r\n"), "foobar");
  EXPECT_EQ(*base64_decode("Zg=="), "f");
  EXPECT_EQ(*base64_decode("Zm8="), "fo");
}

TEST(Base64, Errors) {
  auto e = base64_decode("abc$");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "illegal base64 data at input byte 3");
  EXPECT_FALSE(base64_decode("Zg").ok());
  EXPECT_FALSE(base64_decode("Zg=").ok());
  EXPECT_FALSE(base64_decode("Z===").ok());
  EXPECT_FALSE(base64_decode("Zg==Zg==").ok());
  EXPECT_FALSE(base64_decode("Zm9v-A==").ok());
}

}  // namespace
}  // namespace kapi::kubeconfig
