#include "client/tls_client_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "client/private_key.h"
#include "client/x509_util.h"

namespace kapi::client {

void SslCtxDeleter::operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }

Result<SslCtxPtr> new_tls_client_context(const TlsClientOptions& o) {
  // kubectl (Go's crypto/tls) knows nothing of /etc/ssl/openssl.cnf; reading and applying it is
  // a sizeable part of a short command's run. (A no-op if OpenSSL is already set up.)
  OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    ERR_clear_error();
    return CmdError::msg("tls: internal error");
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);  // Go's client minimum
  // A peer closing without close_notify is the end of the stream, as for Go's HTTP client.
  SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  // Whole records (and what follows them) in one read() instead of a 5-byte header first.
  SSL_CTX_set_read_ahead(ctx.get(), 1);
  SSL_CTX_set_default_read_buffer_len(ctx.get(), 64 * 1024);
  if (!o.cert_pem.empty() || !o.key_pem.empty()) {
    BIO* bio = BIO_new_mem_buf(o.cert_pem.data(), static_cast<int>(o.cert_pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    EVP_PKEY* key = read_private_key_pem(o.key_pem);
    bool used = cert && key && SSL_CTX_use_certificate(ctx.get(), cert) == 1 &&
                SSL_CTX_use_PrivateKey(ctx.get(), key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    ERR_clear_error();
    if (!cert || !key)
      return CmdError::msg("tls: failed to find any PEM data in " + std::string(!cert ? "certificate" : "key") +
                           " input");
    if (!used) return CmdError::msg("tls: private key does not match public key");
  }
  if (!o.insecure) {
    if (!o.ca_pem.empty()) {
      X509_STORE* store = store_from_pem(o.ca_pem);
      if (!store) return CmdError::msg("unable to load root certificates: unable to parse bytes as PEM block");
      SSL_CTX_set_cert_store(ctx.get(), store);  // the context takes ownership
    } else {
      SSL_CTX_set_default_verify_paths(ctx.get());
      ERR_clear_error();
    }
  }
  return ctx;
}

}  // namespace kapi::client
