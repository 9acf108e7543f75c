#include "pkg/tls/csr.h"

#include <openssl/x509.h>

#include "pkg/machinery/base64.h"
#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
namespace {

struct ReqFree { void operator()(X509_REQ* p) const { X509_REQ_free(p); } };
using ReqPtr = std::unique_ptr<X509_REQ, ReqFree>;

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

std::string_view trim_line_end(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<PemBlock> pem_decode(std::string_view data, std::string_view* rest) {
  size_t from = 0;
  while (true) {
    // A block starts at the beginning of the data or of a line.
    size_t at = data.find(kBegin, from);
    while (at != std::string_view::npos && at != 0 && data[at - 1] != '\n') at = data.find(kBegin, at + 1);
    if (at == std::string_view::npos) return std::nullopt;
    size_t eol = data.find('\n', at);
    std::string_view line = trim_line_end(data.substr(at, eol == std::string_view::npos ? data.size() - at : eol - at));
    from = eol == std::string_view::npos ? data.size() : eol + 1;
    if (line.size() < kBegin.size() + kDashes.size() || line.substr(line.size() - kDashes.size()) != kDashes) continue;
    PemBlock b;
    b.type = std::string(line.substr(kBegin.size(), line.size() - kBegin.size() - kDashes.size()));
    std::string end_marker = std::string(kEnd) + b.type + std::string(kDashes);
    size_t end = data.find(end_marker, from);
    if (end == std::string_view::npos) continue;
    std::string_view body = data.substr(from, end - from);
    // "Key: value" header lines come first, then an empty line.
    std::string text;
    size_t pos = 0;
    bool in_headers = true;
    while (pos < body.size()) {
      size_t nl = body.find('\n', pos);
      std::string_view l = trim_line_end(body.substr(pos, nl == std::string_view::npos ? body.size() - pos : nl - pos));
      pos = nl == std::string_view::npos ? body.size() : nl + 1;
      if (in_headers && l.find(':') != std::string_view::npos) { b.has_headers = true; continue; }
      in_headers = false;
      text += l;
    }
    auto decoded = machinery::base64_decode(text);
    if (!decoded) continue;
    b.bytes = std::move(*decoded);
    if (rest) {
      size_t after = end + end_marker.size();
      size_t nl = data.find('\n', after);
      *rest = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
    }
    return b;
  }
}

std::optional<std::string> csr_pem_error(std::string_view pem) {
  auto block = pem_decode(pem);
  if (!block || block->type != "CERTIFICATE REQUEST") return "PEM block type must be CERTIFICATE REQUEST";
  const auto* p = reinterpret_cast<const unsigned char*>(block->bytes.data());
  ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(block->bytes.size())));
  ERR_clear_error();
  // Go's asn1 errors name the exact structure; this is the common one for cut or garbled DER.
  if (!req) return "asn1: structure error: tags don't match";
  if (p != reinterpret_cast<const unsigned char*>(block->bytes.data()) + block->bytes.size())
    return "asn1: syntax error: trailing data";
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
  if (!key) {
    ERR_clear_error();
    return "x509: unsupported public key algorithm";
  }
  int ok = X509_REQ_verify(req.get(), key);
  ERR_clear_error();
  if (ok == 1) return std::nullopt;
  switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_EC: return "x509: ECDSA verification failure";
    case EVP_PKEY_ED25519: return "x509: Ed25519 verification failure";
    default: return "crypto/rsa: verification error";
  }
}

std::optional<std::string> certificate_pem_error(std::string_view pem) {
  if (pem.empty()) return std::nullopt;
  int blocks = 0;
  std::string_view rest = pem;
  while (auto block = pem_decode(rest, &rest)) {
    if (block->type != "CERTIFICATE") return "only CERTIFICATE PEM blocks are allowed, found \"" + block->type + "\"";
    if (block->has_headers) return std::string("no PEM block headers are permitted");
    ++blocks;
    const auto* p = reinterpret_cast<const unsigned char*>(block->bytes.data());
    internal::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(block->bytes.size())));
    ERR_clear_error();
    if (!cert) return std::string("x509: malformed certificate");
  }
  if (blocks == 0) return std::string("must contain at least one CERTIFICATE PEM block");
  return std::nullopt;
}

}  // namespace kapi::tls
