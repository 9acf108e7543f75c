#include "client/x509_util.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kapi::client {

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
