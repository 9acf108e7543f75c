#include "pkg/tls/key.h"

#include <openssl/core_names.h>

#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

namespace {

Result<std::string> encode(EVP_PKEY* key, KeyFormat format) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  int ok = 0;
  if (format == KeyFormat::kPkcs8) {
    ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    // PKCS#1 for RSA, SEC1 for EC.
    ok = PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                              nullptr);
  }
  if (ok != 1) {
    ERR_clear_error();
    return make_error("encoding private key failed");
  }
  return bio_to_string(bio.get());
}

Result<KeyType> type_of(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) return KeyType::kRsa;
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) == 1 &&
        std::string(group) == "prime256v1") {
      return KeyType::kEcdsaP256;
    }
    return make_error("unsupported elliptic curve (only P-256 is supported)",
                      ErrorCode::kInvalidArgument);
  }
  return make_error("unsupported key type (only RSA and ECDSA P-256 are supported)",
                    ErrorCode::kInvalidArgument);
}

}  // namespace

Result<std::string> generate_private_key(KeyType type, int rsa_bits, KeyFormat format) {
  EVP_PKEY* raw = nullptr;
  if (type == KeyType::kRsa) {
    if (rsa_bits < 1024 || rsa_bits > 16384) {
      return make_error("invalid RSA key size " + std::to_string(rsa_bits),
                        ErrorCode::kInvalidArgument);
    }
    raw = EVP_RSA_gen(static_cast<unsigned>(rsa_bits));
  } else {
    raw = EVP_EC_gen("P-256");
  }
  if (!raw) return make_error(ssl_error("generating private key"));
  PkeyPtr key(raw);
  return encode(key.get(), format);
}

Result<std::string> encode_private_key(const std::string& key_pem, KeyFormat format) {
  auto key = parse_private_key(key_pem);
  if (!key.ok()) return key.error();
  if (auto t = type_of(key->get()); !t.ok()) return t.error();
  return encode(key->get(), format);
}

Result<KeyType> key_type(const std::string& key_pem) {
  auto key = parse_any_key(key_pem);
  if (!key.ok()) return key.error();
  return type_of(key->get());
}

Result<std::string> public_key_pem(const std::string& private_key_pem) {
  auto key = parse_private_key(private_key_pem);
  if (!key.ok()) return key.error();
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(bio.get(), key->get()) != 1) {
    return make_error(ssl_error("encoding public key"));
  }
  return bio_to_string(bio.get());
}

Result<bool> same_public_key(const std::string& a_pem, const std::string& b_pem) {
  auto a = parse_any_key(a_pem);
  if (!a.ok()) return a.error();
  auto b = parse_any_key(b_pem);
  if (!b.ok()) return b.error();
  return EVP_PKEY_eq(a->get(), b->get()) == 1;
}

}  // namespace kapi::tls
