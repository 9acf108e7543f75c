#pragma once
// Certificate checks shared by the API server connection and an https:// proxy, with Go's
// crypto/x509 error texts.
#include <string>

typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;

namespace kapi::client {

// Every CERTIFICATE block of `pem` in a new store (the caller owns it); nullptr if none.
X509_STORE* store_from_pem(const std::string& pem);

// Go's x509.HostnameError for `leaf` and `name` (a DNS name or an IP literal), or "" when the
// certificate is valid for it: "x509: certificate is valid for a, b, not c", ...
std::string x509_name_error(X509* leaf, const std::string& name);

}  // namespace kapi::client
