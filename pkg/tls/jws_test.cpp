#include "pkg/tls/jws.h"

#include <gtest/gtest.h>

#include "pkg/tls/key.h"

namespace kapi::tls {
namespace {

TEST(Base64Url, RoundTripsWithoutPadding) {
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url("{\"a\":1}"), "eyJhIjoxfQ");
  std::string out;
  ASSERT_TRUE(base64url_decode("eyJhIjoxfQ", out));
  EXPECT_EQ(out, "{\"a\":1}");
  EXPECT_FALSE(base64url_decode("ab+c", out));  // '+' is not in the URL alphabet
}

// Tokens from each key type verify with the key's public half, and with nothing else.
TEST(Jws, SignsAndVerifiesEs256AndRs256) {
  for (KeyType type : {KeyType::kEcdsaP256, KeyType::kRsa}) {
    auto key = generate_private_key(type);
    ASSERT_TRUE(key.ok());
    auto signer = JwsSigner::load(*key);
    ASSERT_TRUE(signer.ok()) << signer.error().message;
    EXPECT_EQ(signer->algorithm(), type == KeyType::kRsa ? "RS256" : "ES256");
    EXPECT_EQ(signer->key_id().size(), 43u);  // unpadded base64url of a SHA-256
    auto token = signer->sign(R"({"sub":"x"})");
    ASSERT_TRUE(token.ok());
    JwsVerifier verifier;
    ASSERT_TRUE(verifier.add_keys(*public_key_pem(*key)).ok());
    auto payload = verifier.verify(*token);
    ASSERT_TRUE(payload.ok()) << payload.error().message;
    EXPECT_EQ(*payload, R"({"sub":"x"})");
    std::string tampered = *token;
    tampered[tampered.find('.') + 2] ^= 1;
    EXPECT_FALSE(verifier.verify(tampered).ok());
    JwsVerifier other;
    ASSERT_TRUE(other.add_keys(*public_key_pem(*generate_private_key(type))).ok());
    EXPECT_FALSE(other.verify(*token).ok());
  }
}

}  // namespace
}  // namespace kapi::tls
