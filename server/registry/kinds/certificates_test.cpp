// CertificateSigningRequest strategy: what create and each update path may change, and the
// validation texts of pkg/apis/certificates/validation.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pkg/machinery/base64.h"
#include "server/registry/resource.h"
#include "server/registry/strategy.h"

namespace kapi::server {
namespace {

const char* kCsr =
    "-----BEGIN CERTIFICATE REQUEST-----\n"
    "MIHGMG4CAQAwDDEKMAgGA1UEAwwBeDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n"
    "BKvxuc7CrI0vYn4r+iusBDtyNqEEL0iCtA7V0IAMV5E0oRs5mVlpfauFJrz4ls5Q\n"
    "beTgBl6A4VTQU7ejk2q/+hmgADAKBggqhkjOPQQDAgNIADBFAiANt4KNCcIS8esA\n"
    "SKGLfVpT5dcx9fKShMGQmshLSnaoggIhAOIuicFMDbg1kmUTFGB0qJgPXNxyRyF+\n"
    "mAnNs50ZNJ1U\n"
    "-----END CERTIFICATE REQUEST-----\n";

const Strategy& csr() { return strategy_for(*find_resource("certificates.k8s.io", "v1", "certificatesigningrequests")); }

std::vector<std::string> texts(const std::vector<runtime::StatusCause>& causes) {
  std::vector<std::string> out;
  for (const auto& c : causes) out.push_back(c.field + ": " + c.message);
  return out;
}

Json valid() {
  return Json::parse(R"({"metadata":{"name":"c"},"spec":{"signerName":"example.com/s","usages":["client auth"],"request":")" +
                     machinery::base64_encode(kCsr) + "\"}}");
}

Json condition(const std::string& type) { return {{"type", type}, {"status", "True"}, {"lastUpdateTime", "2024-01-01T00:00:00Z"}}; }

using V = std::vector<std::string>;

TEST(Csr, CreateRecordsTheUserAndClearsStatus) {
  Json obj = valid();
  obj["spec"]["username"] = "mallory";
  obj["spec"]["extra"] = {{"k", {"v"}}};
  obj["status"] = {{"conditions", {condition("Approved")}}};
  csr().prepare_create_as(obj, UserInfo{"alice", "u1", {"devs", "system:authenticated"}});
  EXPECT_EQ(obj["spec"]["username"], "alice");
  EXPECT_EQ(obj["spec"]["uid"], "u1");
  EXPECT_EQ(obj["spec"]["groups"], Json({"devs", "system:authenticated"}));
  EXPECT_FALSE(obj["spec"].contains("extra"));
  EXPECT_EQ(obj["status"], Json::object());
  EXPECT_TRUE(csr().validate(obj).empty()) << texts(csr().validate(obj))[0];
}

TEST(Csr, ValidationTexts) {
  Json obj = valid();
  obj["spec"]["request"] = machinery::base64_encode("hi");
  obj["spec"]["signerName"] = "kubernetes.io/legacy-unknown";
  obj["spec"]["usages"] = {"any", "nope", "any"};
  obj["spec"]["expirationSeconds"] = 599;
  obj["status"] = {{"conditions", {condition("Approved"), condition("Denied"), condition("Denied"),
                                   {{"type", "Failed"}, {"status", "False"}}, {{"type", ""}}}}};
  V want = {
      "spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST",
      "spec.usages[1]: Unsupported value: \"nope\": supported values: \"any\", \"cert sign\", \"client auth\", "
      "\"code signing\", \"content commitment\", \"crl sign\", \"data encipherment\", \"decipher only\", "
      "\"digital signature\", \"email protection\", \"encipher only\", \"ipsec end system\", \"ipsec tunnel\", "
      "\"ipsec user\", \"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\", \"ocsp signing\", "
      "\"s/mime\", \"server auth\", \"signing\", \"timestamping\"",
      "spec.usages[2]: Duplicate value: \"any\"",
      "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version",
      "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)",
      "status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive",
      "status.conditions[2].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive",
      "status.conditions[2].type: Duplicate value: \"Denied\"",
      "status.conditions[3].status: Unsupported value: \"False\": supported values: \"True\"",
      "status.conditions[4].type: Required value",
      "status.conditions[4].status: Required value",
  };
  EXPECT_EQ(texts(csr().validate(obj)), want);
}

TEST(Csr, SignerNames) {
  auto check = [](const std::string& name) {
    Json obj = valid();
    obj["spec"]["signerName"] = name;
    return texts(csr().validate(obj));
  };
  EXPECT_EQ(check(""), V{"spec.signerName: Required value"});
  EXPECT_EQ(check("a/b/c"), V{"spec.signerName: Invalid value: \"a/b/c\": must be a fully qualified domain and path of the form 'example.com/signer-name'"});
  EXPECT_EQ(check("example/s"), V{"spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots"});
  EXPECT_EQ(check("Ex.com/s")[0].substr(0, 70), "spec.signerName: Invalid value: \"Ex.com\": validating label \"Ex\": a low");
}

TEST(Csr, UpdatePathsChangeOnlyTheirParts) {
  Json old = valid();
  old["spec"]["username"] = "alice";
  old["status"] = Json::object();
  // The resource itself: spec and status stay.
  Json upd = old;
  upd["spec"]["usages"] = {"server auth"};
  upd["status"] = {{"conditions", {condition("Approved")}}};
  csr().prepare_update(upd, old);
  EXPECT_EQ(upd["spec"], old["spec"]);
  EXPECT_EQ(upd["status"], Json::object());
  // /approval: conditions only; timestamps filled in.
  Json appr = old;
  appr["spec"]["username"] = "bob";
  appr["status"] = {{"conditions", {{{"type", "Approved"}, {"status", "True"}}}}};
  csr().prepare_subresource_update("approval", appr, old);
  EXPECT_EQ(appr["spec"]["username"], "alice");
  EXPECT_TRUE(appr["status"]["conditions"][0].contains("lastUpdateTime"));
  EXPECT_TRUE(appr["status"]["conditions"][0].contains("lastTransitionTime"));
  EXPECT_TRUE(csr().validate_subresource_update("approval", appr, old).empty());
  // The same change through /status or the resource is forbidden.
  EXPECT_EQ(texts(csr().validate_subresource_update("status", appr, old)),
            V{"status.conditions: Forbidden: updates may not add a condition of type \"Approved\""});
  EXPECT_EQ(texts(csr().validate_subresource_update("", appr, old)),
            V{"status.conditions: Forbidden: updates may not add a condition of type \"Approved\""});
  // Removing Approved is forbidden everywhere; so is a certificate through /approval.
  Json none = appr;
  none["status"].erase("conditions");
  EXPECT_EQ(texts(csr().validate_subresource_update("approval", none, appr)),
            V{"status.conditions: Forbidden: updates may not remove a condition of type \"Approved\""});
  Json cert = appr;
  cert["status"]["certificate"] = machinery::base64_encode("x");
  EXPECT_EQ(texts(csr().validate_subresource_update("approval", cert, appr)),
            (V{"status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block",
               "status.certificate: Forbidden: updates may not set certificate content"}));
  // /status keeps the approval conditions as they were.
  Json st = appr;
  st["status"]["conditions"][0]["reason"] = "Changed";
  csr().prepare_status_update(st, appr);
  EXPECT_EQ(st["status"]["conditions"], appr["status"]["conditions"]);
}

TEST(Csr, TableRow) {
  Json obj = valid();
  obj["metadata"]["creationTimestamp"] = "2024-01-01T00:00:00Z";
  obj["spec"]["username"] = "alice";
  obj["spec"]["expirationSeconds"] = 7200;
  auto row = [&] { return csr().row(obj); };
  EXPECT_EQ(row()[2], "example.com/s");
  EXPECT_EQ(row()[3], "alice");
  EXPECT_EQ(row()[4], "120m");
  EXPECT_EQ(row()[5], "Pending");
  obj["status"] = {{"conditions", {condition("Approved"), condition("Failed")}}, {"certificate", "eA=="}};
  EXPECT_EQ(row()[5], "Approved,Failed,Issued");
  obj["status"]["conditions"] = {condition("Denied")};
  obj["status"].erase("certificate");
  obj["spec"].erase("signerName");
  obj["spec"].erase("expirationSeconds");
  EXPECT_EQ(row()[5], "Denied");
  EXPECT_EQ(row()[2], "<none>");
  EXPECT_EQ(row()[4], "<none>");
}

}  // namespace
}  // namespace kapi::server
