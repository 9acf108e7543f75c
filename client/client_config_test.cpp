#include "client/client_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kapi::client {
namespace {

class ClientConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kapi-client-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    old_home_ = getenv("HOME") ? getenv("HOME") : "";
    setenv("HOME", dir_.c_str(), 1);
    unsetenv("KUBECONFIG");
  }
  void TearDown() override {
    setenv("HOME", old_home_.c_str(), 1);
    unsetenv("KUBECONFIG");
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
  std::string old_home_;
};

const char* kFirst = R"(apiVersion: v1
kind: Config
current-context: a
clusters:
- name: c1
  cluster: {server: "https://first:6443", certificate-authority-data: "Zmlyc3QtY2E="}
contexts:
- name: a
  context: {cluster: c1, user: u1, namespace: team-a}
- name: shared
  context: {cluster: c1, user: u1}
users:
- name: u1
  user: {token: first-token}
)";

const char* kSecond = R"(apiVersion: v1
kind: Config
current-context: b
clusters:
- name: c1
  cluster: {server: "https://second:6443"}
- name: c2
  cluster: {server: "http://second-only:8080"}
contexts:
- name: b
  context: {cluster: c2, user: u2}
- name: shared
  context: {cluster: c2, user: u2, namespace: ignored}
users:
- name: u2
  user: {token: second-token}
)";

TEST_F(ClientConfigTest, KubeconfigListMergesFirstWins) {
  std::string a = write("a.yaml", kFirst), b = write("b.yaml", kSecond);
  setenv("KUBECONFIG", (a + ":" + b + ":" + (dir_ / "missing").string()).c_str(), 1);
  ClientConfig cc(GlobalOptions{});
  auto rc = cc.rest_config();
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->server, "https://first:6443");  // c1 from the first file
  EXPECT_EQ(rc->ca_pem, "first-ca");
  EXPECT_EQ(rc->bearer_token, "first-token");
  EXPECT_EQ(rc->host, "first");
  EXPECT_EQ(rc->port, 6443);
  auto ns = cc.namespace_for_request();
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(*ns, "team-a");

  GlobalOptions o;
  o.context = "shared";  // the first file's "shared" context wins
  ClientConfig shared(o);
  EXPECT_EQ(*shared.namespace_for_request(), "default");
  EXPECT_EQ(shared.rest_config()->server, "https://first:6443");

  o.context = "b";  // only in the second file
  ClientConfig second(o);
  EXPECT_EQ(second.rest_config()->server, "http://second-only:8080");
  // clientcmd reads credentials only for an https server: the token stays unused over http.
  EXPECT_EQ(second.rest_config()->bearer_token, "");
}

TEST_F(ClientConfigTest, ExplicitKubeconfigAndOverrides) {
  std::string a = write("a.yaml", kFirst);
  GlobalOptions o;
  o.kubeconfig = a;
  o.namespace_ = "flag-ns";
  o.server = "https://override:1234";
  o.token = "flag-token";
  o.insecure_skip_tls_verify = true;
  o.request_timeout = "1m30s";
  ClientConfig cc(o);
  auto rc = cc.rest_config();
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->host_port, "override:1234");
  EXPECT_EQ(rc->bearer_token, "flag-token");
  EXPECT_TRUE(rc->insecure);
  EXPECT_EQ(rc->ca_pem, "");  // --insecure-skip-tls-verify drops the CA
  EXPECT_EQ(rc->timeout_param, "1m30s");
  bool explicit_ns = false;
  EXPECT_EQ(*cc.namespace_for_request(&explicit_ns), "flag-ns");
  EXPECT_TRUE(explicit_ns);
}

TEST_F(ClientConfigTest, ServerWithoutSchemeIsPlainHttp) {
  // clientcmd merges the CA and credentials only for an https:// server, so DefaultServerURL
  // never sees TLS settings for "host:port" and picks http (kubectl then speaks plain HTTP).
  std::string a = write("a.yaml", kFirst);
  GlobalOptions o;
  o.kubeconfig = a;
  o.server = "first:6443";
  o.insecure_skip_tls_verify = true;
  auto rc = ClientConfig(o).rest_config();
  ASSERT_TRUE(rc.ok()) << rc.error().message;
  EXPECT_EQ(rc->scheme, "http");
  EXPECT_FALSE(rc->insecure);
  EXPECT_EQ(rc->ca_pem, "");
  EXPECT_EQ(rc->bearer_token, "");
}

TEST_F(ClientConfigTest, DefaultFileAndErrors) {
  // No kubeconfig at all: kubectl talks to localhost:8080.
  ClientConfig none(GlobalOptions{});
  EXPECT_EQ(none.rest_config()->server, "http://localhost:8080");
  EXPECT_EQ(*none.namespace_for_request(), "default");

  write(".kube/config", kFirst);
  GlobalOptions o;
  o.context = "nope";
  auto ns = ClientConfig(o).namespace_for_request();
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(check_err_text(ns.error()), "Error in configuration: context was not found for specified context: nope\n");

  o = {};
  o.cluster = "nope";
  EXPECT_EQ(check_err_text(ClientConfig(o).namespace_for_request().error()),
            "error: no server found for cluster \"nope\"\n");
  o = {};
  o.user = "nope";
  EXPECT_EQ(check_err_text(ClientConfig(o).rest_config().error()), "error: auth info \"nope\" does not exist\n");
  o = {};
  o.kubeconfig = (dir_ / "missing").string();
  EXPECT_EQ(check_err_text(ClientConfig(o).rest_config().error()),
            "error: stat " + (dir_ / "missing").string() + ": no such file or directory\n");
  o = {};
  o.request_timeout = "abc";
  EXPECT_EQ(check_err_text(ClientConfig(o).rest_config().error()),
            "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
            "followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n");
}

TEST(RequestTimeout, Parsing) {
  EXPECT_EQ(parse_request_timeout("0"), 0.0);
  EXPECT_EQ(parse_request_timeout("5"), 5.0);
  EXPECT_EQ(parse_request_timeout("1m30s"), 90.0);
  EXPECT_EQ(parse_request_timeout("500ms"), 0.5);
  EXPECT_FALSE(parse_request_timeout("abc").has_value());
  EXPECT_EQ(go_duration_string(5), "5s");
  EXPECT_EQ(go_duration_string(90), "1m30s");
  EXPECT_EQ(go_duration_string(3600), "1h0m0s");
  EXPECT_EQ(go_duration_string(0.5), "500ms");
}

}  // namespace
}  // namespace kapi::client
