#include "pkg/tls/jws.h"

#include <openssl/ecdsa.h>
#include <openssl/sha.h>

#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {

using internal::PkeyPtr;

namespace {

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string key_id_of(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  if (n <= 0) return "";
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(n), md);
  OPENSSL_free(der);
  return base64url(std::string(reinterpret_cast<char*>(md), sizeof(md)));
}

std::string algorithm_of(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return "RS256";
    case EVP_PKEY_EC: return EVP_PKEY_get_bits(key) == 256 ? "ES256" : "";
    default: return "";
  }
}

// ECDSA signatures are DER in OpenSSL and r||s (32 bytes each) in JWS.
bool der_to_raw(const std::string& der, std::string& raw) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return false;
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  raw.assign(64, '\0');
  bool ok = BN_bn2binpad(r, reinterpret_cast<unsigned char*>(&raw[0]), 32) == 32 &&
            BN_bn2binpad(s, reinterpret_cast<unsigned char*>(&raw[32]), 32) == 32;
  ECDSA_SIG_free(sig);
  return ok;
}

bool raw_to_der(const std::string& raw, std::string& der) {
  if (raw.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* out = nullptr;
  int n = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (n <= 0) return false;
  der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return true;
}

}  // namespace

std::string base64url(const std::string& bytes) {
  std::string out;
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kB64Url[(v >> s) & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t v = b(i) << 16;
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8);
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
  }
  return out;
}

bool base64url_decode(const std::string& text, std::string& out) {
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* p = std::char_traits<char>::find(kB64Url, 64, c);
    if (!p) return false;
    acc = (acc << 6) | static_cast<uint32_t>(p - kB64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return bits < 6;  // a lone 6-bit tail is not valid base64
}

struct JwsSigner::Impl {
  PkeyPtr key;
  std::string alg, kid;
};

JwsSigner::JwsSigner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JwsSigner::JwsSigner(JwsSigner&&) noexcept = default;
JwsSigner& JwsSigner::operator=(JwsSigner&&) noexcept = default;
JwsSigner::~JwsSigner() = default;

Result<JwsSigner> JwsSigner::load(const std::string& private_key_pem) {
  auto key = internal::parse_private_key(private_key_pem);
  if (!key.ok()) return key.error();
  auto impl = std::make_unique<Impl>();
  impl->alg = algorithm_of(key->get());
  if (impl->alg.empty()) return make_error("unsupported service account signing key: want RSA or ECDSA P-256");
  impl->kid = key_id_of(key->get());
  impl->key = std::move(key.value());
  return JwsSigner(std::move(impl));
}

const std::string& JwsSigner::algorithm() const { return impl_->alg; }
const std::string& JwsSigner::key_id() const { return impl_->kid; }

Result<std::string> JwsSigner::sign(const std::string& payload) const {
  std::string input = base64url("{\"alg\":\"" + impl_->alg + "\",\"kid\":\"" + impl_->kid + "\"}") + "." + base64url(payload);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t n = 0;
  std::string sig;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->key.get()) == 1 &&
            EVP_DigestSign(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    sig.resize(n);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(&sig[0]), &n,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    sig.resize(n);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return make_error(internal::ssl_error("failed to sign the token"));
  if (impl_->alg == "ES256") {
    std::string raw;
    if (!der_to_raw(sig, raw)) return make_error("failed to sign the token: bad ECDSA signature");
    sig = raw;
  }
  return input + "." + base64url(sig);
}

struct JwsVerifier::Impl {
  struct Key {
    PkeyPtr key;
    std::string alg, kid;
  };
  std::vector<Key> keys;
};

JwsVerifier::JwsVerifier() : impl_(std::make_unique<Impl>()) {}
JwsVerifier::JwsVerifier(JwsVerifier&&) noexcept = default;
JwsVerifier::~JwsVerifier() = default;
size_t JwsVerifier::size() const { return impl_->keys.size(); }

Result<void> JwsVerifier::add_keys(const std::string& pem) {
  size_t pos = 0, added = 0;
  while ((pos = pem.find("-----BEGIN ", pos)) != std::string::npos) {
    size_t line_end = pem.find("-----", pos + 11);
    if (line_end == std::string::npos) break;
    std::string label = pem.substr(pos + 11, line_end - pos - 11);
    std::string end_marker = "-----END " + label + "-----";
    size_t end = pem.find(end_marker, line_end);
    if (end == std::string::npos) break;
    std::string block = pem.substr(pos, end + end_marker.size() - pos) + "\n";
    pos = end + end_marker.size();
    if (label.find("KEY") == std::string::npos) continue;  // certificates and the like
    auto key = internal::parse_any_key(block);
    if (!key.ok()) return key.error();
    Impl::Key k;
    k.alg = algorithm_of(key->get());
    k.kid = key_id_of(key->get());
    k.key = std::move(key.value());
    impl_->keys.push_back(std::move(k));
    ++added;
  }
  if (added == 0) return make_error("data does not contain any valid RSA or ECDSA public keys");
  return {};
}

Result<std::string> JwsVerifier::verify(const std::string& token) const {
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos) return make_error("not a compact JWS");
  std::string header, payload, sig;
  if (!base64url_decode(token.substr(0, d1), header) || !base64url_decode(token.substr(d1 + 1, d2 - d1 - 1), payload) ||
      !base64url_decode(token.substr(d2 + 1), sig))
    return make_error("malformed JWS encoding");
  std::string input = token.substr(0, d2);
  for (const auto& k : impl_->keys) {
    // The header's alg must be the key's: no "none", no RS/ES confusion.
    if (header.find("\"alg\":\"" + k.alg + "\"") == std::string::npos) continue;
    std::string s = sig;
    if (k.alg == "ES256" && !raw_to_der(sig, s)) continue;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, k.key.get()) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                               reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    if (ok) return payload;
  }
  return make_error("invalid signature");
}

}  // namespace kapi::tls
