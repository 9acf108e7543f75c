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

// openssl req ... -subj "/CN=system:node:n1/O=system:nodes/O=second/OU=ou1/C=DE/L=Berlin/ST=BE/serialNumber=42"
//   -addext "subjectAltName=DNS:n1.example,IP:10.0.0.1,IP:fd00::1,email:a@b.c,URI:spiffe://x/y"
TEST(ParseCsr, SubjectAndAlternativeNames) {
  const char* pem =
      "-----BEGIN CERTIFICATE REQUEST-----\n"
      "MIIBmTCCAT8CAQAwgYcxFzAVBgNVBAMMDnN5c3RlbTpub2RlOm4xMRUwEwYDVQQK\n"
      "DAxzeXN0ZW06bm9kZXMxDzANBgNVBAoMBnNlY29uZDEMMAoGA1UECwwDb3UxMQsw\n"
      "CQYDVQQGEwJERTEPMA0GA1UEBwwGQmVybGluMQswCQYDVQQIDAJCRTELMAkGA1UE\n"
      "BRMCNDIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASc6Hc0mLGejSKbNzThYxO3\n"
      "NQt91RQyQSuGsQhDzqYJl11yg3b7KEpdWdH+F4qm0cji4NliZhOojYvieiw3ze0x\n"
      "oFUwUwYJKoZIhvcNAQkOMUYwRDBCBgNVHREEOzA5ggpuMS5leGFtcGxlhwQKAAAB\n"
      "hxD9AAAAAAAAAAAAAAAAAAABgQVhQGIuY4YMc3BpZmZlOi8veC95MAoGCCqGSM49\n"
      "BAMCA0gAMEUCICQb6yp37QTaVhjaxV/j/ZZj3K6g4UhjimzAjydmPR7kAiEA51I1\n"
      "di+yAypVBpolwtYFOw7v8QtR/DSc5Gd5C3UCSsA=\n"
      "-----END CERTIFICATE REQUEST-----\n";
  std::string err;
  auto info = parse_csr(pem, &err);
  ASSERT_TRUE(info) << err;
  EXPECT_EQ(info->common_name, "system:node:n1");
  EXPECT_EQ(info->serial_number, "42");
  EXPECT_EQ(info->organization, (std::vector<std::string>{"system:nodes", "second"}));
  EXPECT_EQ(info->organizational_unit, std::vector<std::string>{"ou1"});
  EXPECT_EQ(info->province, std::vector<std::string>{"BE"});
  EXPECT_EQ(info->dns_names, std::vector<std::string>{"n1.example"});
  EXPECT_EQ(info->email_addresses, std::vector<std::string>{"a@b.c"});
  EXPECT_EQ(info->uris, std::vector<std::string>{"spiffe://x/y"});
  EXPECT_EQ(info->ip_addresses, (std::vector<std::string>{"10.0.0.1", "fd00::1"}));
  EXPECT_EQ(csr_pem_error(pem), std::nullopt);
  EXPECT_FALSE(parse_csr("x", &err));
  EXPECT_EQ(err, "PEM block type must be CERTIFICATE REQUEST");
}

}  // namespace
}  // namespace kapi::tls
