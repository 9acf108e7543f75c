#include "pkg/tls/key.h"

#include <gtest/gtest.h>

namespace kapi::tls {
namespace {

bool has(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

TEST(Key, EcdsaPkcs8AndTraditional) {
  auto key = generate_private_key(KeyType::kEcdsaP256, 2048, KeyFormat::kPkcs8);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_TRUE(has(*key, "-----BEGIN PRIVATE KEY-----"));
  auto plain = generate_private_key(KeyType::kEcdsaP256);  // kubeadm's SEC1 by default
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(has(*plain, "-----BEGIN EC PRIVATE KEY-----"));
  auto type = key_type(*key);
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(*type, KeyType::kEcdsaP256);

  auto sec1 = encode_private_key(*key, KeyFormat::kTraditional);
  ASSERT_TRUE(sec1.ok()) << sec1.error().message;
  EXPECT_TRUE(has(*sec1, "-----BEGIN EC PRIVATE KEY-----"));
  // Reading "EC PRIVATE KEY" back and re-encoding as PKCS#8 gives the same key.
  auto back = encode_private_key(*sec1, KeyFormat::kPkcs8);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *key);
}

TEST(Key, RsaReadsPkcs1) {
  // 1024 bits keeps the test fast; the default (2048) goes through the same code.
  auto key = generate_private_key(KeyType::kRsa, 1024, KeyFormat::kTraditional);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_TRUE(has(*key, "-----BEGIN RSA PRIVATE KEY-----"));
  auto type = key_type(*key);
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(*type, KeyType::kRsa);
  auto pkcs8 = encode_private_key(*key);
  ASSERT_TRUE(pkcs8.ok());
  EXPECT_TRUE(has(*pkcs8, "-----BEGIN PRIVATE KEY-----"));
  auto same = same_public_key(*key, *pkcs8);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(*same);
}

TEST(Key, PublicKeyPem) {
  auto key = generate_private_key(KeyType::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  auto pub = public_key_pem(*key);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(has(*pub, "-----BEGIN PUBLIC KEY-----"));
  EXPECT_FALSE(has(*pub, "PRIVATE"));
  auto type = key_type(*pub);
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(*type, KeyType::kEcdsaP256);
  auto same = same_public_key(*pub, *key);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(*same);

  auto other = generate_private_key(KeyType::kEcdsaP256);
  ASSERT_TRUE(other.ok());
  auto diff = same_public_key(*pub, *other);
  ASSERT_TRUE(diff.ok());
  EXPECT_FALSE(*diff);
}

TEST(Key, Errors) {
  EXPECT_FALSE(key_type("not a key").ok());
  EXPECT_FALSE(public_key_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  auto enc = encode_private_key(
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(generate_private_key(KeyType::kRsa, 100).ok());
}

}  // namespace
}  // namespace kapi::tls
