#include "pkg/kubeconfig/loader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "pkg/kubeconfig/admin.h"
#include "pkg/machinery/base64.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/test_temp_dir.h"

namespace kapi::kubeconfig {
namespace {

using machinery::base64_encode;

using tls::testing::TempDir;

const std::string kCa = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const std::string kCert = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";

void put(const std::string& path, const std::string& text) {
  ASSERT_TRUE(tls::write_file_atomic(path, text, 0600).ok());
}

std::string parse_error(const std::string& yaml) {
  auto r = parse(yaml);
  return r.ok() ? "OK" : r.error().message;
}

TEST(Loader, RoundTripAdmin) {
  TempDir dir;
  auto config = make_admin_kubeconfig("https://127.0.0.1:6443", kCa, kCert, kKey);
  ASSERT_TRUE(write_file(dir.file("admin.conf"), config).ok());
  auto back = load_file(dir.file("admin.conf"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->current_context, "kubernetes-admin@kubernetes");
  ASSERT_NE(back->find_cluster("kubernetes"), nullptr);
  EXPECT_EQ(back->find_cluster("kubernetes")->server, "https://127.0.0.1:6443");
  EXPECT_EQ(back->find_cluster("kubernetes")->certificate_authority_data, kCa);
  EXPECT_EQ(back->find_cluster("kubernetes")->location_of_origin, dir.file("admin.conf"));
  ASSERT_NE(back->find_user("kubernetes-admin"), nullptr);
  EXPECT_EQ(back->find_user("kubernetes-admin")->client_certificate_data, kCert);
  EXPECT_EQ(back->find_user("kubernetes-admin")->client_key_data, kKey);
  const Context* ctx = back->find_context("kubernetes-admin@kubernetes");
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(ctx->cluster, "kubernetes");
  EXPECT_EQ(ctx->user, "kubernetes-admin");
  EXPECT_EQ(to_yaml(*back), to_yaml(config));
}

TEST(Loader, Base64DataFields) {
  auto r = parse("clusters:\n- name: c\n  cluster:\n    server: https://x\n"
                 "    certificate-authority-data: " + base64_encode(kCa) + "\n"
                 "users:\n- name: u\n  user:\n    client-certificate-data: " +
                 base64_encode(kCert) + "\n    client-key-data: " + base64_encode(kKey) + "\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find_cluster("c")->certificate_authority_data, kCa);
  EXPECT_EQ(r->find_user("u")->client_certificate_data, kCert);
  EXPECT_EQ(r->find_user("u")->client_key_data, kKey);
}

// Long single-line data values are set aside before the YAML parse (a speed-up): every form
// must still decode to the same bytes, and a corrupt one must report the same offset.
TEST(Loader, LongDataValuesSetAsideForTheParse) {
  const std::string big(900, 'x');  // base64 of 900 bytes: 1200 characters
  const std::string enc = base64_encode(big);
  auto r = parse("clusters:\n- name: c\n  cluster:\n    server: https://x\n"
                 "    certificate-authority-data: " + enc + "   \r\n"
                 "- name: d\n  cluster:\n    server: https://y\n"
                 "    certificate-authority-data: " + enc + " # a comment keeps it in the parse\n"
                 "users:\n- name: u\n  user:\n    client-certificate-data:   " + enc + "\n"
                 "    client-key-data: \"" + enc + "\"\n"
                 "- name: v\n  user:\n    token: " + enc + "\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find_cluster("c")->certificate_authority_data, big);
  EXPECT_EQ(r->find_cluster("d")->certificate_authority_data, big);
  EXPECT_EQ(r->find_user("u")->client_certificate_data, big);
  EXPECT_EQ(r->find_user("u")->client_key_data, big);
  EXPECT_EQ(r->find_user("v")->token, enc);  // only the *-data keys are set aside
  std::string corrupt = enc;
  corrupt[700] = '=';
  EXPECT_EQ(parse_error("users:\n- name: u\n  user:\n    client-key-data: " + corrupt + "\n"),
            "illegal base64 data at input byte 700");
  // A YAML error after a set-aside line keeps its line number.
  EXPECT_EQ(parse_error("users:\n- name: u\n  user:\n    client-key-data: " + enc + "\n  bad: [\n"),
            parse_error("users:\n- name: u\n  user:\n    client-key-data: short\n  bad: [\n"));
}

TEST(Loader, JsonAndFullFields) {
  auto r = parse(R"({"apiVersion":"v1","kind":"Config","current-context":"c",
    "preferences":{"colors":true},
    "clusters":[{"name":"k","cluster":{"server":"https://s","insecure-skip-tls-verify":true,
      "tls-server-name":"n","proxy-url":"http://p","disable-compression":true}}],
    "contexts":[{"name":"c","context":{"cluster":"k","user":"u","namespace":"ns"}}],
    "users":[{"name":"u","user":{"token":"t","tokenFile":"/tf","username":"a","password":"b",
      "as":"i","as-uid":"1","as-groups":["g"],"as-user-extra":{"k":["v"]},
      "auth-provider":{"name":"oidc","config":{"a":"b"}},
      "exec":{"apiVersion":"client.authentication.k8s.io/v1","command":"cmd","args":["x"],
        "env":[{"name":"N","value":"V"}],"installHint":"h","provideClusterInfo":true,
        "interactiveMode":"Never"}}}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->preferences.colors);
  const Cluster* c = r->find_cluster("k");
  EXPECT_TRUE(c->insecure_skip_tls_verify);
  EXPECT_TRUE(c->disable_compression);
  EXPECT_EQ(c->tls_server_name, "n");
  EXPECT_EQ(c->proxy_url, "http://p");
  EXPECT_EQ(r->find_context("c")->namespace_, "ns");
  const AuthInfo* u = r->find_user("u");
  EXPECT_EQ(u->token, "t");
  EXPECT_EQ(u->token_file, "/tf");
  EXPECT_EQ(u->impersonate_groups, std::vector<std::string>{"g"});
  EXPECT_EQ(u->impersonate_extra.at("k"), std::vector<std::string>{"v"});
  EXPECT_EQ(u->auth_provider->config.at("a"), "b");
  ASSERT_TRUE(u->exec.has_value());
  EXPECT_EQ(u->exec->command, "cmd");
  EXPECT_EQ(u->exec->args, std::vector<std::string>{"x"});
  EXPECT_EQ(u->exec->env, (std::vector<ExecEnvVar>{{"N", "V"}}));
  EXPECT_TRUE(u->exec->provide_cluster_info);
  EXPECT_EQ(u->exec->interactive_mode, "Never");
  EXPECT_EQ(u->exec->install_hint, "h");
}

TEST(Loader, KubectlErrorMessages) {
  EXPECT_EQ(parse_error("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "
                        "\"abc$\"\n    server: https://x\n  name: c\n"),
            "illegal base64 data at input byte 3");
  EXPECT_EQ(parse_error("clusters:\n- cluster:\n    server: [1]\n  name: c\n"),
            "json: cannot unmarshal array into Go struct field Cluster.clusters.cluster.server "
            "of type string");
  EXPECT_EQ(parse_error("clusters:\n- cluster:\n    server: 123\n  name: c\n"),
            "json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server "
            "of type string");
  EXPECT_EQ(parse_error("clusters:\n- cluster:\n    insecure-skip-tls-verify: \"true\"\n"
                        "  name: c\n"),
            "json: cannot unmarshal string into Go struct field "
            "Cluster.clusters.cluster.insecure-skip-tls-verify of type bool");
  EXPECT_EQ(parse_error("- a\n"),
            "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go "
            "value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
            "Kind string \"json:\\\"kind,omitempty\\\"\" }");
  EXPECT_EQ(parse_error("apiVersion: v2\nkind: Config\n"),
            "no kind \"Config\" is registered for version \"v2\" in scheme "
            "\"k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50\"");
  EXPECT_EQ(parse_error("clusters: 5\n"),
            "json: cannot unmarshal number into Go struct field Config.clusters of type "
            "[]v1.NamedCluster");
  EXPECT_EQ(parse_error("clusters:\n- name: [1]\n"),
            "json: cannot unmarshal array into Go struct field NamedCluster.clusters.name of "
            "type string");
  EXPECT_EQ(parse_error("users:\n- name: u\n  user:\n    client-key-data: 5\n"),
            "json: cannot unmarshal number into Go struct field AuthInfo.users.user."
            "client-key-data of type []uint8");
  EXPECT_EQ(parse_error("users:\n- name: u\n  user:\n    exec:\n      command: x\n"
                        "      args: a\n"),
            "json: cannot unmarshal string into Go struct field ExecConfig.users.user.exec.args "
            "of type []string");
  EXPECT_EQ(parse_error("users:\n- name: u\n  user:\n    exec:\n      command: x\n      env:\n"
                        "      - name: 1\n"),
            "json: cannot unmarshal number into Go struct field ExecEnvVar.users.user.exec.env."
            "name of type string");
  EXPECT_EQ(parse_error("current-context: 5\n"),
            "json: cannot unmarshal number into Go struct field Config.current-context of type "
            "string");
  EXPECT_EQ(parse_error("contexts:\n- name: a\n  context:\n    namespace: true\n"),
            "json: cannot unmarshal bool into Go struct field Context.contexts.context.namespace "
            "of type string");
  EXPECT_EQ(parse_error("clusters:\n- cluster:\n    server: a\n  name: c\n- cluster:\n"
                        "    server: b\n  name: c\n"),
            "error converting *[]NamedCluster into *map[string]*api.Cluster: duplicate name "
            "\"c\" in list");
  EXPECT_EQ(parse_error("apiVersion: v1\nclusters: [\n").rfind("yaml: line ", 0), 0u);
  EXPECT_EQ(parse_error(""), "OK");
  EXPECT_EQ(parse_error("# only a comment\n"), "OK");
  EXPECT_EQ(parse_error("kind: Config\n"), "OK");
}

TEST(Loader, FileErrors) {
  TempDir dir;
  auto missing = load_file(dir.file("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "stat " + dir.file("nope") + ": no such file or directory");
  put(dir.file("bad"), "clusters: 5\n");
  auto bad = load_file(dir.file("bad"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "error loading config file \"" + dir.file("bad") +
                "\": json: cannot unmarshal number into Go struct field Config.clusters of type "
                "[]v1.NamedCluster");
  put(dir.file("bad2"), "current-context: 5\n");
  auto both = load_files({dir.file("bad"), dir.file("bad2")});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().message.front(), '[');
}

TEST(Loader, RelativePathsResolvedAgainstFileDir) {
  TempDir dir;
  put(dir.path() + "/sub/cfg",
      "clusters:\n- cluster:\n    server: a\n    certificate-authority: ca.crt\n  name: c\n"
      "users:\n- name: u\n  user:\n    client-certificate: ../x.crt\n    client-key: /abs/k\n"
      "    tokenFile: t\n    exec:\n      command: ./bin/plugin\n"
      "- name: v\n  user:\n    exec:\n      command: plugin-on-path\n");
  auto r = load_file(dir.path() + "/sub/cfg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->find_cluster("c")->certificate_authority, dir.path() + "/sub/ca.crt");
  const AuthInfo* u = r->find_user("u");
  EXPECT_EQ(u->client_certificate, dir.path() + "/x.crt");
  EXPECT_EQ(u->client_key, "/abs/k");
  EXPECT_EQ(u->token_file, dir.path() + "/sub/t");
  EXPECT_EQ(u->exec->command, dir.path() + "/sub/bin/plugin");
  EXPECT_EQ(r->find_user("v")->exec->command, "plugin-on-path");
  auto raw = load_file(dir.path() + "/sub/cfg", LoadOptions{.resolve_paths = false});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find_cluster("c")->certificate_authority, "ca.crt");
}

TEST(Loader, MergePrecedenceAcrossFiles) {
  TempDir dir;
  put(dir.file("a"),
      "apiVersion: v1\nkind: Config\n"
      "clusters:\n- name: shared\n  cluster:\n    server: https://from-a\n"
      "- name: only-a\n  cluster:\n    server: https://a\n"
      "users:\n- name: shared-user\n  user:\n    token: token-a\n"
      "contexts:\n- name: ctx\n  context:\n    cluster: shared\n    user: shared-user\n");
  put(dir.file("b"),
      "apiVersion: v1\nkind: Config\ncurrent-context: ctx-b\n"
      "preferences:\n  colors: true\n"
      "clusters:\n- name: shared\n  cluster:\n    server: https://from-b\n"
      "    insecure-skip-tls-verify: true\n"
      "- name: only-b\n  cluster:\n    server: https://b\n"
      "users:\n- name: shared-user\n  user:\n    token: token-b\n    username: extra\n"
      "contexts:\n- name: ctx\n  context:\n    cluster: only-b\n    namespace: b\n"
      "- name: ctx-b\n  context:\n    cluster: only-b\n");
  put(dir.file("c"), "current-context: ctx-c\n");

  auto r = load_files({dir.file("a"), dir.file("missing"), "", dir.file("b"), dir.file("c")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  // First file to set a name wins, as a whole entry (no field-level merge).
  EXPECT_EQ(r->find_cluster("shared")->server, "https://from-a");
  EXPECT_FALSE(r->find_cluster("shared")->insecure_skip_tls_verify);
  EXPECT_EQ(r->find_cluster("shared")->location_of_origin, dir.file("a"));
  EXPECT_EQ(r->find_user("shared-user")->token, "token-a");
  EXPECT_TRUE(r->find_user("shared-user")->username.empty());
  EXPECT_EQ(r->find_context("ctx")->cluster, "shared");
  EXPECT_TRUE(r->find_context("ctx")->namespace_.empty());
  // Names only in later files are still merged in.
  EXPECT_NE(r->find_cluster("only-a"), nullptr);
  EXPECT_NE(r->find_cluster("only-b"), nullptr);
  EXPECT_NE(r->find_context("ctx-b"), nullptr);
  // current-context: first file that sets it (a does not, b does).
  EXPECT_EQ(r->current_context, "ctx-b");
  EXPECT_TRUE(r->preferences.colors);

  // Reversed order flips the winners.
  auto rev = load_files({dir.file("c"), dir.file("b"), dir.file("a")});
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(rev->find_cluster("shared")->server, "https://from-b");
  EXPECT_EQ(rev->current_context, "ctx-c");
}

TEST(Loader, EnvAndDefaultRules) {
  EXPECT_EQ(split_kubeconfig_env("/a:/b::/a:/c"), (std::vector<std::string>{"/a", "/b", "/c"}));
  EXPECT_TRUE(split_kubeconfig_env("").empty());

  TempDir dir;
  put(dir.file("one"), "current-context: one\n");
  put(dir.file("two"), "current-context: two\n");
  const char* old_kc = getenv("KUBECONFIG");
  std::string saved_kc = old_kc ? old_kc : "";
  const char* old_home = getenv("HOME");
  std::string saved_home = old_home ? old_home : "";

  setenv("KUBECONFIG", (dir.file("missing") + ":" + dir.file("two") + ":" + dir.file("one")).c_str(),
         1);
  auto env = load_default();
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->current_context, "two");
  // An explicit path beats $KUBECONFIG and must exist.
  auto expl = load_default(dir.file("one"));
  ASSERT_TRUE(expl.ok());
  EXPECT_EQ(expl->current_context, "one");
  auto expl_missing = load_default(dir.file("missing"));
  ASSERT_FALSE(expl_missing.ok());
  EXPECT_EQ(expl_missing.error().code, ErrorCode::kNotFound);
  // No $KUBECONFIG: ~/.kube/config, which may be absent.
  unsetenv("KUBECONFIG");
  setenv("HOME", dir.path().c_str(), 1);
  EXPECT_EQ(default_kubeconfig_path(), dir.path() + "/.kube/config");
  auto none = load_default();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->clusters.empty());
  put(dir.path() + "/.kube/config", "current-context: home\n");
  EXPECT_EQ(load_default()->current_context, "home");

  if (old_kc) setenv("KUBECONFIG", saved_kc.c_str(), 1);
  if (old_home) setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace kapi::kubeconfig
