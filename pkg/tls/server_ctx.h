#pragma once
// SSL_CTX setup for the API server (pkg/http/http_server.cpp).
#include <string>

#include "pkg/tls/result.h"

typedef struct ssl_ctx_st SSL_CTX;  // same typedef as <openssl/types.h>

namespace kapi::tls {

// TLS 1.2 minimum; loads the certificate chain (leaf first) and the private key and checks they
// match. With a client CA: SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT and a verify callback
// that accepts whatever the client presents (the HTTP layer calls verify_peer() and answers 401),
// and the CA subjects are sent as the acceptable-CA list so that clients (kubectl) send their
// certificate. Empty `client_ca_file` = no client certificates requested.
Status configure_server_ctx(SSL_CTX* ctx, const std::string& cert_file,
                            const std::string& key_file, const std::string& client_ca_file = "");

// Same from in-memory PEM.
Status configure_server_ctx_pem(SSL_CTX* ctx, const std::string& cert_chain_pem,
                                const std::string& key_pem, const std::string& client_ca_pem = "");

}  // namespace kapi::tls
