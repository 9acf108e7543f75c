#pragma once
// Client-certificate authentication for the server: after the handshake (which accepted any
// presented certificate, see server_ctx.h) the HTTP layer verifies the peer's chain itself and
// answers 401 on failure.
#include <string>
#include <vector>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/result.h"

typedef struct ssl_st SSL;  // same typedef as <openssl/types.h>

namespace kapi::tls {

// The authenticated user, as kube-apiserver's x509 authenticator maps it: user = CN, groups = O.
struct PeerIdentity {
  std::string cn;
  std::vector<std::string> orgs;
};

// Verifies the peer certificate of an established server-side connection against `pool`
// (purpose clientAuth; intermediates from SSL_get_peer_cert_chain are used as untrusted).
// Errors: ErrorCode::kNoPeerCertificate if the client sent none (the caller may try other
// authenticators), ErrorCode::kVerifyFailed if the chain does not verify or the CN is empty.
// Thread-safe: many connections may verify against one pool concurrently (one connection is
// used by one thread at a time). A success is remembered with the connection (until the leaf
// expires, at most a minute): later requests on it skip the chain verification.
Result<PeerIdentity> verify_peer(SSL* ssl, const CaPool& pool);
// The same, always verifying the chain.
Result<PeerIdentity> verify_peer_uncached(SSL* ssl, const CaPool& pool);

}  // namespace kapi::tls
