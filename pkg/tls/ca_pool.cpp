#include "pkg/tls/ca_pool.h"

#include "pkg/tls/file_util.h"
#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

namespace {

std::string go_like_message(int err) {
  switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "x509: certificate signed by unknown authority";
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return std::string("x509: certificate has expired or is not yet valid: ") +
             X509_verify_cert_error_string(err);
    case X509_V_ERR_INVALID_PURPOSE:
      return "x509: certificate specifies an incompatible key usage";
    default:
      return std::string("x509: ") + X509_verify_cert_error_string(err);
  }
}

}  // namespace

Result<CertInfo> internal::verify_x509(const CaPoolImpl& pool, X509* leaf,
                                       STACK_OF(X509)* untrusted, Purpose purpose) {
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), pool.store.get(), leaf, untrusted) != 1) {
    return make_error(ssl_error("X509_STORE_CTX_init"));
  }
  if (purpose != Purpose::kAny) {
    int p = purpose == Purpose::kClientAuth ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER;
    X509_STORE_CTX_set_purpose(ctx.get(), p);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return make_error(go_like_message(err), ErrorCode::kVerifyFailed);
  }
  return cert_info(leaf);
}

Result<CaPool> CaPool::from_pem(const std::string& bundle_pem) {
  auto certs = parse_cert_bundle(bundle_pem);
  if (!certs.ok()) return certs.error();
  auto impl = std::make_shared<CaPoolImpl>();
  impl->store.reset(X509_STORE_new());
  if (!impl->store) return make_error(ssl_error("X509_STORE_new"));
  // Like Go's CertPool: any certificate in the pool is a trust anchor, even if not self-signed.
  X509_STORE_set_flags(impl->store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  for (auto& c : *certs) {
    if (X509_STORE_add_cert(impl->store.get(), c.get()) != 1) {
      ERR_clear_error();  // duplicate certificates are fine
      continue;
    }
    impl->count++;
  }
  CaPool pool;
  pool.impl_ = std::move(impl);
  return pool;
}

Result<CaPool> CaPool::load_file(const std::string& path) {
  auto data = read_file(path);
  if (!data.ok()) return data.error();
  auto pool = from_pem(*data);
  if (!pool.ok()) return make_error(path + ": " + pool.error().message, pool.error().code);
  return pool;
}

size_t CaPool::size() const { return impl_ ? impl_->count : 0; }

Result<CertInfo> CaPool::verify(const std::string& chain_pem, Purpose purpose) const {
  if (empty()) return make_error("x509: no trusted CA certificates", ErrorCode::kVerifyFailed);
  auto certs = parse_cert_bundle(chain_pem);
  if (!certs.ok()) return certs.error();
  X509StackPtr untrusted(sk_X509_new_null());
  for (size_t i = 1; i < certs->size(); ++i) {
    X509_up_ref((*certs)[i].get());
    sk_X509_push(untrusted.get(), (*certs)[i].get());
  }
  return verify_x509(*impl_, (*certs)[0].get(), untrusted.get(), purpose);
}

Status verify_cert(const std::string& chain_pem, const std::string& ca_bundle_pem,
                   Purpose purpose) {
  auto pool = CaPool::from_pem(ca_bundle_pem);
  if (!pool.ok()) return pool.error();
  auto r = pool->verify(chain_pem, purpose);
  if (!r.ok()) return r.error();
  return {};
}

}  // namespace kapi::tls
