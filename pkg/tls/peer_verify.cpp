#include "pkg/tls/peer_verify.h"

#include <openssl/ssl.h>

#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

Result<PeerIdentity> verify_peer(SSL* ssl, const CaPool& pool) {
  if (!ssl) return make_error("no TLS connection", ErrorCode::kNoPeerCertificate);
  X509Ptr leaf(SSL_get1_peer_certificate(ssl));
  if (!leaf) return make_error("no client certificate presented", ErrorCode::kNoPeerCertificate);
  if (pool.empty()) {
    return make_error("x509: no client CA configured", ErrorCode::kVerifyFailed);
  }
  // On the server side the peer chain does not include the leaf (and is empty on resumption).
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  auto info = verify_x509(*pool.impl(), leaf.get(), chain, Purpose::kClientAuth);
  if (!info.ok()) return info.error();
  if (info->cn.empty()) {
    return make_error("x509: client certificate has no common name", ErrorCode::kVerifyFailed);
  }
  return PeerIdentity{std::move(info->cn), std::move(info->orgs)};
}

}  // namespace kapi::tls
