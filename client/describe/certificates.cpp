// CertificateSigningRequest describer (describe.go CertificateSigningRequestDescriber): the
// request's metadata, signer and duration, the CONDITION text, and the subject and SANs parsed
// out of spec.request.
#include <nlohmann/json.hpp>

#include <chrono>

#include "client/describe/common.h"
#include "client/describe/describer.h"
#include "pkg/machinery/base64.h"
#include "pkg/machinery/duration.h"
#include "pkg/tls/csr.h"

namespace kapi::client::describe {
namespace {

// extractCSRStatus.
std::string csr_status(const Json& csr) {
  bool approved = false, denied = false, failed = false;
  for (const auto& c : items(path(csr, {"status", "conditions"}))) {
    std::string t = str(c, "type");
    approved |= t == "Approved";
    denied |= t == "Denied";
    failed |= t == "Failed";
  }
  std::string s = denied ? "Denied" : approved ? "Approved" : "Pending";
  if (failed) s += ",Failed";
  if (!str(at(csr, "status"), "certificate").empty()) s += ",Issued";
  return s;
}

// printListHelper: "name:\tv1\n<prefix>\tv2..." (nothing for an empty list).
void list_helper(PrefixWriter& w, const std::string& name, const std::vector<std::string>& values) {
  if (values.empty()) return;
  std::string text = "\t" + name + ":\t";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? "\n\t\t" : "") + values[i];
  w.write(kLevel0, text + "\n");
}

}  // namespace

Result<std::string> describe_certificate_signing_request(Describe& d, const Json& csr) {
  const Json& spec = at(csr, "spec");
  std::string request = machinery::base64_decode(str(spec, "request")).value_or("");
  std::string error;
  auto cr = tls::parse_csr(request, &error);
  if (!cr) return CmdError::msg("Error parsing CSR: " + error);
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(csr, "CertificateSigningRequest");
  TabbedWriter w;
  const Json& meta = at(csr, "metadata");
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Labels:\t" + format_labels(at(meta, "labels")) + "\n");
  w.write(kLevel0, "Annotations:\t" + format_labels(at(meta, "annotations")) + "\n");
  w.write(kLevel0, "CreationTimestamp:\t" + rfc1123z(at(meta, "creationTimestamp")) + "\n");
  w.write(kLevel0, "Requesting User:\t" + str(spec, "username") + "\n");
  if (!str(spec, "signerName").empty()) w.write(kLevel0, "Signer:\t" + str(spec, "signerName") + "\n");
  if (has(spec, "expirationSeconds"))
    w.write(kLevel0, "Requested Duration:\t" +
                         machinery::human_duration(std::chrono::seconds(num(spec, "expirationSeconds"))) + "\n");
  w.write(kLevel0, "Status:\t" + csr_status(csr) + "\n");
  w.write(kLevel0, "Subject:\n");
  w.write(kLevel0, "\tCommon Name:\t" + cr->common_name + "\n");
  w.write(kLevel0, "\tSerial Number:\t" + cr->serial_number + "\n");
  list_helper(w, "Organization", cr->organization);
  list_helper(w, "Organizational Unit", cr->organizational_unit);
  list_helper(w, "Country", cr->country);
  list_helper(w, "Locality", cr->locality);
  list_helper(w, "Province", cr->province);
  list_helper(w, "StreetAddress", cr->street_address);
  list_helper(w, "PostalCode", cr->postal_code);
  if (cr->dns_names.size() + cr->email_addresses.size() + cr->ip_addresses.size() + cr->uris.size() > 0) {
    w.write(kLevel0, "Subject Alternative Names:\n");
    list_helper(w, "DNS Names", cr->dns_names);
    list_helper(w, "Email Addresses", cr->email_addresses);
    list_helper(w, "URIs", cr->uris);
    list_helper(w, "IP Addresses", cr->ip_addresses);
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
