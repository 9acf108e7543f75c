#pragma once
// A set of trusted CA certificates (e.g. the --client-ca-file bundle), loaded once and shared
// read-only between threads; verifies certificate chains against it.
#include <cstddef>
#include <memory>
#include <string>

#include "pkg/tls/cert.h"
#include "pkg/tls/result.h"

namespace kapi::tls {

namespace internal {
struct CaPoolImpl;
}

enum class Purpose {
  kAny,         // chain and validity only
  kServerAuth,  // leaf must allow serverAuth (as Go's x509.ExtKeyUsageServerAuth)
  kClientAuth,  // leaf must allow clientAuth (what kube-apiserver requires of client certs)
};

class CaPool {
 public:
  CaPool() = default;  // empty: verifies nothing
  // Every CERTIFICATE block of the bundle becomes a trust anchor (as in Go, a chain may end at
  // any certificate of the pool, intermediate or root).
  static Result<CaPool> from_pem(const std::string& bundle_pem);
  static Result<CaPool> load_file(const std::string& path);

  size_t size() const;
  bool empty() const { return size() == 0; }

  // Verifies `chain_pem` (the leaf first, then any intermediates) against the pool at the current
  // time and returns the leaf's details. Failure is ErrorCode::kVerifyFailed with a Go-like
  // message ("x509: certificate signed by unknown authority", ...).
  Result<CertInfo> verify(const std::string& chain_pem, Purpose purpose = Purpose::kAny) const;

  const internal::CaPoolImpl* impl() const { return impl_.get(); }

 private:
  std::shared_ptr<const internal::CaPoolImpl> impl_;
};

// One-shot: verify `chain_pem` against the CAs in `ca_bundle_pem`.
Status verify_cert(const std::string& chain_pem, const std::string& ca_bundle_pem,
                   Purpose purpose = Purpose::kAny);

}  // namespace kapi::tls
