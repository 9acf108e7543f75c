#pragma once
// Certificate checks and TLS handshake errors shared by the API server connection and an
// https:// proxy, with Go's crypto/x509 and crypto/tls error texts.
#include <string>

typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;
typedef struct ssl_st SSL;

namespace kapi::client {

// Every CERTIFICATE block of `pem` in a new store (the caller owns it); nullptr if none.
X509_STORE* store_from_pem(const std::string& pem);

// Go's x509.HostnameError for `leaf` and `name` (a DNS name or an IP literal), or "" when the
// certificate is valid for it: "x509: certificate is valid for a, b, not c", ...
std::string x509_name_error(X509* leaf, const std::string& name);

// The X509_CHECK_FLAG_* both the handshake's name check and x509_name_error use: Go matches
// SANs only, never the subject's common name.
inline constexpr unsigned int kX509HostFlags = 0x20;  // X509_CHECK_FLAG_NEVER_CHECK_SUBJECT

// crypto/tls's text for a handshake (or TLS read) OpenSSL could not complete after `ret` from
// SSL_connect/SSL_read: "remote error: tls: bad certificate" for an alert from the peer,
// "tls: first record does not look like a TLS handshake", "EOF", ... Clears OpenSSL's errors.
std::string tls_handshake_error(SSL* ssl, int ret);

}  // namespace kapi::client
