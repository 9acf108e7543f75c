// client-go's exec authenticator (plugin/pkg/client/auth/exec): the ExecCredential request and
// the interpretation of a plugin's answer, with upstream's error texts (checked against
// kubectl 1.33).
#include "client/exec_plugin.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace kapi::client {
namespace {

const std::string kV1 = "client.authentication.k8s.io/v1";

std::string decode_error(const std::string& out, const std::string& version = kV1) {
  auto r = decode_exec_output(out, version);
  return r.ok() ? "(ok)" : r.error().message;
}

TEST(ExecPlugin, RequestJson) {
  ExecProvider p;
  p.config.api_version = kV1;
  EXPECT_EQ(exec_info_json(p, false),
            "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false}}\n");
  p.config.provide_cluster_info = true;
  p.cluster.server = "https://127.0.0.1:6443";
  p.cluster.ca_data = "CA";
  p.cluster.tls_server_name = "kapi";
  EXPECT_EQ(exec_info_json(p, true),
            "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"cluster\":"
            "{\"server\":\"https://127.0.0.1:6443\",\"tls-server-name\":\"kapi\",\"certificate-authority-data\":\"Q0E=\","
            "\"config\":null},\"interactive\":true}}\n");
}

TEST(ExecPlugin, ApiVersionCheck) {
  ExecProvider p;
  p.config.api_version = "client.authentication.k8s.io/v1beta1";
  EXPECT_FALSE(check_exec_api_version(p));
  p.config.api_version = "client.authentication.k8s.io/v2";
  ASSERT_TRUE(check_exec_api_version(p));
  EXPECT_EQ(check_exec_api_version(p)->message, "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v2\"");
}

TEST(ExecPlugin, DecodesTokensJsonAndYaml) {
  auto r = decode_exec_output("{\"apiVersion\":\"" + kV1 + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\",\"x\":1}}", kV1);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->token, "t");
  auto y = decode_exec_output("apiVersion: " + kV1 + "\nkind: ExecCredential\nstatus: {token: yt}\n", kV1);
  ASSERT_TRUE(y.ok()) << y.error().message;
  EXPECT_EQ(y->token, "yt");
  // Without kind the decoder's default (ExecCredential) applies.
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{\"token\":\"t\"}}"), "(ok)");
}

TEST(ExecPlugin, DecodeErrorsAsKubectl) {
  const std::string internal =
      "exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version "
      "client.authentication.k8s.io/__internal";
  EXPECT_EQ(decode_error(""), internal);
  EXPECT_EQ(decode_error("null"), internal);
  EXPECT_EQ(decode_error("{\"kind\":\"ExecCredential\"}"), internal);
  EXPECT_EQ(decode_error("[1]"),
            "decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value "
            "of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
            "\"json:\\\"kind,omitempty\\\"\" }");
  EXPECT_EQ(decode_error("not json"),
            "decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value "
            "of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
            "\"json:\\\"kind,omitempty\\\"\" }");
  EXPECT_EQ(decode_error("{\"a\":"), "decoding stdout: couldn't get version/kind; json parse error: unexpected end of JSON input");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"kind\":\"Foo\"}"),
            "decoding stdout: no kind \"Foo\" is registered for version \"client.authentication.k8s.io/v1\" in scheme "
            "\"pkg/client/auth/exec/exec.go:62\"");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}"),
            "exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version "
            "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\"}"), "exec plugin didn't return a status field");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{}}"), "exec plugin didn't return a token or cert/key pair");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{\"token\":5}}"),
            "decoding stdout: json: cannot unmarshal number into Go struct field ExecCredentialStatus.status.token of type string");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"bad\"}}"),
            "decoding stdout: parsing time \"bad\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"bad\" as \"2006\"");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{\"clientCertificateData\":\"x\"}}"),
            "exec plugin returned only certificate or key, not both");
  EXPECT_EQ(decode_error("{\"apiVersion\":\"" + kV1 + "\",\"status\":{\"clientCertificateData\":\"x\",\"clientKeyData\":\"y\"}}"),
            "failed parsing client key/certificate: tls: failed to find any PEM data in certificate input");
}

TEST(ExecPlugin, RunsThePluginWithEnvAndArgs) {
  auto dir = std::filesystem::temp_directory_path() / ("kapi-exec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string script = (dir / "plugin.sh").string();
  {
    std::ofstream f(script);
    f << "#!/bin/sh\n"
         "[ \"$1\" = fail ] && exit 7\n"
         "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"%s-%s\"}}' \"$FOO\" \"$1\"\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  ExecProvider p;
  p.config.api_version = kV1;
  p.config.command = script;
  p.config.args = {"a1"};
  p.config.env = {{"FOO", "bar"}};
  p.config.interactive_mode = "Never";
  auto r = exec_credentials(p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->token, "bar-a1");
  p.config.args = {"fail"};
  auto f = exec_credentials(p);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, "exec: executable " + script + " failed with exit code 7");
  p.config.command = "kapi-no-such-plugin";
  p.config.install_hint = "get it";
  EXPECT_EQ(exec_credentials(p).error().message,
            "exec: executable kapi-no-such-plugin not found\n\nIt looks like you are trying to use a client-go "
            "credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation "
            "available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
            "#client-go-credential-plugins\n\nget it");
  p.config.command = (dir / "missing").string();
  EXPECT_EQ(exec_credentials(p).error().message, "exec: fork/exec " + p.config.command + ": no such file or directory");
  std::filesystem::remove_all(dir);
}

TEST(ExecPlugin, CleansInstallHint) {
  EXPECT_EQ(clean_ansi_escape_codes("\x1b[1mbold\tok\n"), "U+001B[1mbold\tok\n");
}

}  // namespace
}  // namespace kapi::client
