#include "client/private_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>

namespace kapi::client {
namespace {

std::string to_pem(EVP_PKEY* key, bool traditional) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (traditional)
    PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  else
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

void expect_round_trip(EVP_PKEY* key, bool traditional, const char* header) {
  std::string pem = to_pem(key, traditional);
  ASSERT_NE(pem.find(header), std::string::npos) << pem;
  EVP_PKEY* read = read_private_key_pem(pem);
  ASSERT_NE(read, nullptr) << header;
  EXPECT_EQ(EVP_PKEY_eq(read, key), 1) << header;
  EVP_PKEY_free(read);
}

TEST(PrivateKey, Sec1Pkcs1AndPkcs8) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  ASSERT_TRUE(ec && rsa);
  expect_round_trip(ec, true, "BEGIN EC PRIVATE KEY");    // direct path
  expect_round_trip(rsa, true, "BEGIN RSA PRIVATE KEY");  // direct path
  expect_round_trip(ec, false, "BEGIN PRIVATE KEY");      // generic path
  EVP_PKEY_free(ec);
  EVP_PKEY_free(rsa);
}

TEST(PrivateKey, GarbageIsNull) {
  EXPECT_EQ(read_private_key_pem(""), nullptr);
  EXPECT_EQ(read_private_key_pem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"), nullptr);
  EXPECT_EQ(read_private_key_pem("not pem"), nullptr);
}

}  // namespace
}  // namespace kapi::client
