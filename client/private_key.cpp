#include "client/private_key.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <optional>

#include "pkg/machinery/base64.h"

namespace kapi::client {
namespace {

// The DER bytes of the first PEM block of `type`, if that is the first block of the text.
std::optional<std::string> pem_block(const std::string& pem, const std::string& type) {
  const std::string begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
  size_t b = pem.find("-----BEGIN ");
  if (b == std::string::npos || pem.compare(b, begin.size(), begin) != 0) return std::nullopt;
  size_t e = pem.find(end, b);
  if (e == std::string::npos) return std::nullopt;
  std::string body;
  for (size_t i = b + begin.size(); i < e; ++i)
    if (pem[i] != '\n' && pem[i] != '\r' && pem[i] != ' ' && pem[i] != '\t') body += pem[i];
  if (body.find(':') != std::string::npos) return std::nullopt;  // encrypted (Proc-Type headers)
  return machinery::base64_decode(body);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // the direct, pre-provider decoders
EVP_PKEY* direct(const std::string& pem) {
  if (auto der = pem_block(pem, "EC PRIVATE KEY")) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
    EC_KEY* ec = d2i_ECPrivateKey(nullptr, &p, static_cast<long>(der->size()));
    if (!ec) return nullptr;
    EVP_PKEY* key = EVP_PKEY_new();
    if (key && EVP_PKEY_assign_EC_KEY(key, ec) == 1) return key;
    EC_KEY_free(ec);
    EVP_PKEY_free(key);
    return nullptr;
  }
  if (auto der = pem_block(pem, "RSA PRIVATE KEY")) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
    RSA* rsa = d2i_RSAPrivateKey(nullptr, &p, static_cast<long>(der->size()));
    if (!rsa) return nullptr;
    EVP_PKEY* key = EVP_PKEY_new();
    if (key && EVP_PKEY_assign_RSA(key, rsa) == 1) return key;
    RSA_free(rsa);
    EVP_PKEY_free(key);
    return nullptr;
  }
  return nullptr;
}
#pragma GCC diagnostic pop

}  // namespace

EVP_PKEY* read_private_key_pem(const std::string& pem) {
  if (EVP_PKEY* key = direct(pem)) return key;
  ERR_clear_error();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  return key;
}

}  // namespace kapi::client
