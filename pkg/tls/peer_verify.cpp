#include "pkg/tls/peer_verify.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <ctime>

#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

namespace {

// A connection's verified identity, kept with the SSL object: every request on a keep-alive
// connection would otherwise verify the same chain again (the most expensive step of a small
// request). The certificate cannot change within a connection (renegotiation is off); the
// entry is trusted until the leaf expires, and re-verified at least every minute so that a
// CA expiring meanwhile is noticed.
struct VerifiedPeer {
  PeerIdentity id;
  time_t valid_until = 0;
};

int verified_peer_index() {
  static const int index = SSL_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<VerifiedPeer*>(ptr); });
  return index;
}

}  // namespace

Result<PeerIdentity> verify_peer(SSL* ssl, const CaPool& pool) {
  if (!ssl) return make_error("no TLS connection", ErrorCode::kNoPeerCertificate);
  const int index = verified_peer_index();
  const time_t now = time(nullptr);
  if (auto* cached = static_cast<VerifiedPeer*>(SSL_get_ex_data(ssl, index)); cached && now < cached->valid_until)
    return cached->id;
  auto id = verify_peer_uncached(ssl, pool);
  if (id.ok()) {
    X509Ptr leaf(SSL_get1_peer_certificate(ssl));
    time_t until = now + 60;
    if (int days = 0, secs = 0; leaf && ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(leaf.get())))
      until = std::min<time_t>(until, now + static_cast<time_t>(days) * 86400 + secs);
    auto* entry = static_cast<VerifiedPeer*>(SSL_get_ex_data(ssl, index));
    if (!entry) {
      entry = new VerifiedPeer;
      if (SSL_set_ex_data(ssl, index, entry) != 1) {
        delete entry;
        return id;
      }
    }
    entry->id = *id;
    entry->valid_until = until;
  }
  return id;
}

Result<PeerIdentity> verify_peer_uncached(SSL* ssl, const CaPool& pool) {
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
