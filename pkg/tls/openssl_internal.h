#pragma once
// PRIVATE to pkg/tls/*.cpp: OpenSSL RAII handles and PEM <-> object conversions. Public headers of
// this package expose only plain C++ types; never include this header from outside pkg/tls.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/cert.h"
#include "pkg/tls/result.h"

namespace kapi::tls::internal {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct StoreFree { void operator()(X509_STORE* p) const { X509_STORE_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };
struct X509StackFree { void operator()(STACK_OF(X509)* p) const { sk_X509_pop_free(p, X509_free); } };

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using StorePtr = std::unique_ptr<X509_STORE, StoreFree>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreCtxFree>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// Drains the thread's OpenSSL error queue into "prefix: reason; reason" (just prefix if empty).
std::string ssl_error(const std::string& prefix);

std::string bio_to_string(BIO* bio);

// Parses a private key in PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1
// ("EC PRIVATE KEY") PEM. Encrypted keys are rejected.
Result<PkeyPtr> parse_private_key(const std::string& pem);
// Parses a "PUBLIC KEY" PEM, or takes the public half of a private key PEM.
Result<PkeyPtr> parse_any_key(const std::string& pem);

Result<X509Ptr> parse_cert(const std::string& pem);
// Every CERTIFICATE block in a bundle (other blocks are skipped); error if there is none.
Result<std::vector<X509Ptr>> parse_cert_bundle(const std::string& pem);
Result<std::string> cert_to_pem(X509* cert);

struct CaPoolImpl {
  StorePtr store;
  size_t count = 0;
};

// Verifies `leaf` (+ untrusted intermediates, may be null) against the pool (ca_pool.cpp).
Result<CertInfo> verify_x509(const CaPoolImpl& pool, X509* leaf, STACK_OF(X509)* untrusted,
                             Purpose purpose);

// Reads subject, SANs, validity and usages out of a parsed certificate (cert.cpp).
Result<CertInfo> cert_info(X509* cert);

}  // namespace kapi::tls::internal
