// `kapi certificate approve|deny (-f FILE | NAME...)` (kubectl pkg/cmd/certificates): each CSR
// is fetched, gets an Approved or Denied condition unless it has one, and is PUT to its
// /approval subresource; the object as fetched is printed ("... approved").
#include <nlohmann/json.hpp>

#include <ctime>

#include "client/cmd/command.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/print_flags.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

struct Decision {
  const char* operation;       // "approved"
  const char* type;            // the condition added
  const char* conflicting;     // a condition that makes it an error
  const char* reason;
  const char* message;
};

const Decision kApprove = {"approved", "Approved", "Denied", "KubectlApprove",
                           "This CSR was approved by kubectl certificate approve."};
const Decision kDeny = {"denied", "Denied", "Approved", "KubectlDeny", "This CSR was denied by kubectl certificate deny."};

// metav1.Now() as JSON writes it: RFC 3339 seconds in UTC.
std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// addConditionIfNeeded: whether the CSR already has the condition; an error if it has the
// conflicting one.
Result<bool> add_condition_if_needed(Json& csr, const Decision& d) {
  bool has = false;
  const std::string name = csr["metadata"].value("name", "");
  if (csr.contains("status") && csr["status"].is_object() && csr["status"].contains("conditions") &&
      csr["status"]["conditions"].is_array()) {
    for (const auto& c : csr["status"]["conditions"]) {
      std::string type = c.is_object() ? c.value("type", "") : "";
      if (type == d.conflicting)
        return CmdError::msg("certificate signing request \"" + name + "\" is already " + type);
      has |= type == d.type;
    }
  }
  if (has) return true;
  if (!csr.contains("status") || !csr["status"].is_object()) csr["status"] = Json::object();
  if (!csr["status"].contains("conditions") || !csr["status"]["conditions"].is_array())
    csr["status"]["conditions"] = Json::array();
  csr["status"]["conditions"].push_back(
      {{"type", d.type}, {"status", "True"}, {"reason", d.reason}, {"message", d.message}, {"lastUpdateTime", now_utc()}});
  return false;
}

std::optional<CmdError> decide(Session& s, ObjectInfo& info, const Decision& d, bool force) {
  const auto& r = info.mapping.resource;
  if (r.kind != "CertificateSigningRequest" || r.group != "certificates.k8s.io")
    return CmdError::msg("can only handle CertificateSigningRequest.certificates.k8s.io objects, got " + r.kind +
                         (r.group.empty() ? "" : "." + r.group));
  const std::string base = "/apis/certificates.k8s.io/v1/certificatesigningrequests/" + info.name;
  for (int i = 0;; ++i) {
    // The typed client's own GET of the v1 object.
    auto got = s.client->get(base, kJsonAccept);
    if (!got.ok()) return got.error();
    if (got->status == 404)
      return CmdError::msg("could not find v1 version of " + info.name + ": " +
                           status_error_from_response(got->status, got->body, "get", "certificatesigningrequests.certificates.k8s.io", info.name).message);
    if (got->status >= 400)
      return status_error_from_response(got->status, got->body, "get", "certificatesigningrequests.certificates.k8s.io", info.name);
    Json csr = Json::parse(got->body, nullptr, false);
    if (!csr.is_object()) return CmdError::msg("unable to decode the certificate signing request");
    auto has = add_condition_if_needed(csr, d);
    if (!has.ok()) return has.error();
    if (*has && !force) break;
    auto put = s.client->send("PUT", base + "/approval", "application/json", csr.dump());
    if (!put.ok()) return put.error();
    if (put->status == 409 && i < 10) {
      // info.Get(): the printed object is the latest one.
      auto again = s.client->get(ResourceBuilder::path_for(info.mapping, "", info.name), kJsonAccept);
      if (!again.ok()) return again.error();
      if (again->status >= 400)
        return status_error_from_response(again->status, again->body, "get", "certificatesigningrequests.certificates.k8s.io", info.name);
      *info.object = Json::parse(again->body, nullptr, false);
      continue;
    }
    if (put->status >= 400)
      return status_error_from_response(put->status, put->body, "update", "certificatesigningrequests.certificates.k8s.io", info.name);
    break;
  }
  return print_with_flags(s.env.flags, d.operation, *info.object, s.env.out);
}

int run_decision(CommandEnv& env, const Decision& d) {
  const FlagSet& f = env.flags;
  if (env.args.empty() && f.get_strings("filename").empty() && f.get_string("kustomize").empty())
    return report_error(env.out, CmdError::msg("one or more CSRs must be specified as <name> or -f <filename>"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  VisitOptions vo;
  if (!env.args.empty()) {
    vo.args = {"certificatesigningrequests"};
    vo.args.insert(vo.args.end(), env.args.begin(), env.args.end());
  }
  vo.latest = true;
  std::vector<CmdError> errs;
  int found = 0;
  bool force = f.get_bool("force");
  auto fatal = visit_objects(s, vo, [&](ObjectInfo& info) -> std::optional<CmdError> {
    auto err = decide(s, info, d, force);
    if (!err) ++found;
    return err;
  }, errs);
  if (fatal) return report_error(env.out, *fatal);
  if (found == 0 && errs.empty()) env.out += "No resources found\n";
  return report_errors(env.out, errs);
}

}  // namespace

void add_certificate_flags(FlagSet& f) {
  add_file_flags(f);
  add_print_flags(f);
  f.add_bool("force", 0, false);
}

int run_certificate_approve(CommandEnv& env) { return run_decision(env, kApprove); }
int run_certificate_deny(CommandEnv& env) { return run_decision(env, kDeny); }

}  // namespace kapi::client
