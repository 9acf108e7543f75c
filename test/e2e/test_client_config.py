#!/usr/bin/env python3
"""kapi client mode `config ...` against real kubectl 1.33.

Each scenario starts both clients from the same kubeconfig files (one or a $KUBECONFIG list of
two, in one directory that is reset before each client runs), runs the same commands, and
requires every step's (rc, stdout, stderr) and the files left behind to be identical: that checks
both the output and which file of $KUBECONFIG receives each change.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_config.py [name-filter]
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

SECOND = """\
apiVersion: v1
kind: Config
clusters:
- name: other
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: ca.crt
users:
- name: bob
  user:
    token: secret-token
    password: pw
    username: bob
contexts:
- name: bob@other
  context: {cluster: other, user: bob, namespace: team}
current-context: bob@other
"""

CA = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n"


def workdir():
    return os.path.join(h.server().tmp, "cfg")


def reset():
    d = workdir()
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    shutil.copy(h.server().kubeconfig, os.path.join(d, "a"))
    for name, text in (("b", SECOND), ("ca.crt", CA), ("key.pem", "key\n")):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)


def snapshot():
    d = workdir()
    out = {}
    for root, _, files in os.walk(d):
        for n in files:
            p = os.path.join(root, n)
            out[os.path.relpath(p, d)] = open(p).read()
    return out


def run_steps(tool, steps, kubeconfig_env):
    reset()
    d = workdir()
    env = h.kubectl_env()
    env["KUBECONFIG"] = kubeconfig_env.replace("@D", d)
    results = []
    for step in steps:
        args = [a.replace("@D", d) for a in step]
        if tool == "kubectl":
            argv, exe = [h.require_kubectl("1.33")] + args, None
        else:
            argv, exe = ["kubectl"] + args, h.kapi_bin()
        p = subprocess.run(argv, executable=exe, capture_output=True, text=True, env=env, cwd=d, timeout=30)
        results.append((p.returncode, p.stdout, p.stderr))
    return results, snapshot()


def compare_config(steps, kubeconfig_env="@D/a:@D/b", expect=None):
    k, kfiles = run_steps("kubectl", steps, kubeconfig_env)
    a, afiles = run_steps("kapi", steps, kubeconfig_env)
    for i, step in enumerate(steps):
        if k[i] != a[i]:
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, step, k[i], a[i]))
        if expect and i in expect:
            h.eq(k[i][:2], expect[i], "kubectl step %d (rc, stdout)" % i)
    h.eq(sorted(afiles), sorted(kfiles), "files")
    for name in kfiles:
        h.eq(afiles[name], kfiles[name], "file %s" % name)
    return k, kfiles


def test_view():
    k, _ = compare_config([
        ("config", "view"),
        ("config", "view", "-o", "json"),
        ("config", "view", "--raw"),
        ("config", "view", "--minify"),
        ("config", "view", "--minify", "--context=bob@other", "-o", "json"),
        ("config", "view", "--minify", "--context=nope"),
        ("config", "view", "--flatten"),
        ("config", "view", "-o", "jsonpath={.users[*].name}"),
        ("config", "view", "-o", "jsonpath={.contexts[?(@.name==\"bob@other\")].context.namespace}"),
        ("config", "view", "--merge=false"),
        ("config", "view", "--kubeconfig=@D/b"),
        ("config", "view", "--kubeconfig=@D/b", "--merge=true", "--raw"),
        ("config", "view", "--kubeconfig=@D/missing"),
        ("config", "view", "extra"),
        ("config", "view", "-o", "wide"),
        ("config", "view", "-o", "name"),
        ("config", "view", "-o", "go-template={{.kind}} {{len .users}}"),
        ("config", "view", "-o", "template"),
        ("config", "view", "--template={{.apiVersion}}"),
        ("config", "view", "-o", "jsonpath-as-json={.users[*].name}"),
    ], expect={7: (0, "bob kubernetes-admin"), 8: (0, "team"), 15: (0, "config/<unknown>\n"),
               16: (0, "Config 2")})
    h.contains(k[0][1], "    certificate-authority-data: DATA+OMITTED\n")
    h.contains(k[0][1], "    password: REDACTED\n    token: REDACTED\n")
    h.contains(k[1][1], '{\n    "kind": "Config",\n    "apiVersion": "v1",\n    "preferences": {},\n')
    h.eq(k[9][:2], (1, ""))


def test_contexts():
    k, files = compare_config([
        ("config", "current-context"),
        ("config", "get-contexts"),
        ("config", "get-contexts", "-o", "name"),
        ("config", "get-contexts", "--no-headers"),
        ("config", "get-contexts", "bob@other", "nope", "nope2"),
        ("config", "get-contexts", "-o", "json"),
        ("config", "use-context", "bob@other"),         # current-context stays in file a
        ("config", "use", "nope"),
        ("config", "set-context", "new", "--cluster=other", "--user=bob", "--namespace=x"),  # file a
        ("config", "set-context", "--current", "--namespace=y"),  # bob@other lives in file b
        ("config", "set-context", "a", "b", "--current"),
        ("config", "set-context", "x", "--current"),
        ("config", "set-context"),
        ("config", "set-context", "q", "-n", "foo"),    # -n is not a set-context flag
        ("config", "rename-context", "new", "renamed"),
        ("config", "rename-context", "renamed", "bob@other"),
        ("config", "get-contexts"),
        ("config", "delete-context", "renamed"),
        ("config", "delete-context", "nope"),
        ("config", "delete-context", "bob@other"),      # the current one: a warning
        ("config", "current-context"),
        ("config", "bogus"),
    ], expect={6: (0, 'Switched to context "bob@other".\n'), 9: (0, 'Context "bob@other" modified.\n')})
    h.contains(k[1][1], "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n")
    h.contains(files["a"], "current-context: bob@other\n")      # use-context wrote file a
    h.check("bob@other" not in files["b"].replace("current-context: bob@other", ""), "deleted from file b")
    h.contains(files["b"], "name: other\n")


def test_clusters_and_users():
    _, files = compare_config([
        ("config", "set-cluster", "c1", "--server=https://1.2.3.4", "--certificate-authority=ca.crt"),
        ("config", "set-cluster", "other", "--insecure-skip-tls-verify"),
        ("config", "set-cluster", "c2", "--server=https://x", "--certificate-authority=@D/ca.crt", "--embed-certs"),
        ("config", "set-cluster", "c3", "--certificate-authority=/etc/hosts"),
        ("config", "set-cluster", "c4", "--embed-certs"),
        ("config", "set-cluster", "c5", "--insecure-skip-tls-verify", "--certificate-authority=ca.crt"),
        ("config", "set-credentials", "u1", "--token=t"),
        ("config", "set-credentials", "bob", "--username=b2"),
        ("config", "set-credentials", "u2", "--client-certificate=ca.crt", "--client-key=key.pem", "--embed-certs"),
        ("config", "set-credentials", "u3", "--client-certificate=ca.crt", "--client-key=@D/key.pem"),
        ("config", "set-credentials", "u4", "--token=a", "--username=b"),
        ("config", "set-credentials"),
        ("config", "get-users"),
        ("config", "delete-cluster", "c3"),
        ("config", "delete-cluster", "nope"),
        ("config", "delete-user", "u1"),
        ("config", "delete-user"),
        ("config", "delete-user", "nope"),
        ("config", "view", "--raw", "-o", "json"),
    ], expect={0: (0, 'Cluster "c1" set.\n'), 6: (0, 'User "u1" set.\n')})
    h.contains(files["a"], "    certificate-authority: ca.crt\n    server: https://1.2.3.4\n")  # relative to the file
    h.contains(files["b"], "    insecure-skip-tls-verify: true\n")
    # get-clusters lists in Go map order: compare as sets.
    k = run_steps("kubectl", [("config", "get-clusters")], "@D/a:@D/b")[0][0]
    a = run_steps("kapi", [("config", "get-clusters")], "@D/a:@D/b")[0][0]
    h.eq((a[0], sorted(a[1].splitlines()), a[2]), (k[0], sorted(k[1].splitlines()), k[2]), "get-clusters")


def test_explicit_file():
    compare_config([
        ("config", "set-context", "n1", "--kubeconfig=@D/new/file"),
        ("config", "use-context", "n1", "--kubeconfig=@D/new/file"),
        ("config", "set-cluster", "c", "--server=https://h", "--kubeconfig=@D/new/file"),
        ("config", "view", "--kubeconfig=@D/new/file"),
        ("config", "get-contexts", "--kubeconfig=@D/new/file"),
        ("config", "delete-context", "n1", "--kubeconfig=@D/new/file"),
    ])
    # The last file of $KUBECONFIG is created when none exists.
    compare_config([
        ("config", "set-context", "n1", "--namespace=a"),
        ("config", "use-context", "n1"),
        ("config", "view"),
    ], kubeconfig_env="@D/x1:@D/x2")


if __name__ == "__main__":
    h.main(globals())
