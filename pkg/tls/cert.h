#pragma once
// X.509 certificates in the shape kubeadm makes them: self-signed CAs and CA-signed leaves.
#include <chrono>
#include <string>
#include <vector>

#include "pkg/tls/key.h"
#include "pkg/tls/result.h"

namespace kapi::tls {

inline constexpr std::chrono::hours kCaValidity{24 * 365 * 10};  // kubeadm: CA 10 years
inline constexpr std::chrono::hours kLeafValidity{24 * 365};     // kubeadm: leaves 1 year
// kubeadm backdates NotBefore by 5 minutes to tolerate small clock skew between machines.
inline constexpr std::chrono::minutes kCertificateBackdate{5};

struct CertSpec {
  std::string cn;
  std::vector<std::string> orgs;  // subject O, one RDN each (Kubernetes groups)
  std::vector<std::string> dns;   // SAN DNS names
  std::vector<std::string> ips;   // SAN IP addresses, v4 or v6 text
  bool server = false;            // extKeyUsage serverAuth
  bool client = false;            // extKeyUsage clientAuth
  bool is_ca = false;             // basicConstraints CA:TRUE + keyCertSign
  std::chrono::hours validity = kLeafValidity;
};

struct CertKeyPair {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8 PEM; never log it
};

// Self-signed CA for `key_pem` (spec.is_ca is implied). Extensions: basicConstraints CA:TRUE
// (critical), keyUsage digitalSignature+keyEncipherment+keyCertSign (critical),
// subjectKeyIdentifier. NotBefore = now - 5m, NotAfter = now + spec.validity. SHA-256 signature.
Result<std::string> create_self_signed_ca(const CertSpec& spec, const std::string& key_pem);

// Leaf (or, with spec.is_ca, intermediate) certificate for the public half of `subject_key_pem`
// (a private or "PUBLIC KEY" PEM), signed by the CA. Extensions: keyUsage digitalSignature+
// keyEncipherment (critical), extKeyUsage per server/client, SANs, authorityKeyIdentifier.
// Random positive 127-bit serial. NotAfter is capped at the CA's NotAfter.
Result<std::string> create_signed_cert(const CertSpec& spec, const std::string& subject_key_pem,
                                       const std::string& ca_cert_pem,
                                       const std::string& ca_key_pem);

// Convenience: generate a key and the certificate in one go.
Result<CertKeyPair> new_ca(const CertSpec& spec, KeyType type = KeyType::kEcdsaP256);
Result<CertKeyPair> new_signed_cert(const CertSpec& spec, const CertKeyPair& ca,
                                    KeyType type = KeyType::kEcdsaP256);

struct CertInfo {
  std::string cn;
  std::vector<std::string> orgs;
  std::string issuer_cn;
  std::vector<std::string> issuer_orgs;
  std::vector<std::string> dns;
  std::vector<std::string> ips;  // canonical text (inet_ntop)
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  bool is_ca = false;
  bool server_auth = false;  // extKeyUsage serverAuth (or anyExtendedKeyUsage)
  bool client_auth = false;  // extKeyUsage clientAuth (or anyExtendedKeyUsage)
  bool self_signed = false;  // subject == issuer and the signature verifies with its own key
  std::string serial_hex;
  std::string subject;  // one-line RFC 2253 form, e.g. "CN=kubernetes-admin,O=system:masters"
  std::string issuer;
};

// Reads the first certificate of a PEM (bundle).
Result<CertInfo> parse_cert(const std::string& cert_pem);

// Splits a bundle into one PEM string per CERTIFICATE block (other blocks are skipped).
Result<std::vector<std::string>> split_cert_bundle(const std::string& bundle_pem);

// True if the certificate's public key is the public half of `key_pem` (private or public PEM).
Result<bool> cert_matches_key(const std::string& cert_pem, const std::string& key_pem);

}  // namespace kapi::tls
