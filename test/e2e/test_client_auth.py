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
