#include "client/x509_util.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kapi::client {

static_assert(kX509HostFlags == X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);

namespace {

// Go's alert texts (crypto/tls alert.go) by alert number.
const char* alert_text(int alert) {
  switch (alert) {
    case 0: return "close notify";
    case 10: return "unexpected message";
    case 20: return "bad record MAC";
    case 21: return "decryption failed";
    case 22: return "record overflow";
    case 30: return "decompression failure";
    case 40: return "handshake failure";
    case 42: return "bad certificate";
    case 43: return "unsupported certificate";
    case 44: return "revoked certificate";
    case 45: return "expired certificate";
    case 46: return "unknown certificate";
    case 47: return "illegal parameter";
    case 48: return "unknown certificate authority";
    case 49: return "access denied";
    case 50: return "error decoding message";
    case 51: return "error decrypting message";
    case 60: return "export restriction";
    case 70: return "protocol version not supported";
    case 71: return "insufficient security level";
    case 80: return "internal error";
    case 86: return "inappropriate fallback";
    case 90: return "user canceled";
    case 100: return "no renegotiation";
    case 109: return "missing extension";
    case 110: return "unsupported extension";
    case 111: return "certificate unobtainable";
    case 112: return "unrecognized name";
    case 113: return "bad certificate status response";
    case 114: return "bad certificate hash value";
    case 115: return "unknown PSK identity";
    case 116: return "certificate required";
    case 120: return "no application protocol";
    default: return nullptr;
  }
}

}  // namespace

std::string tls_handshake_error(SSL* ssl, int ret) {
  unsigned long e = ERR_peek_last_error();
  int reason = ERR_GET_REASON(e);
  int code = SSL_get_error(ssl, ret);
  ERR_clear_error();
  if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_UNKNOWN_PROTOCOL || reason == SSL_R_RECORD_LENGTH_MISMATCH)
    return "tls: first record does not look like a TLS handshake";
  if (reason >= SSL_AD_REASON_OFFSET) {
    const char* text = alert_text(reason - SSL_AD_REASON_OFFSET);
    return "remote error: tls: " + std::string(text ? text : "handshake failure");
  }
  if (code == SSL_ERROR_SYSCALL || code == SSL_ERROR_ZERO_RETURN) return "EOF";
  return "tls: handshake failure";
}

X509_STORE* store_from_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_STORE* store = X509_STORE_new();
  int n = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);
    X509_free(cert);
    ++n;
  }
  BIO_free(bio);
  ERR_clear_error();
  if (n == 0) {
    X509_STORE_free(store);
    return nullptr;
  }
  return store;
}

std::string x509_name_error(X509* leaf, const std::string& name) {
  unsigned char ipbuf[16];
  bool is_ip = inet_pton(AF_INET, name.c_str(), ipbuf) == 1 || inet_pton(AF_INET6, name.c_str(), ipbuf) == 1;
  int ok = is_ip ? X509_check_ip_asc(leaf, name.c_str(), 0)
                 : X509_check_host(leaf, name.c_str(), name.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr);
  if (ok != 1) {
    std::string valid;
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
      std::string v;
      if (!is_ip && g->type == GEN_DNS) {
        v.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)), ASN1_STRING_length(g->d.dNSName));
      } else if (is_ip && g->type == GEN_IPADD) {
        char text[INET6_ADDRSTRLEN] = "";
        int len = ASN1_STRING_length(g->d.iPAddress);
        inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(g->d.iPAddress), text, sizeof text);
        v = text;
      }
      if (!v.empty()) valid += (valid.empty() ? "" : ", ") + v;
    }
    if (sans) GENERAL_NAMES_free(sans);
    if (is_ip && valid.empty())
      return "x509: cannot validate certificate for " + name + " because it doesn't contain any IP SANs";
    else if (valid.empty())
      return "x509: certificate is not valid for any names, but wanted to match " + name;
    else
      return "x509: certificate is valid for " + valid + ", not " + name;
  }
  return "";
}

}  // namespace kapi::client
