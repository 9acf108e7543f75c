#!/usr/bin/env python3
"""Credentials against a `kapi serve --token-auth-file`: bearer tokens (kubeconfig token and
tokenFile, --token), and exec credential plugins, with kapi client mode compared byte for byte
with real kubectl 1.33.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_auth.py [name-filter]
"""
import json
import os
import ssl
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

# The token file exists before the server starts (it is read once at start-up).
TOKENS_DIR = tempfile.mkdtemp(prefix="kapi-tokens-")
TOKENS = os.path.join(TOKENS_DIR, "tokens.csv")
with open(TOKENS, "w") as f:
    f.write('admin-token,admin,uid-1,"system:masters,admins"\n'
            'bob-token,bob,uid-2\n'
            'exec-token,exec-user,uid-3,system:masters\n')


def kubeconfig(name, user, cluster_extra=""):
    """A kubeconfig for the test server with the given `user:` body (YAML, 4-space indented)."""
    srv = h.server()
    text = ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
            "    server: %s\n    certificate-authority: %s\n%s"
            "contexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\n"
            "users:\n- name: u\n  user:\n%s" % (srv.url, srv.ca_file, cluster_extra, user))
    return h.write_file(name, text)


def test_token_users():
    good = kubeconfig("tok-good", "    token: admin-token\n")
    bob = kubeconfig("tok-bob", "    token: bob-token\n")
    bad = kubeconfig("tok-bad", "    token: wrong\n")
    h.write_file("admin.token", "admin-token\n")
    h.write_file("wrong.token", "nope\n")
    tf = kubeconfig("tok-file", "    tokenFile: %s\n" % os.path.join(h.server().tmp, "admin.token"))
    tf_bad = kubeconfig("tok-file-bad", "    tokenFile: %s\n" % os.path.join(h.server().tmp, "wrong.token"))
    unauthorized = "error: You must be logged in to the server (Unauthorized)\n"
    k = h.compare([
        ("get", "ns", "default", "-o", "name", "--kubeconfig", good),
        ("get", "ns", "--kubeconfig", bob),
        ("get", "ns", "--kubeconfig", bad),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", tf),
        ("get", "ns", "--kubeconfig", tf_bad),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", bad, "--token", "admin-token"),
        ("get", "ns", "--kubeconfig", good, "--token", "wrong"),
        ("auth", "whoami", "--kubeconfig", good),
        ("auth", "whoami", "-o", "jsonpath={.status.userInfo}", "--kubeconfig", bob),
        ("auth", "can-i", "list", "pods", "--kubeconfig", bob),
    ], expect={0: (0, "namespace/default\n"), 3: (0, "namespace/default\n"), 5: (0, "namespace/default\n"),
               8: (0, '{"groups":["system:authenticated"],"uid":"uid-2","username":"bob"}'), 9: (1, "no\n")})
    for i in (2, 4, 6):
        h.eq(k[i][2], unauthorized, "step %d stderr" % i)
    h.eq(k[1][2], 'Error from server (Forbidden): namespaces is forbidden: User "bob" cannot list resource '
         '"namespaces" in API group "" at the cluster scope\n', "bob's error")
    h.eq(k[7][1], "ATTRIBUTE   VALUE\nUsername    admin\nUID         uid-1\n"
         "Groups      [system:masters admins system:authenticated]\n", "whoami")


PLUGIN = r"""#!/usr/bin/env python3
import json, os, sys
mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
with open(os.environ["DUMP"], "a") as f:
    f.write(json.dumps({"info": os.environ.get("KUBERNETES_EXEC_INFO"), "argv": sys.argv[1:],
                        "FOO": os.environ.get("FOO")}) + "\n")
av = os.environ.get("AV", "client.authentication.k8s.io/v1")
status = {"token": "exec-token", "expirationTimestamp": "2099-01-01T00:00:00Z"}
if mode == "fail":
    sys.stderr.write("plugin: no credentials for you\n")
    sys.exit(3)
if mode == "badjson":
    print("{not json")
    sys.exit(0)
if mode == "wrongav":
    av = "client.authentication.k8s.io/v1beta1"
if mode == "badtoken":
    status = {"token": "nope"}
if mode == "nostatus":
    status = None
if mode == "cert":
    status = {"clientCertificateData": os.environ["CERT"], "clientKeyData": os.environ["KEY"]}
out = {"apiVersion": av, "kind": "ExecCredential"}
if status is not None:
    out["status"] = status
print(json.dumps(out))
"""


def exec_user(args=(), api_version="client.authentication.k8s.io/v1", mode="Never", extra=""):
    text = ("    exec:\n      apiVersion: %s\n      command: %s\n      args: %s\n"
            "      env: [{name: FOO, value: bar}, {name: DUMP, value: %s}]\n" %
            (api_version, os.path.join(h.server().tmp, "plugin.py"), json.dumps(list(args)),
             os.path.join(h.server().tmp, "exec-dump")))
    if mode:
        text += "      interactiveMode: %s\n" % mode
    return text + extra


def fresh_cache(name):
    """A --cache-dir nobody used yet: a failing step then shows kubectl's discovery retries."""
    return "--cache-dir=" + os.path.join(h.server().tmp, "cache-" + name)


def compare_with_dumps(steps, expect=None):
    """h.compare, also requiring both tools to run the plugin the same way (calls, env, args)."""
    dump = os.path.join(h.server().tmp, "exec-dump")
    runs = []

    def between():
        try:
            with open(dump) as f:
                runs.append(f.read())
            os.remove(dump)
        except FileNotFoundError:
            runs.append("")
    if os.path.exists(dump):
        os.remove(dump)
    k = h.compare(steps, expect=expect, between=between, normalize=h.normalize_klog)
    def calls(text):
        return [tuple(json.loads(l)["argv"]) for l in text.splitlines()]
    h.eq(calls(runs[1]), calls(runs[0]), "plugin calls (kapi vs kubectl)")
    h.eq(runs[1], runs[0], "plugin runs (kapi vs kubectl)")
    return k, [json.loads(l) for l in runs[0].splitlines()]


def test_exec_plugin():
    h.write_file("plugin.py", PLUGIN)
    os.chmod(os.path.join(h.server().tmp, "plugin.py"), 0o755)
    admin = open(h.server().kubeconfig).read()
    import re
    import base64
    cert = base64.b64decode(re.search(r"client-certificate-data:\s*(\S+)", admin).group(1)).decode()
    key = base64.b64decode(re.search(r"client-key-data:\s*(\S+)", admin).group(1)).decode()
    ok = kubeconfig("exec-ok", exec_user(["ok"], extra="      provideClusterInfo: true\n"))
    beta = kubeconfig("exec-beta", exec_user([], "client.authentication.k8s.io/v1beta1", "IfAvailable").replace(
        "{name: FOO, value: bar}", "{name: AV, value: client.authentication.k8s.io/v1beta1}"))
    certs = kubeconfig("exec-cert", exec_user(["cert"]).replace(
        "{name: FOO, value: bar}", "{name: CERT, value: %s}, {name: KEY, value: %s}" % (json.dumps(cert), json.dumps(key))))
    k, runs = compare_with_dumps([
        ("get", "ns", "default", "-o", "name", "--kubeconfig", ok),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", beta),
        ("auth", "whoami", "--kubeconfig", ok),
        ("auth", "whoami", "--kubeconfig", certs),
        # A token from flags or the kubeconfig means the plugin is not run at all.
        ("auth", "whoami", "--kubeconfig", ok, "--token", "bob-token"),
    ], expect={0: (0, "namespace/default\n"), 1: (0, "namespace/default\n")})
    h.contains(k[2][1], "Username    exec-user\nUID         uid-3\n")
    h.contains(k[3][1], "Username    kubernetes-admin\n")
    h.contains(k[4][1], "Username    bob\n")
    h.eq(len(runs), 4, "plugin runs (one per command that needed it)")
    info = json.loads(runs[0]["info"])
    h.eq((runs[0]["argv"], runs[0]["FOO"]), (["ok"], "bar"), "args and env")
    h.eq(sorted(info["spec"]["cluster"]), ["certificate-authority-data", "config", "server"], "cluster info")
    h.eq(info["spec"]["cluster"]["server"], h.server().url, "cluster server")
    h.eq(json.loads(runs[1]["info"]), {"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1",
                                       "spec": {"interactive": False}}, "v1beta1 request")


def test_exec_plugin_failures():
    h.write_file("plugin.py", PLUGIN)
    os.chmod(os.path.join(h.server().tmp, "plugin.py"), 0o755)
    fail = kubeconfig("exec-fail", exec_user(["fail"]))
    missing = kubeconfig("exec-missing", exec_user().replace(
        os.path.join(h.server().tmp, "plugin.py"), "kapi-test-no-such-plugin") +
        "      installHint: |\n        Install it with:\n          apt-get install kapi-test-plugin\n")
    wrongav = kubeconfig("exec-wrongav", exec_user(["wrongav"]))
    badjson = kubeconfig("exec-badjson", exec_user(["badjson"]))
    nostatus = kubeconfig("exec-nostatus", exec_user(["nostatus"]))
    badtoken = kubeconfig("exec-badtoken", exec_user(["badtoken"]))
    badcfg = kubeconfig("exec-badcfg", exec_user([], "client.authentication.k8s.io/v2"))
    nomode = kubeconfig("exec-nomode", exec_user([], mode=""))
    always = kubeconfig("exec-always", exec_user([], mode="Always"))
    k, runs = compare_with_dumps([
        ("get", "ns", "default", "-o", "name"),  # warms the default discovery caches (admin)
        ("get", "ns", "--kubeconfig", fail, fresh_cache("fail")),
        ("get", "ns", "--kubeconfig", fail),
        ("get", "ns", "--kubeconfig", missing, fresh_cache("missing")),
        ("get", "ns", "--kubeconfig", wrongav),
        ("get", "ns", "--kubeconfig", badjson),
        ("get", "ns", "--kubeconfig", nostatus),
        ("get", "ns", "--kubeconfig", badtoken, fresh_cache("badtoken")),
        ("get", "ns", "--kubeconfig", badcfg),
        ("get", "ns", "--kubeconfig", nomode),
        ("get", "ns", "--kubeconfig", always),
    ])
    plugin = os.path.join(h.server().tmp, "plugin.py")
    h.eq(k[2][2], "plugin: no credentials for you\nUnable to connect to the server: getting credentials: exec: "
         "executable %s failed with exit code 3\n" % plugin, "failing plugin")
    h.eq(k[1][2].count("plugin: no credentials for you\n"), 5, "a failing plugin runs per discovery attempt")
    h.contains(k[3][2], "Unable to connect to the server: getting credentials: exec: executable "
               "kapi-test-no-such-plugin not found\n\nIt looks like you are trying to use a client-go credential "
               "plugin that is not installed.\n\nTo learn more about this feature, consult the documentation "
               "available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/"
               "#client-go-credential-plugins\n\nInstall it with:\n  apt-get install kapi-test-plugin\n")
    h.eq(k[4][2], "Unable to connect to the server: getting credentials: exec plugin is configured to use API version "
         "client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1\n", "wrong apiVersion")
    h.contains(k[5][2], "getting credentials: decoding stdout: couldn't get version/kind; json parse error: ")
    h.eq(k[6][2], "Unable to connect to the server: getting credentials: exec plugin didn't return a status field\n",
         "no status")
    h.contains(k[7][2], "error: You must be logged in to the server (the server has asked for the client to provide "
               "credentials)\n")
    h.eq(k[8][2], 'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"\n', "bad apiVersion")
    h.eq(k[9][2], "error: interactiveMode must be specified for u to use exec authentication plugin\n", "no mode")
    h.contains(k[10][2], "exec plugin cannot support interactive mode: standard input is not a terminal\n")


def test_server_rejects_bad_bearer_even_without_cert():
    # kube-apiserver's union authenticator fails on an invalid token instead of falling back to
    # anonymous; a valid token is a user in system:authenticated.
    srv = h.server()
    ctx = ssl.create_default_context(cafile=srv.ca_file)

    def get(path, token):
        req = urllib.request.Request(srv.url + path, headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    code, body = get("/api/v1/namespaces", "wrong")
    h.eq(code, 401, "status")
    h.eq(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}, "body")
    code, body = get("/version", "wrong")
    h.eq(code, 401, "/version with a bad token")
    code, body = get("/api/v1/namespaces/default", "admin-token")
    h.eq((code, body["metadata"]["name"]), (200, "default"), "admin token")


def test_token_file_start_errors():
    bad = os.path.join(TOKENS_DIR, "short.csv")
    with open(bad, "w") as f:
        f.write("good,user,uid\nbad,user\n")
    cases = [(bad, "token file '%s' must have at least 3 columns (token, user name, user uid), found 2" % bad),
             (os.path.join(TOKENS_DIR, "missing.csv"),
              "open %s: no such file or directory" % os.path.join(TOKENS_DIR, "missing.csv"))]
    for path, msg in cases:
        data = tempfile.mkdtemp(prefix="kapi-tok-start-", dir=TOKENS_DIR)
        p = subprocess.run([h.kapi_bin(), "serve", "--data-dir", data, "--bind-address", "127.0.0.1",
                            "--secure-port", str(h.free_port()), "--token-auth-file", path],
                           capture_output=True, text=True, timeout=30)
        h.eq(p.returncode, 1, "rc for " + path)
        h.contains(p.stderr, msg, "stderr")


if __name__ == "__main__":
    import atexit
    import shutil
    atexit.register(shutil.rmtree, TOKENS_DIR, True)
    h.main(globals(), extra_server_args=("--token-auth-file", TOKENS))
