#pragma once
// Checks of the PEM data a CertificateSigningRequest carries, with the error texts of Go's
// encoding/pem and crypto/x509 as kube-apiserver reports them (pkg/apis/certificates).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kapi::tls {

// One PEM block as Go's pem.Decode finds it: the first well-formed block, junk around it skipped.
struct PemBlock {
  std::string type;
  bool has_headers = false;
  std::string bytes;  // the decoded body (DER)
};
// The first block of `data`; `rest` (when given) is what follows it. nullopt: no block.
std::optional<PemBlock> pem_decode(std::string_view data, std::string_view* rest = nullptr);

// certificates.ParseCSR + CheckSignature: nullopt when `pem` is a CERTIFICATE REQUEST whose
// self-signature verifies; else the error text ("PEM block type must be CERTIFICATE REQUEST",
// "x509: ECDSA verification failure", ...).
std::optional<std::string> csr_pem_error(std::string_view pem);

// What Go's x509.ParseCertificateRequest exposes of a request's subject (pkix.Name) and SANs.
struct CsrInfo {
  std::string common_name, serial_number;
  std::vector<std::string> organization, organizational_unit, country, locality, province, street_address,
      postal_code;
  std::vector<std::string> dns_names, email_addresses, uris, ip_addresses;  // IPs as net.IP.String()
};
// The request in `pem` (no signature check); error texts as client-go's csr.ParseCSR.
std::optional<CsrInfo> parse_csr(std::string_view pem, std::string* error);

// validateCertificate of status.certificate: nullopt when empty or a chain of CERTIFICATE blocks.
std::optional<std::string> certificate_pem_error(std::string_view pem);

}  // namespace kapi::tls
