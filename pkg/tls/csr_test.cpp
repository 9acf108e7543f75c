#include "pkg/tls/csr.h"

#include <gtest/gtest.h>

#include "pkg/machinery/base64.h"

namespace kapi::tls {
namespace {

// `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=x`.
const char* kCsr =
    "-----BEGIN CERTIFICATE REQUEST-----\n"
    "MIHGMG4CAQAwDDEKMAgGA1UEAwwBeDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n"
    "BKvxuc7CrI0vYn4r+iusBDtyNqEEL0iCtA7V0IAMV5E0oRs5mVlpfauFJrz4ls5Q\n"
    "beTgBl6A4VTQU7ejk2q/+hmgADAKBggqhkjOPQQDAgNIADBFAiANt4KNCcIS8esA\n"
    "SKGLfVpT5dcx9fKShMGQmshLSnaoggIhAOIuicFMDbg1kmUTFGB0qJgPXNxyRyF+\n"
    "mAnNs50ZNJ1U\n"
    "-----END CERTIFICATE REQUEST-----\n";

std::string with_der(const std::string& type, const std::string& der) {
  return "-----BEGIN " + type + "-----\n" + machinery::base64_encode(der) + "\n-----END " + type + "-----\n";
}

TEST(CsrPem, AcceptsASignedRequest) {
  EXPECT_EQ(csr_pem_error(kCsr), std::nullopt);
  EXPECT_EQ(csr_pem_error(std::string("junk before\n") + kCsr), std::nullopt);  // pem.Decode skips it
}

TEST(CsrPem, RejectsOtherBlocksAndNonPem) {
  const std::string want = "PEM block type must be CERTIFICATE REQUEST";
  EXPECT_EQ(csr_pem_error(""), want);
  EXPECT_EQ(csr_pem_error("hello"), want);
  std::string cert = kCsr;
  cert.replace(cert.find("CERTIFICATE REQUEST"), 19, "CERTIFICATE");
  EXPECT_EQ(csr_pem_error(cert), want);  // no matching END line: no block at all
}

TEST(CsrPem, RejectsABadSignature) {
  auto pem = pem_decode(kCsr);
  ASSERT_TRUE(pem);
  std::string der = pem->bytes;
  size_t cn = der.find("\x0c\x01x");  // the UTF8String "x" of the subject
  ASSERT_NE(cn, std::string::npos);
  der[cn + 2] = 'y';
  EXPECT_EQ(csr_pem_error(with_der("CERTIFICATE REQUEST", der)), "x509: ECDSA verification failure");
}

TEST(CertificatePem, ChecksEveryBlock) {
  EXPECT_EQ(certificate_pem_error(""), std::nullopt);
  EXPECT_EQ(certificate_pem_error("text"), "must contain at least one CERTIFICATE PEM block");
  EXPECT_EQ(certificate_pem_error(kCsr), "only CERTIFICATE PEM blocks are allowed, found \"CERTIFICATE REQUEST\"");
}

}  // namespace
}  // namespace kapi::tls
