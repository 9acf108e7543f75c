#include "pkg/tls/openssl_internal.h"

#include <cstring>

namespace kapi::tls::internal {

std::string ssl_error(const std::string& prefix) {
  std::string out = prefix;
  bool first = true;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += first ? ": " : "; ";
    const char* reason = ERR_reason_error_string(e);
    out += reason ? reason : buf;
    first = false;
  }
  return out;
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data ? data : "", len > 0 ? static_cast<size_t>(len) : 0);
}

namespace {

BioPtr mem_bio(const std::string& s) {
  return BioPtr(BIO_new_mem_buf(s.data(), static_cast<int>(s.size())));
}

// Refuse to prompt for a passphrase on the terminal.
int no_password(char*, int, int, void*) { return -1; }

}  // namespace

Result<PkeyPtr> parse_private_key(const std::string& pem) {
  if (pem.find("ENCRYPTED") != std::string::npos) {
    return make_error("encrypted private keys are not supported", ErrorCode::kInvalidArgument);
  }
  auto bio = mem_bio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr);
  if (!key) {
    ERR_clear_error();  // never echo details about key material
    return make_error("data does not contain a valid RSA or ECDSA private key",
                      ErrorCode::kInvalidArgument);
  }
  return PkeyPtr(key);
}

Result<PkeyPtr> parse_any_key(const std::string& pem) {
  if (pem.find("PRIVATE KEY-----") != std::string::npos) return parse_private_key(pem);
  auto bio = mem_bio(pem);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, no_password, nullptr);
  if (!key) {
    return make_error(ssl_error("data does not contain a valid public key"),
                      ErrorCode::kInvalidArgument);
  }
  return PkeyPtr(key);
}

Result<X509Ptr> parse_cert(const std::string& pem) {
  auto bio = mem_bio(pem);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr);
  if (!cert) {
    return make_error(ssl_error("data does not contain a valid PEM certificate"),
                      ErrorCode::kInvalidArgument);
  }
  return X509Ptr(cert);
}

Result<std::vector<X509Ptr>> parse_cert_bundle(const std::string& pem) {
  std::vector<X509Ptr> out;
  // Walk the blocks ourselves so that keys or comments in a bundle are skipped, as Go's
  // AppendCertsFromPEM does.
  static const char kBegin[] = "-----BEGIN CERTIFICATE-----";
  static const char kEnd[] = "-----END CERTIFICATE-----";
  size_t pos = 0;
  while ((pos = pem.find(kBegin, pos)) != std::string::npos) {
    size_t end = pem.find(kEnd, pos);
    if (end == std::string::npos) break;
    end += std::strlen(kEnd);
    auto c = parse_cert(pem.substr(pos, end - pos) + "\n");
    if (!c.ok()) return c.error();
    out.push_back(std::move(c).value());
    pos = end;
  }
  if (out.empty()) {
    return make_error("data does not contain any valid PEM certificate",
                      ErrorCode::kInvalidArgument);
  }
  return out;
}

Result<std::string> cert_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return make_error(ssl_error("encoding certificate"));
  }
  return bio_to_string(bio.get());
}

}  // namespace kapi::tls::internal
