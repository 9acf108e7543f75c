#pragma once
// Compact JWS (RFC 7515) signing and verification for service-account tokens, as
// kube-apiserver's go-jose signer: RS256 for RSA keys, ES256 for P-256 keys, and a "kid" header
// that is the unpadded base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo).
// Thread-safe after construction; keys are never logged.
#include <memory>
#include <string>
#include <vector>

#include "pkg/tls/result.h"

namespace kapi::tls {

class JwsSigner {
 public:
  // From a private key PEM (PKCS#8, PKCS#1 or SEC1).
  static Result<JwsSigner> load(const std::string& private_key_pem);
  JwsSigner(JwsSigner&&) noexcept;
  JwsSigner& operator=(JwsSigner&&) noexcept;
  ~JwsSigner();
  // header.payload.signature for the JSON text `payload`.
  Result<std::string> sign(const std::string& payload) const;
  const std::string& algorithm() const;  // "RS256" or "ES256"
  const std::string& key_id() const;

 private:
  struct Impl;
  explicit JwsSigner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class JwsVerifier {
 public:
  // Every public (or private) key in `pem`, which may hold several PEM blocks.
  Result<void> add_keys(const std::string& pem);
  JwsVerifier();
  JwsVerifier(JwsVerifier&&) noexcept;
  ~JwsVerifier();
  size_t size() const;
  // The payload of a compact JWS signed (RS256/ES256) by one of the keys; an error otherwise.
  Result<std::string> verify(const std::string& token) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Unpadded base64url (RFC 4648 §5), and its inverse (false on bad input).
std::string base64url(const std::string& bytes);
bool base64url_decode(const std::string& text, std::string& out);

}  // namespace kapi::tls
