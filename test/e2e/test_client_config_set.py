#!/usr/bin/env python3
"""kapi client mode `config set` / `config unset` against real kubectl 1.33.

Same scheme as test_client_config.py (whose file setup it reuses): both clients start from the
same kubeconfig files, run the same steps, and every step's (rc, stdout, stderr) and the files
left behind must be identical. kubectl prints Go pointers in some errors ("map[c1:0xc0007...]"),
so hex addresses are normalised before comparing.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_config_set.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
import test_client_config as cc  # noqa: E402

HEX = re.compile(r"0x[0-9a-f]+")


def norm(result):
    rc, out, err = result
    return rc, out, HEX.sub("0xADDR", err)


def compare_set(steps, kubeconfig_env="@D/a:@D/b", expect=None):
    k, kfiles = cc.run_steps("kubectl", steps, kubeconfig_env)
    a, afiles = cc.run_steps("kapi", steps, kubeconfig_env)
    for i, step in enumerate(steps):
        if norm(k[i]) != norm(a[i]):
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, step, k[i], a[i]))
        if expect and i in expect:
            h.eq(k[i][:2], expect[i], "kubectl step %d (rc, stdout)" % i)
    h.eq(sorted(afiles), sorted(kfiles), "files")
    for name in kfiles:
        h.eq(afiles[name], kfiles[name], "file %s" % name)
    return k, kfiles


def test_set():
    k, files = compare_set([
        ("config", "set", "clusters.other.server", "https://9.9.9.9"),       # lives in file b
        ("config", "set", "clusters.new.server", "https://x"),               # new: file a
        ("config", "set", "clusters.10.0.0.1.insecure-skip-tls-verify", "T"),  # a key with dots
        ("config", "set", "contexts.bob@other.namespace", "ns2"),
        ("config", "set", "users.bob.token", "tok2"),
        ("config", "set", "users.carol.act-as", "admin"),
        ("config", "set", "current-context", "bob@other"),
        ("config", "set", "preferences.colors", "true"),
        ("config", "set", "clusters.other.certificate-authority-data", "aGVsbG8="),
        ("config", "set", "--set-raw-bytes", "users.bob.client-key-data", "raw-key"),
        ("config", "set", "--set-raw-bytes=false", "users.bob.client-certificate-data", "Y2VydA=="),
        ("config", "set", "clusters.other.disable-compression", "0"),
        ("config", "set", 'contexts.a"b.namespace', "q"),                    # Property "..." is Go-quoted
        ("config", "view", "--raw"),
    ], expect={0: (0, 'Property "clusters.other.server" set.\n'),
               9: (0, 'Property "users.bob.client-key-data" set.\n'),
               12: (0, 'Property "contexts.a\\"b.namespace" set.\n')})
    h.contains(files["b"], "    server: https://9.9.9.9\n")
    h.contains(files["b"], "    certificate-authority-data: aGVsbG8=\n")
    h.contains(files["b"], "    client-key-data: cmF3LWtleQ==\n")
    h.contains(files["a"], "  name: 10.0.0.1\n")


def test_set_errors():
    k, _ = compare_set([
        ("config", "set", "bogus", "x"),
        ("config", "set", "preferences.bogus", "x"),
        ("config", "set", "clusters.other.bogus", "x"),      # the key becomes "other.bogus"
        ("config", "set", "clusters", "x"),
        ("config", "set", "clusters.other.insecure-skip-tls-verify", "maybe"),
        ("config", "set", "clusters.other.certificate-authority-data", "abc!"),
        ("config", "set", "users.bob.act-as-groups", "x"),
        ("config", "set", "users.bob.act-as-user-extra.k", "x"),
        ("config", "set", "users.bob.exec.command", "x"),
        ("config", "set", "current-context.foo", "x"),
        ("config", "set", "current-context", ""),
        ("config", "set", "", "x"),
        ("config", "set", "a"),
        ("config", "set", "a", "b", "c"),
        ("config", "set", "clusters.other.insecure-skip-tls-verify", 'a"b'),   # Go-quoted
        ("config", "set", "--set-raw-bytes=maybe", "clusters.other.server", "x"),
    ], expect={4: (1, "")})
    h.eq(k[14][2], 'error: strconv.ParseBool: parsing "a\\"b": invalid syntax\n', "kubectl quoting")
    h.eq(k[0][2], "error: unable to parse bogus after [] at api.Config\n", "kubectl unknown field")
    h.eq(k[4][2], 'error: strconv.ParseBool: parsing "maybe": invalid syntax\n', "kubectl bad bool")
    h.eq(k[5][2], "error: error decoding input value: illegal base64 data at input byte 3\n", "kubectl bad base64")
    h.eq(k[10][2], "error: you cannot use set to unset a property\n", "kubectl empty value")
    h.contains(k[12][1], "Usage:\n  kubectl config set PROPERTY_NAME PROPERTY_VALUE [options]\n")
    h.eq(k[12][2], "error: Unexpected args: [a]\n", "kubectl arg count")


def test_unset():
    k, files = compare_set([
        ("config", "unset", "contexts.bob@other.namespace"),
        ("config", "unset", "users.bob.password"),
        ("config", "unset", "clusters.other"),            # removes the entry from file b
        ("config", "unset", "contexts.nope"),             # deleting an absent key is fine
        ("config", "unset", "contexts.nope.namespace"),
        ("config", "unset", "users.bob.exec"),
        ("config", "unset", "current-context"),
        ("config", "unset", "preferences"),
        ("config", "unset", "bogus"),
        ("config", "unset", ""),
        ("config", "unset"),
        ("config", "unset", "a", "b"),
        ("config", "view"),
    ], expect={0: (0, 'Property "contexts.bob@other.namespace" unset.\n'),
               3: (0, 'Property "contexts.nope" unset.\n')})
    h.eq(k[4][2], "error: current map key `nope` is invalid\n", "kubectl absent key")
    h.eq(k[9][2], "error: you must specify a property\n", "kubectl empty property")
    h.check("name: other\n" not in files["b"], "cluster removed from file b")
    h.check("password" not in files["b"], "password removed")


def test_explicit_file():
    compare_set([
        ("config", "set", "clusters.c.server", "https://h", "--kubeconfig=@D/new/file"),
        ("config", "set", "preferences.colors", "yes", "--kubeconfig=@D/new/file"),
        ("config", "set", "preferences.colors", "1", "--kubeconfig=@D/new/file"),
        ("config", "unset", "clusters.c.server", "--kubeconfig=@D/new/file"),
        ("config", "view", "--kubeconfig=@D/new/file"),
    ])


if __name__ == "__main__":
    h.main(globals())
