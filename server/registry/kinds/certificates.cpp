// certificates.k8s.io/v1 CertificateSigningRequest (pkg/registry/certificates/certificates,
// pkg/apis/certificates/validation, pkg/apis/core/validation ValidateSignerName, printers.go).
// No signer runs here (kube-controller-manager signs): an approved request stays unissued.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "pkg/machinery/base64.h"
#include "pkg/machinery/duration.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/names.h"
#include "pkg/tls/csr.h"
#include "server/registry/json_access.h"
#include "server/registry/kinds/kinds.h"

namespace kapi::server {
namespace {

using runtime::StatusCause;

std::string str(const Json& o, const char* k) { return str_at(o, k); }
std::string go_quote(const std::string& s) { return machinery::gofmt::quote(s); }

const std::set<std::string>& valid_usages() {
  static const std::set<std::string> v = {
      "signing", "digital signature", "content commitment", "key encipherment", "key agreement",
      "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any",
      "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system",
      "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc"};
  return v;
}

// A []byte field's bytes (JSON carries base64); nullopt when absent or null.
std::optional<std::string> bytes_of(const Json& o, const char* k) {
  auto it = o.find(k);
  if (it == o.end() || !it->is_string()) return std::nullopt;
  return machinery::base64_decode(it->get<std::string>()).value_or("");
}

// Go's %#v of a []byte, as field.Invalid prints spec.request.
std::string go_bytes(const std::optional<std::string>& b) {
  if (!b) return "[]byte(nil)";
  std::string out = "[]byte{";
  char buf[8];
  for (size_t i = 0; i < b->size(); ++i) {
    std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned char>((*b)[i]));
    out += (i ? ", " : "") + std::string(buf);
  }
  return out + "}";
}

const Json& conditions_of(const Json& obj) { return arr_at(obj_at(obj, "status"), "conditions"); }

std::vector<Json> find_conditions(const Json& obj, const std::string& type) {
  std::vector<Json> out;
  for (const auto& c : conditions_of(obj))
    if (c.is_object() && str(c, "type") == type) out.push_back(c);
  return out;
}

// validation.ValidateSignerName.
void validate_signer_name(const std::string& name, std::vector<StatusCause>& out) {
  const std::string path = "spec.signerName";
  if (name.empty()) {
    out.push_back(runtime::field_required(path));
    return;
  }
  if (std::count(name.begin(), name.end(), '/') != 1) {
    out.push_back(runtime::field_invalid(path, go_quote(name), "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
    return;
  }
  std::string domain = name.substr(0, name.find('/')), rest = name.substr(name.find('/') + 1);
  if (domain.size() > 253) out.push_back(runtime::field_too_long(path, "", 253));
  std::vector<std::string> labels;
  for (size_t from = 0;;) {
    size_t dot = domain.find('.', from);
    labels.push_back(domain.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  for (const auto& l : labels) {
    auto errs = machinery::is_dns1123_label(l);
    for (const auto& e : errs) out.push_back(runtime::field_invalid(path, go_quote(domain), "validating label " + go_quote(l) + ": " + e));
    if (!errs.empty()) break;
  }
  if (labels.size() < 2)
    out.push_back(runtime::field_invalid(path, go_quote(domain), "should be a domain with at least two segments separated by dots"));
  for (size_t from = 0;;) {
    size_t dot = rest.find('.', from);
    std::string l = rest.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    auto errs = machinery::is_dns1123_subdomain(l);
    for (const auto& e : errs) out.push_back(runtime::field_invalid(path, go_quote(rest), "validating label " + go_quote(l) + ": " + e));
    if (!errs.empty() || dot == std::string::npos) break;
    from = dot + 1;
  }
  if (name.size() > 253 + 253 + 63 + 1 + 1) out.push_back(runtime::field_too_long(path, "", 571));
}

// The tolerances getValidationOptions grants for problems already stored in the old object.
struct Options {
  bool approval_conditions = false, set_certificate = false, both_approved_and_denied = false;
  bool legacy_signer = false, duplicate_condition_types = false, empty_condition_type = false;
  bool arbitrary_certificate = false, unknown_usages = false, duplicate_usages = false;
};

Options options_for(const Json& obj, const Json* old) {
  Options o;
  if (!old) return o;
  bool approved = false, denied = false, empty_type = false, dup_type = false;
  std::set<std::string> types;
  for (const auto& c : conditions_of(*old)) {
    std::string t = c.is_object() ? str(c, "type") : "";
    approved |= t == "Approved";
    denied |= t == "Denied";
    empty_type |= t.empty();
    dup_type |= !types.insert(t).second;
  }
  o.both_approved_and_denied = approved && denied;
  o.legacy_signer = str(obj_at(*old, "spec"), "signerName") == "kubernetes.io/legacy-unknown";
  o.duplicate_condition_types = dup_type;
  o.empty_condition_type = empty_type;
  auto old_cert = bytes_of(obj_at(*old, "status"), "certificate").value_or("");
  o.arbitrary_certificate = bytes_of(obj_at(obj, "status"), "certificate").value_or("") == old_cert ||
                            tls::certificate_pem_error(old_cert).has_value();
  std::set<std::string> usages;
  for (const auto& u : arr_at(obj_at(*old, "spec"), "usages")) {
    std::string s = u.is_string() ? u.get<std::string>() : "";
    o.unknown_usages |= !valid_usages().count(s);
    o.duplicate_usages |= !usages.insert(s).second;
  }
  return o;
}

// validateCertificateSigningRequest (the object metadata is checked by the store).
std::vector<StatusCause> validate_csr(const Json& obj, const Options& o) {
  std::vector<StatusCause> out;
  const Json& spec = obj_at(obj, "spec");
  auto request = bytes_of(spec, "request");
  if (auto err = tls::csr_pem_error(request.value_or("")))
    out.push_back(runtime::field_invalid("spec.request", go_bytes(request), *err));
  const Json& usages = arr_at(spec, "usages");
  if (usages.empty()) out.push_back(runtime::field_required("spec.usages"));
  std::vector<std::string> valid(valid_usages().begin(), valid_usages().end());
  for (size_t i = 0; i < usages.size() && !o.unknown_usages; ++i) {
    std::string u = usages[i].is_string() ? usages[i].get<std::string>() : "";
    if (!valid_usages().count(u))
      out.push_back(runtime::field_unsupported("spec.usages[" + std::to_string(i) + "]", go_quote(u), valid));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < usages.size() && !o.duplicate_usages; ++i) {
    std::string u = usages[i].is_string() ? usages[i].get<std::string>() : "";
    if (!seen.insert(u).second) out.push_back(runtime::field_duplicate("spec.usages[" + std::to_string(i) + "]", go_quote(u)));
  }
  std::string signer = str(spec, "signerName");
  if (!o.legacy_signer && signer == "kubernetes.io/legacy-unknown")
    out.push_back(runtime::field_invalid("spec.signerName", go_quote(signer), "the legacy signerName is not allowed via this API version"));
  else
    validate_signer_name(signer, out);
  if (spec.contains("expirationSeconds") && spec["expirationSeconds"].is_number_integer() &&
      spec["expirationSeconds"].get<long long>() < 600)
    out.push_back(runtime::field_invalid("spec.expirationSeconds", std::to_string(spec["expirationSeconds"].get<long long>()),
                                         "may not specify a duration less than 600 seconds (10 minutes)"));
  // validateConditions.
  const Json& conds = conditions_of(obj);
  std::set<std::string> types;
  bool approved = false, denied = false;
  for (size_t i = 0; i < conds.size(); ++i) {
    std::string p = "status.conditions[" + std::to_string(i) + "]";
    std::string type = str(conds[i], "type"), status = str(conds[i], "status");
    if (!o.empty_condition_type && type.empty()) out.push_back(runtime::field_required(p + ".type"));
    bool true_only = type == "Approved" || type == "Denied" || type == "Failed";
    if (status.empty()) out.push_back(runtime::field_required(p + ".status"));
    else if (true_only ? status != "True" : (status != "True" && status != "False" && status != "Unknown"))
      out.push_back(runtime::field_unsupported(p + ".status", go_quote(status),
                                               true_only ? std::vector<std::string>{"True"}
                                                         : std::vector<std::string>{"False", "True", "Unknown"}));
    if (!o.both_approved_and_denied) {
      if ((type == "Approved" && denied) || (type == "Denied" && approved))
        out.push_back(runtime::field_invalid(p + ".type", go_quote(type), "Approved and Denied conditions are mutually exclusive"));
      approved |= type == "Approved";
      denied |= type == "Denied";
    }
    if (!o.duplicate_condition_types && !types.insert(type).second)
      out.push_back(runtime::field_duplicate(p + ".type", go_quote(type)));
  }
  if (!o.arbitrary_certificate)
    if (auto err = tls::certificate_pem_error(bytes_of(obj_at(obj, "status"), "certificate").value_or("")))
      out.push_back(runtime::field_invalid("status.certificate", go_quote("<certificate data>"), *err));
  return out;
}

// validateCertificateSigningRequestUpdate.
std::vector<StatusCause> validate_csr_update(const Json& obj, const Json& old, const Options& o) {
  auto out = validate_csr(obj, o);
  for (const char* t : {"Approved", "Denied", "Failed"})
    if (find_conditions(obj, t).size() < find_conditions(old, t).size())
      out.push_back(runtime::field_forbidden("status.conditions", std::string("updates may not remove a condition of type \"") + t + "\""));
  if (!o.approval_conditions) {
    for (const char* t : {"Approved", "Denied"}) {
      auto a = find_conditions(old, t), b = find_conditions(obj, t);
      if (b.size() > a.size())
        out.push_back(runtime::field_forbidden("status.conditions", std::string("updates may not add a condition of type \"") + t + "\""));
      else if (b.size() == a.size() && a != b)
        // Upstream appends a go-cmp diff of the conditions after a newline.
        out.push_back(runtime::field_forbidden("status.conditions", std::string("updates may not modify a condition of type \"") + t + "\"\n"));
    }
  }
  auto new_cert = bytes_of(obj_at(obj, "status"), "certificate").value_or("");
  auto old_cert = bytes_of(obj_at(old, "status"), "certificate").value_or("");
  if (new_cert != old_cert) {
    if (!o.set_certificate)
      out.push_back(runtime::field_forbidden("status.certificate", "updates may not set certificate content"));
    else if (!old_cert.empty())
      out.push_back(runtime::field_forbidden("status.certificate", "updates may not modify existing certificate content"));
  }
  return out;
}

std::string now_rfc3339() {
  return machinery::format_rfc3339(std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
}

bool time_unset(const Json& c, const char* k) { return str(c, k).empty(); }

// populateConditionTimestamps: a missing lastUpdateTime is now; a missing lastTransitionTime is
// the old one of a condition with the same type and status, else now.
void populate_condition_timestamps(Json& obj, const Json& old) {
  if (!obj.contains("status") || !obj["status"].is_object() || !obj["status"].contains("conditions") ||
      !obj["status"]["conditions"].is_array())
    return;
  std::string now = now_rfc3339();
  for (auto& c : obj["status"]["conditions"]) {
    if (!c.is_object()) continue;
    if (time_unset(c, "lastUpdateTime")) c["lastUpdateTime"] = now;
    if (time_unset(c, "lastTransitionTime")) {
      std::string t = now;
      for (const auto& oc : conditions_of(old))
        if (str(oc, "type") == str(c, "type") && str(oc, "status") == str(c, "status") && !time_unset(oc, "lastTransitionTime")) {
          t = str(oc, "lastTransitionTime");
          break;
        }
      c["lastTransitionTime"] = t;
    }
  }
}

// preserveConditionInstances: the old instances of `type`, when their count is unchanged.
void preserve_condition_instances(Json& obj, const Json& old, const std::string& type) {
  std::vector<size_t> oi, ni;
  const Json& oc = conditions_of(old);
  for (size_t i = 0; i < oc.size(); ++i)
    if (str(oc[i], "type") == type) oi.push_back(i);
  const Json& nc = conditions_of(obj);
  for (size_t i = 0; i < nc.size(); ++i)
    if (str(nc[i], "type") == type) ni.push_back(i);
  if (oi.size() != ni.size()) return;
  for (size_t i = 0; i < oi.size(); ++i) obj["status"]["conditions"][ni[i]] = oc[oi[i]];
}

class CsrStrategy : public Strategy {
 public:
  bool has_status() const override { return true; }
  // PrepareForCreate: the requesting user, never the client's claim; no status.
  void prepare_create_as(Json& obj, const UserInfo& user) const override {
    Json& spec = obj["spec"];
    if (!spec.is_object()) spec = Json::object();
    for (const char* k : {"username", "uid", "groups", "extra"}) spec.erase(k);
    if (!user.name.empty()) spec["username"] = user.name;
    if (!user.uid.empty()) spec["uid"] = user.uid;
    if (!user.groups.empty()) spec["groups"] = user.groups;
    obj["status"] = Json::object();
  }
  // Requests are immutable except through /status and /approval.
  void prepare_update(Json& obj, const Json& old) const override {
    obj["spec"] = obj_at(old, "spec");
    if (old.contains("status")) obj["status"] = old["status"];
    else obj.erase("status");
  }
  void prepare_status_update(Json& obj, const Json& old) const override {
    Strategy::prepare_status_update(obj, old);
    preserve_condition_instances(obj, old, "Approved");
    preserve_condition_instances(obj, old, "Denied");
    populate_condition_timestamps(obj, old);
  }
  // /approval changes the conditions only.
  void prepare_subresource_update(const std::string& sub, Json& obj, const Json& old) const override {
    if (sub != "approval") return;
    populate_condition_timestamps(obj, old);
    Json conds = conditions_of(obj);
    Json rv = obj["metadata"].value("resourceVersion", Json(""));
    obj = old;
    obj["metadata"]["resourceVersion"] = rv;
    if (!obj.contains("status") || !obj["status"].is_object()) obj["status"] = Json::object();
    if (conds.empty()) obj["status"].erase("conditions");
    else obj["status"]["conditions"] = conds;
  }
  std::vector<StatusCause> validate(const Json& obj) const override { return validate_csr(obj, options_for(obj, nullptr)); }
  std::vector<StatusCause> validate_update(const Json& obj, const Json& old) const override {
    return validate_csr_update(obj, old, options_for(obj, &old));
  }
  std::vector<StatusCause> validate_subresource_update(const std::string& sub, const Json& obj, const Json& old) const override {
    Options o = options_for(obj, &old);
    o.set_certificate = sub == "status";
    o.approval_conditions = sub == "approval";
    return validate_csr_update(obj, old, o);
  }
  // plugin/pkg/admission/certificates/subjectrestriction: no system:masters client certificates
  // through the built-in client signer.
  std::string create_denial(const Json& obj) const override {
    const Json& spec = obj_at(obj, "spec");
    const std::string signer = str(spec, "signerName");
    if (signer != "kubernetes.io/kube-apiserver-client") return "";
    std::string error;
    auto cr = tls::parse_csr(bytes_of(spec, "request").value_or(""), &error);
    if (!cr) return "failed to parse CSR: " + error;
    for (const auto& o : cr->organization)
      if (o == "system:masters") return "use of " + signer + " signer with system:masters group is not allowed";
    return "";
  }
  void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const override {
    out.emplace_back("spec.signerName", str(obj_at(obj, "spec"), "signerName"));
  }
  std::vector<TableColumn> columns() const override {
    return {name_column(), age_column(),
            {"SignerName", "string", "", "Requested signer for the request.", 0},
            {"Requestor", "string", "", "Base64-encoded PKCS#10 CSR data", 0},
            {"RequestedDuration", "string", "", "expirationSeconds is the requested duration of validity of the issued certificate.", 0},
            {"Condition", "string", "", "Conditions applied to the request, such as approval or denial.", 0}};
  }
  // printCertificateSigningRequest / extractCSRStatus.
  Json row(const Json& o) const override {
    const Json& spec = obj_at(o, "spec");
    bool approved = false, denied = false, failed = false;
    for (const auto& c : conditions_of(o)) {
      std::string t = str(c, "type");
      approved |= t == "Approved";
      denied |= t == "Denied";
      failed |= t == "Failed";
    }
    std::string status = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) status += ",Failed";
    if (!bytes_of(obj_at(o, "status"), "certificate").value_or("").empty()) status += ",Issued";
    std::string signer = str(spec, "signerName");
    std::string duration = "<none>";
    if (spec.contains("expirationSeconds") && spec["expirationSeconds"].is_number_integer())
      duration = machinery::human_duration(std::chrono::seconds(spec["expirationSeconds"].get<long long>()));
    return Json::array({o["metadata"].value("name", ""), age_cell(o), signer.empty() ? "<none>" : signer,
                        str(spec, "username"), duration, status});
  }
};

}  // namespace

const Strategy* certificates_strategy(const std::string& resource) {
  static CsrStrategy csr;
  return resource == "certificatesigningrequests" ? &csr : nullptr;
}

}  // namespace kapi::server
