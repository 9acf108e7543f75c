#include "pkg/tls/server_ctx.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "pkg/tls/file_util.h"
#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

namespace {

int accept_any_peer_cert(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

struct NameStackFree {
  void operator()(STACK_OF(X509_NAME)* p) const { sk_X509_NAME_pop_free(p, X509_NAME_free); }
};

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace

Status configure_server_ctx_pem(SSL_CTX* ctx, const std::string& cert_chain_pem,
                                const std::string& key_pem, const std::string& client_ca_pem) {
  if (!ctx) return make_error("SSL_CTX is null", ErrorCode::kInvalidArgument);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return make_error(ssl_error("setting minimum TLS version"));
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // No TLS 1.3 session tickets (OpenSSL sends two after every handshake): Kubernetes clients
  // (client-go, kubectl, python) never resume sessions, so they only cost the server two
  // encryptions and the client a round of reads before its first response.
  SSL_CTX_set_num_tickets(ctx, 0);

  auto certs = parse_cert_bundle(cert_chain_pem);
  if (!certs.ok()) return make_error("serving certificate: " + certs.error().message);
  if (SSL_CTX_use_certificate(ctx, (*certs)[0].get()) != 1) {
    return make_error(ssl_error("using serving certificate"));
  }
  SSL_CTX_clear_chain_certs(ctx);
  for (size_t i = 1; i < certs->size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, (*certs)[i].get()) != 1) {
      return make_error(ssl_error("adding chain certificate"));
    }
  }
  auto key = parse_private_key(key_pem);
  if (!key.ok()) return make_error("serving key: " + key.error().message);
  if (SSL_CTX_use_PrivateKey(ctx, key->get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return make_error("serving certificate and key do not match", ErrorCode::kInvalidArgument);
  }

  if (!client_ca_pem.empty()) {
    auto cas = parse_cert_bundle(client_ca_pem);
    if (!cas.ok()) return make_error("client CA: " + cas.error().message);
    std::unique_ptr<STACK_OF(X509_NAME), NameStackFree> names(sk_X509_NAME_new_null());
    for (auto& c : *cas) {
      X509_NAME* n = X509_NAME_dup(X509_get_subject_name(c.get()));
      if (!n || sk_X509_NAME_push(names.get(), n) <= 0) {
        X509_NAME_free(n);
        return make_error(ssl_error("building client CA list"));
      }
    }
    SSL_CTX_set_client_CA_list(ctx, names.release());  // takes ownership
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_peer_cert);
    // Required once peers are verified, or resumed sessions fail with
    // "session id context uninitialized".
    static const unsigned char kSid[] = "kapi-apiserver";
    SSL_CTX_set_session_id_context(ctx, kSid, sizeof kSid - 1);
  }
  return {};
}

Status configure_server_ctx(SSL_CTX* ctx, const std::string& cert_file,
                            const std::string& key_file, const std::string& client_ca_file) {
  auto cert = read_file(cert_file);
  if (!cert.ok()) return make_error("reading --tls-cert-file: " + cert.error().message);
  auto key = read_file(key_file);
  if (!key.ok()) return make_error("reading --tls-private-key-file: " + key.error().message);
  std::string ca;
  if (!client_ca_file.empty()) {
    auto c = read_file(client_ca_file);
    if (!c.ok()) return make_error("reading --client-ca-file: " + c.error().message);
    ca = std::move(c).value();
  }
  auto s = configure_server_ctx_pem(ctx, *cert, *key, ca);
  wipe(key.value());
  if (!s.ok()) {
    return make_error(s.error().message + " (cert " + cert_file + ", key " + key_file +
                          (client_ca_file.empty() ? "" : ", client CA " + client_ca_file) + ")",
                      s.error().code);
  }
  return {};
}

}  // namespace kapi::tls
