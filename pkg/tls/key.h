#pragma once
// Private key generation and PEM encoding. Keys travel as PEM strings; they are never logged.
#include <string>

#include "pkg/tls/result.h"

namespace kapi::tls {

enum class KeyType {
  kRsa,        // RSA, 2048 bits unless asked otherwise (kubeadm's default)
  kEcdsaP256,  // ECDSA on NIST P-256 (fast; used for the self-bootstrapped PKI)
};

enum class KeyFormat {
  kPkcs8,        // "PRIVATE KEY"
  kTraditional,  // "RSA PRIVATE KEY" (PKCS#1) / "EC PRIVATE KEY" (SEC1), as kubeadm writes them
};

// Generates a new key and returns it as PEM, by default in the form kubeadm writes (which kubectl
// and kapi's client also decode without OpenSSL's slower provider decoders).
Result<std::string> generate_private_key(KeyType type, int rsa_bits = 2048,
                                         KeyFormat format = KeyFormat::kTraditional);

// Re-encodes any supported private key PEM ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY").
Result<std::string> encode_private_key(const std::string& key_pem,
                                       KeyFormat format = KeyFormat::kPkcs8);

// The type of a private or public key PEM. ECDSA keys on curves other than P-256 are an error.
Result<KeyType> key_type(const std::string& key_pem);

// The "PUBLIC KEY" (SubjectPublicKeyInfo) PEM of a private key, e.g. sa.pub from sa.key.
Result<std::string> public_key_pem(const std::string& private_key_pem);

// True if the two PEMs (private or public, any mix) hold the same public key.
Result<bool> same_public_key(const std::string& a_pem, const std::string& b_pem);

}  // namespace kapi::tls
