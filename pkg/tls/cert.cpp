#include "pkg/tls/cert.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/rand.h>

#include <cstring>
#include <ctime>

#include "pkg/tls/openssl_internal.h"

namespace kapi::tls {
using namespace internal;

namespace {

struct NameFree { void operator()(X509_NAME* p) const { X509_NAME_free(p); } };
struct GenNamesFree { void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); } };
struct ExtFree { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };

Status add_conf_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(
      X509V3_EXT_conf_nid(nullptr, ctx, nid, const_cast<char*>(value)));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return make_error(ssl_error(std::string("adding extension ") + OBJ_nid2sn(nid)));
  }
  return {};
}

Status set_random_serial(X509* cert) {
  unsigned char buf[16];
  for (;;) {
    if (RAND_bytes(buf, sizeof buf) != 1) return make_error(ssl_error("generating serial"));
    buf[0] &= 0x7f;  // positive
    bool zero = true;
    for (unsigned char b : buf) zero = zero && b == 0;
    if (!zero) break;
  }
  std::unique_ptr<BIGNUM, BnFree> bn(BN_bin2bn(buf, sizeof buf, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) {
    return make_error(ssl_error("setting serial"));
  }
  return {};
}

std::string asn1_to_utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  int len = ASN1_STRING_to_UTF8(&out, s);
  if (len < 0) return {};
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return r;
}

void read_name(const X509_NAME* name, std::string* cn, std::vector<std::string>* orgs) {
  int n = X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    if (nid == NID_commonName) {
      *cn = asn1_to_utf8(X509_NAME_ENTRY_get_data(e));  // last one wins, as in Go
    } else if (nid == NID_organizationName) {
      orgs->push_back(asn1_to_utf8(X509_NAME_ENTRY_get_data(e)));
    }
  }
}

std::string name_oneline(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_to_string(bio.get());
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* t) {
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<X509Ptr> build_cert(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                           EVP_PKEY* issuer_key) {
  const bool is_ca = spec.is_ca || issuer == nullptr;
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) return make_error(ssl_error("X509_new"));
  if (auto s = set_random_serial(cert.get()); !s.ok()) return s.error();

  // Subject: O=... then CN, the order Go's pkix.Name marshals them in.
  std::unique_ptr<X509_NAME, NameFree> name(X509_NAME_new());
  for (const auto& o : spec.orgs) {
    if (X509_NAME_add_entry_by_NID(name.get(), NID_organizationName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(o.c_str()), -1, -1,
                                   0) != 1) {
      return make_error(ssl_error("invalid organization \"" + o + "\""),
                        ErrorCode::kInvalidArgument);
    }
  }
  if (!spec.cn.empty() &&
      X509_NAME_add_entry_by_NID(name.get(), NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1,
                                 0) != 1) {
    return make_error(ssl_error("invalid common name \"" + spec.cn + "\""),
                      ErrorCode::kInvalidArgument);
  }
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name.get()) != 1) {
    return make_error(ssl_error("setting names"));
  }

  // Validity.
  if (spec.validity.count() <= 0) {
    return make_error("certificate validity must be positive", ErrorCode::kInvalidArgument);
  }
  const time_t now = std::time(nullptr);
  const time_t not_before =
      now - std::chrono::duration_cast<std::chrono::seconds>(kCertificateBackdate).count();
  time_t not_after = now + std::chrono::duration_cast<std::chrono::seconds>(spec.validity).count();
  if (issuer) {
    time_t ca_end = std::chrono::system_clock::to_time_t(to_time_point(X509_get0_notAfter(issuer)));
    if (ca_end > 0 && ca_end < not_after) not_after = ca_end;
  }
  if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after)) {
    return make_error(ssl_error("setting validity"));
  }
  if (X509_set_pubkey(cert.get(), subject_key) != 1) return make_error(ssl_error("setting key"));

  // Extensions.
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  if (is_ca) {
    if (auto s = add_conf_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
        !s.ok())
      return s.error();
  }
  if (auto s = add_conf_ext(cert.get(), &ctx, NID_key_usage,
                            is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                                  : "critical,digitalSignature,keyEncipherment");
      !s.ok())
    return s.error();
  if (spec.server || spec.client) {
    const char* eku = spec.server && spec.client ? "serverAuth,clientAuth"
                      : spec.server              ? "serverAuth"
                                                 : "clientAuth";
    if (auto s = add_conf_ext(cert.get(), &ctx, NID_ext_key_usage, eku); !s.ok()) return s.error();
  }
  if (is_ca) {
    if (auto s = add_conf_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash"); !s.ok())
      return s.error();
  }
  if (issuer && X509_get_ext_by_NID(issuer, NID_subject_key_identifier, -1) >= 0) {
    if (auto s = add_conf_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
        !s.ok())
      return s.error();
  }
  if (!spec.dns.empty() || !spec.ips.empty()) {
    std::unique_ptr<GENERAL_NAMES, GenNamesFree> names(sk_GENERAL_NAME_new_null());
    for (const auto& d : spec.dns) {
      if (d.empty()) return make_error("empty DNS name in SANs", ErrorCode::kInvalidArgument);
      GENERAL_NAME* gn = GENERAL_NAME_new();
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, d.data(), static_cast<int>(d.size()));
      GENERAL_NAME_set0_value(gn, GEN_DNS, s);
      sk_GENERAL_NAME_push(names.get(), gn);
    }
    for (const auto& ip : spec.ips) {
      unsigned char buf[16];
      int len = 0;
      if (inet_pton(AF_INET, ip.c_str(), buf) == 1) {
        len = 4;
      } else if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) {
        len = 16;
      } else {
        return make_error("invalid IP address in SANs: \"" + ip + "\"",
                          ErrorCode::kInvalidArgument);
      }
      GENERAL_NAME* gn = GENERAL_NAME_new();
      ASN1_OCTET_STRING* s = ASN1_OCTET_STRING_new();
      ASN1_OCTET_STRING_set(s, buf, len);
      GENERAL_NAME_set0_value(gn, GEN_IPADD, s);
      sk_GENERAL_NAME_push(names.get(), gn);
    }
    if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) !=
        1) {
      return make_error(ssl_error("adding subjectAltName"));
    }
  }

  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return make_error(ssl_error("signing certificate"));
  }
  return cert;
}

}  // namespace

Result<CertInfo> internal::cert_info(X509* cert) {
  CertInfo info;
  read_name(X509_get_subject_name(cert), &info.cn, &info.orgs);
  read_name(X509_get_issuer_name(cert), &info.issuer_cn, &info.issuer_orgs);
  info.subject = name_oneline(X509_get_subject_name(cert));
  info.issuer = name_oneline(X509_get_issuer_name(cert));
  info.not_before = to_time_point(X509_get0_notBefore(cert));
  info.not_after = to_time_point(X509_get0_notAfter(cert));

  std::unique_ptr<GENERAL_NAMES, GenNamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (names) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
      if (gn->type == GEN_DNS) {
        const ASN1_STRING* s = gn->d.dNSName;
        info.dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                              static_cast<size_t>(ASN1_STRING_length(s)));
      } else if (gn->type == GEN_IPADD) {
        const ASN1_STRING* s = gn->d.iPAddress;
        char text[INET6_ADDRSTRLEN] = {0};
        int len = ASN1_STRING_length(s);
        if (len == 4 || len == 16) {
          inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text, sizeof text);
          info.ips.emplace_back(text);
        }
      }
    }
  }

  // X509_get_extension_flags computes the cached extension data (and flags parse errors).
  uint32_t flags = X509_get_extension_flags(cert);
  if (flags & EXFLAG_INVALID) {
    return make_error("certificate has invalid extensions", ErrorCode::kInvalidArgument);
  }
  info.is_ca = (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA);
  if (flags & EXFLAG_XKUSAGE) {
    uint32_t xku = X509_get_extended_key_usage(cert);
    info.server_auth = xku & (XKU_SSL_SERVER | XKU_ANYEKU);
    info.client_auth = xku & (XKU_SSL_CLIENT | XKU_ANYEKU);
  }
  info.self_signed = X509_self_signed(cert, 1) == 1;
  ERR_clear_error();

  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  std::unique_ptr<BIGNUM, BnFree> bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (bn) {
    char* hex = BN_bn2hex(bn.get());
    if (hex) {
      info.serial_hex = hex;
      OPENSSL_free(hex);
    }
  }
  return info;
}

Result<std::string> create_self_signed_ca(const CertSpec& spec, const std::string& key_pem) {
  auto key = parse_private_key(key_pem);
  if (!key.ok()) return key.error();
  auto cert = build_cert(spec, key->get(), nullptr, key->get());
  if (!cert.ok()) return cert.error();
  return cert_to_pem(cert->get());
}

Result<std::string> create_signed_cert(const CertSpec& spec, const std::string& subject_key_pem,
                                       const std::string& ca_cert_pem,
                                       const std::string& ca_key_pem) {
  auto subject_key = parse_any_key(subject_key_pem);
  if (!subject_key.ok()) return subject_key.error();
  auto ca = internal::parse_cert(ca_cert_pem);
  if (!ca.ok()) return make_error("CA certificate: " + ca.error().message, ca.error().code);
  auto ca_key = parse_private_key(ca_key_pem);
  if (!ca_key.ok()) return make_error("CA key: " + ca_key.error().message, ca_key.error().code);
  if (X509_check_private_key(ca->get(), ca_key->get()) != 1) {
    ERR_clear_error();
    return make_error("CA certificate and CA key do not match", ErrorCode::kInvalidArgument);
  }
  auto cert = build_cert(spec, subject_key->get(), ca->get(), ca_key->get());
  if (!cert.ok()) return cert.error();
  return cert_to_pem(cert->get());
}

Result<CertKeyPair> new_ca(const CertSpec& spec, KeyType type) {
  auto key = generate_private_key(type);
  if (!key.ok()) return key.error();
  auto cert = create_self_signed_ca(spec, *key);
  if (!cert.ok()) return cert.error();
  return CertKeyPair{std::move(cert).value(), std::move(key).value()};
}

Result<CertKeyPair> new_signed_cert(const CertSpec& spec, const CertKeyPair& ca, KeyType type) {
  auto key = generate_private_key(type);
  if (!key.ok()) return key.error();
  auto cert = create_signed_cert(spec, *key, ca.cert_pem, ca.key_pem);
  if (!cert.ok()) return cert.error();
  return CertKeyPair{std::move(cert).value(), std::move(key).value()};
}

Result<CertInfo> parse_cert(const std::string& cert_pem) {
  auto cert = internal::parse_cert(cert_pem);
  if (!cert.ok()) return cert.error();
  return cert_info(cert->get());
}

Result<std::vector<std::string>> split_cert_bundle(const std::string& bundle_pem) {
  auto certs = parse_cert_bundle(bundle_pem);
  if (!certs.ok()) return certs.error();
  std::vector<std::string> out;
  for (auto& c : *certs) {
    auto pem = cert_to_pem(c.get());
    if (!pem.ok()) return pem.error();
    out.push_back(std::move(pem).value());
  }
  return out;
}

Result<bool> cert_matches_key(const std::string& cert_pem, const std::string& key_pem) {
  auto cert = internal::parse_cert(cert_pem);
  if (!cert.ok()) return cert.error();
  auto key = parse_any_key(key_pem);
  if (!key.ok()) return key.error();
  EVP_PKEY* pub = X509_get0_pubkey(cert->get());
  if (!pub) return make_error(ssl_error("certificate has no usable public key"));
  return EVP_PKEY_eq(pub, key->get()) == 1;
}

}  // namespace kapi::tls
