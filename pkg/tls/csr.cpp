#include "pkg/tls/csr.h"

#include <arpa/inet.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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

namespace {

std::string asn1_text(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

// pkix.Name.FillFromRDNSequence: single values keep the last one, lists append in order.
void fill_subject(const X509_NAME* name, CsrInfo& out) {
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    std::string v = asn1_text(X509_NAME_ENTRY_get_data(e));
    switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e))) {
      case NID_commonName: out.common_name = v; break;
      case NID_serialNumber: out.serial_number = v; break;
      case NID_organizationName: out.organization.push_back(v); break;
      case NID_organizationalUnitName: out.organizational_unit.push_back(v); break;
      case NID_countryName: out.country.push_back(v); break;
      case NID_localityName: out.locality.push_back(v); break;
      case NID_stateOrProvinceName: out.province.push_back(v); break;
      case NID_streetAddress: out.street_address.push_back(v); break;
      case NID_postalCode: out.postal_code.push_back(v); break;
      default: break;
    }
  }
}

void fill_sans(X509_REQ* req, CsrInfo& out) {
  STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req);
  if (!exts) return;
  auto* names = static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) out.dns_names.push_back(asn1_text(n->d.dNSName));
    else if (n->type == GEN_EMAIL) out.email_addresses.push_back(asn1_text(n->d.rfc822Name));
    else if (n->type == GEN_URI) out.uris.push_back(asn1_text(n->d.uniformResourceIdentifier));
    else if (n->type == GEN_IPADD) {
      std::string raw = asn1_text(n->d.iPAddress);
      char buf[INET6_ADDRSTRLEN] = {0};
      if (raw.size() == 4) inet_ntop(AF_INET, raw.data(), buf, sizeof buf);
      else if (raw.size() == 16) inet_ntop(AF_INET6, raw.data(), buf, sizeof buf);
      out.ip_addresses.push_back(buf);
    }
  }
  GENERAL_NAMES_free(names);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  ERR_clear_error();
}

}  // namespace

std::optional<CsrInfo> parse_csr(std::string_view pem, std::string* error) {
  auto block = pem_decode(pem);
  if (!block || block->type != "CERTIFICATE REQUEST") {
    if (error) *error = "PEM block type must be CERTIFICATE REQUEST";
    return std::nullopt;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(block->bytes.data());
  ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(block->bytes.size())));
  ERR_clear_error();
  if (!req) {
    if (error) *error = "asn1: structure error: tags don't match";
    return std::nullopt;
  }
  CsrInfo info;
  fill_subject(X509_REQ_get_subject_name(req.get()), info);
  fill_sans(req.get(), info);
  return info;
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
