#pragma once
// The OpenSSL context of the client's TLS connections, as client-go's transport configures
// crypto/tls: the client certificate and key from PEM memory, the trusted roots (the
// kubeconfig's CA only when one is given, else the system's), or no verification at all.
#include <memory>
#include <string>

#include "client/errors.h"

typedef struct ssl_ctx_st SSL_CTX;  // as <openssl/types.h>

namespace kapi::client {

struct TlsClientOptions {
  std::string cert_pem, key_pem;  // both "" = no client certificate
  std::string ca_pem;             // "" = the system roots (SSL_CERT_FILE / SSL_CERT_DIR honoured)
  bool insecure = false;          // insecure-skip-tls-verify: no CA is loaded at all
};

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const;
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

// A new context, or kubectl's error ("tls: failed to find any PEM data in key input",
// "unable to load root certificates: unable to parse bytes as PEM block").
Result<SslCtxPtr> new_tls_client_context(const TlsClientOptions& options);

}  // namespace kapi::client
