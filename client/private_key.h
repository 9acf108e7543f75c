#pragma once
// Reading the client's private key from PEM. OpenSSL 3's generic PEM reader goes through its
// decoder framework, which sets up every decoder it knows first: a tenth of a `kapi get`. The
// key types kubeconfigs hold (SEC1 EC and PKCS#1 RSA, as kubeadm and kapi write them) are
// decoded directly; anything else takes the generic path.
#include <string>

typedef struct evp_pkey_st EVP_PKEY;  // as <openssl/types.h>

namespace kapi::client {

// A new key (the caller frees it with EVP_PKEY_free), or nullptr if `pem` holds none.
EVP_PKEY* read_private_key_pem(const std::string& pem);

}  // namespace kapi::client
