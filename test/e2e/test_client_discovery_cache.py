#!/usr/bin/env python3
"""The on-disk discovery cache, kapi against kubectl 1.33.

kubectl keeps discovery under <cache-dir>/discovery/<host_port>/ (servergroups.json and one
serverresources.json per group-version) for 6 hours; kapi keeps its own file
(kapi-discovery.json) in the same directory. Each scenario doctors both caches the same way
and requires the same (rc, stdout, stderr):
- a fresh cache is trusted (a resource the server lacks is requested, and the server's 404 shown);
- a cache older than the TTL is fetched again;
- a resource missing from the cache makes the client refresh discovery once and retry;
- a corrupt cache is replaced;
- --cache-dir and KUBECACHEDIR choose where the cache lives.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_discovery_cache.py [name-filter]
"""
import glob
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def kubectl_dir():
    return os.path.join(h.server().cache_dir, "discovery", "127.0.0.1_%d" % h.server().port)


def kapi_dir():
    return os.path.join(h.server().home, ".kube", "kapi-cache", "discovery", "127.0.0.1_%d" % h.server().port)


def prime():
    """Fresh caches for both clients."""
    shutil.rmtree(kubectl_dir(), ignore_errors=True)
    shutil.rmtree(kapi_dir(), ignore_errors=True)
    h.ok("get", "ns")
    h.eq(h.kapi("get", "ns")[0], 0, "kapi get ns")
    h.check(os.path.isfile(os.path.join(kapi_dir(), "kapi-discovery.json")), "kapi wrote its cache")


def edit_json(path, fn):
    with open(path) as f:
        d = json.load(f)
    fn(d)
    with open(path, "w") as f:
        json.dump(d, f)


def kubectl_core():
    return os.path.join(kubectl_dir(), "v1", "serverresources.json")


def kapi_file():
    return os.path.join(kapi_dir(), "kapi-discovery.json")


def add_widgets():
    edit_json(kubectl_core(), lambda d: d["resources"].append(
        {"name": "widgets", "singularName": "widget", "namespaced": True, "kind": "Widget",
         "verbs": ["get", "list"], "shortNames": ["wd"]}))
    edit_json(kapi_file(), lambda d: d["resources"].append(
        {"c": [], "g": "", "k": "Widget", "n": "widgets", "ns": True, "s": "widget", "sn": ["wd"],
         "v": "v1", "vb": ["get", "list"]}))


def drop_configmaps():
    edit_json(kubectl_core(), lambda d: d.__setitem__(
        "resources", [r for r in d["resources"] if r["name"] != "configmaps"]))
    edit_json(kapi_file(), lambda d: d.__setitem__(
        "resources", [r for r in d["resources"] if r["n"] != "configmaps"]))


def age(hours=7):
    for root in (kubectl_dir(), kapi_dir()):
        for f in glob.glob(root + "/**", recursive=True):
            if os.path.isfile(f):
                t = os.path.getmtime(f) - hours * 3600
                os.utime(f, (t, t))


def corrupt():
    for f in [os.path.join(kubectl_dir(), "servergroups.json"), kubectl_core(), kapi_file()]:
        with open(f, "w") as out:
            out.write("{not json")


def both(doctor, *args):
    """Primes and doctors both caches, then runs args with each client."""
    prime()
    doctor()
    k = h.kubectl(*args)
    a = h.kapi(*args)
    if k != a:
        h.fail("%r after %s:\n kubectl: %r\n kapi:    %r" % (args, doctor.__name__, k, a))
    return k


def test_fresh_cache_is_trusted():
    res = both(add_widgets, "get", "widgets")
    h.eq(res, (1, "", 'Error from server (NotFound): Unable to list "/v1, Resource=widgets": '
               "the server could not find the requested resource\n"), "kubectl")


def test_stale_cache_is_fetched_again():
    res = both(lambda: (add_widgets(), age()), "get", "wd")
    h.eq(res, (1, "", 'error: the server doesn\'t have a resource type "wd"\n'), "kubectl")
    # Fresh entries (5 hours old) are still trusted.
    res = both(lambda: (add_widgets(), age(5)), "get", "wd", "-o", "name")
    h.eq(res[0], 1, "kubectl rc with a 5h-old cache")


def test_missing_resource_refreshes_discovery():
    h.ok("create", "configmap", "cached-cm")
    res = both(drop_configmaps, "get", "cm", "cached-cm", "-o", "name")
    h.eq(res, (0, "configmap/cached-cm\n", ""), "kubectl")
    with open(kapi_file()) as f:
        names = [r["n"] for r in json.load(f)["resources"]]
    h.check("configmaps" in names, "kapi rewrote its cache with configmaps")
    # Through a manifest too (apply maps kinds, not resource names).
    path = h.write_file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cached-cm\n")
    res = both(drop_configmaps, "apply", "-f", path, "--dry-run=client", "-o", "name")
    h.eq(res, (0, "configmap/cached-cm\n", ""), "kubectl apply")


def test_corrupt_cache_is_replaced():
    res = both(corrupt, "get", "ns", "default", "-o", "name")
    h.eq(res, (0, "namespace/default\n", ""), "kubectl")
    with open(kapi_file()) as f:
        h.check(json.load(f)["resources"], "kapi cache rewritten")


def run_env(binary, args, extra_env):
    env = h.kubectl_env()
    env.update(extra_env)
    argv0 = "kubectl"
    return subprocess.run([argv0] + args, executable=binary, env=env, capture_output=True, text=True,
                          cwd=h.server().tmp, timeout=40)


def test_cache_dir_flag_and_env():
    srv = h.server()
    host = "127.0.0.1_%d" % srv.port
    for name, binary, marker in (("kubectl", h.require_kubectl("1.33"), "servergroups.json"),
                                 ("kapi", h.kapi_bin(), "kapi-discovery.json")):
        flag_dir = os.path.join(srv.tmp, name + "-flag-cache")
        env_dir = os.path.join(srv.tmp, name + "-env-cache")
        r = run_env(binary, ["--cache-dir=" + flag_dir, "get", "ns", "default", "-o", "name"], {})
        h.eq((r.returncode, r.stdout), (0, "namespace/default\n"), name + " --cache-dir")
        h.check(os.path.isfile(os.path.join(flag_dir, "discovery", host, marker)),
                "%s wrote %s under --cache-dir" % (name, marker))
        r = run_env(binary, ["get", "ns", "default", "-o", "name"], {"KUBECACHEDIR": env_dir})
        h.eq((r.returncode, r.stdout), (0, "namespace/default\n"), name + " KUBECACHEDIR")
        h.check(os.path.isfile(os.path.join(env_dir, "discovery", host, marker)),
                "%s wrote %s under KUBECACHEDIR" % (name, marker))
    # `options` shows the default, which KUBECACHEDIR changes.
    outs = [run_env(b, ["options"], {"KUBECACHEDIR": "/some/where"}).stdout
            for b in (h.require_kubectl("1.33"), h.kapi_bin())]
    h.eq(outs[1], outs[0], "kapi options vs kubectl")
    h.contains(outs[0], "--cache-dir='/some/where'")


if __name__ == "__main__":
    h.main(globals())
