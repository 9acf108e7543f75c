#!/usr/bin/env python3
"""Basics: namespaces, version, cluster-info, health, discovery, explain, NotFound."""
import os
import re
import subprocess
import sys
import tempfile
import shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def table(out):
    """Split a kubectl table into rows of cells (header included)."""
    return [line.split() for line in out.splitlines() if line.strip()]


def test_get_namespaces():
    out = h.ok("get", "ns")
    rows = table(out)
    h.eq(rows[0], ["NAME", "STATUS", "AGE"], "header")
    status = {r[0]: r[1] for r in rows[1:]}
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        h.check(ns in status, "namespace %s missing from:\n%s" % (ns, out))
        h.eq(status[ns], "Active", "STATUS of %s" % ns)


def test_get_namespace_by_name_json():
    import json
    obj = json.loads(h.ok("get", "ns", "default", "-o", "json"))
    h.eq(obj["kind"], "Namespace", "kind")
    h.eq(obj["apiVersion"], "v1", "apiVersion")
    h.eq(obj["status"]["phase"], "Active", "status.phase")
    h.eq(obj["spec"].get("finalizers"), ["kubernetes"], "spec.finalizers")
    h.eq(obj["metadata"]["labels"].get("kubernetes.io/metadata.name"), "default",
         "label kubernetes.io/metadata.name")


def test_version():
    out = h.ok("version")
    lines = out.splitlines()
    h.check(any(l.startswith("Client Version: v1.33.") for l in lines), "no Client Version line: %r" % out)
    h.check("Server Version: v1.33.0+kapi" in lines, "no 'Server Version: v1.33.0+kapi' line in %r" % out)


def test_version_json():
    import json
    obj = json.loads(h.ok("version", "-o", "json"))
    sv = obj["serverVersion"]
    h.eq(sv["gitVersion"], "v1.33.0+kapi", "serverVersion.gitVersion")
    h.eq(sv["major"], "1", "serverVersion.major")
    h.eq(sv["minor"], "33", "serverVersion.minor")
    h.eq(sv["platform"], "linux/amd64", "serverVersion.platform")


def test_cluster_info():
    out = ANSI.sub("", h.ok("cluster-info"))
    first = out.splitlines()[0] if out else ""
    h.eq(first, "Kubernetes control plane is running at https://127.0.0.1:%d" % h.server().port,
         "first line")
    h.contains(out, "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")


def test_readyz_verbose():
    out = h.ok("get", "--raw", "/readyz?verbose")
    lines = out.rstrip("\n").splitlines()
    h.eq(lines[-1], "readyz check passed", "last line")
    h.check(all(l.startswith("[+]") and l.endswith(" ok") for l in lines[:-1]),
            "every check line should be '[+]<name> ok': %r" % out)
    h.check("[+]ping ok" in lines, "missing [+]ping ok: %r" % out)


def test_health_endpoints_plain():
    for path in ("/readyz", "/livez", "/healthz"):
        h.eq(h.ok("get", "--raw", path).strip(), "ok", "GET " + path)
    out = h.ok("get", "--raw", "/livez?verbose")
    h.eq(out.rstrip("\n").splitlines()[-1], "livez check passed", "/livez?verbose last line")


def test_api_resources():
    out = h.ok("api-resources")
    rows = table(out)
    h.eq(rows[0], ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], "header")
    by_name = {}
    for r in rows[1:]:
        by_name.setdefault(r[0], []).append(r)
    h.check(["pods", "po", "v1", "true", "Pod"] in by_name.get("pods", []),
            "pods row wrong: %r" % by_name.get("pods"))
    h.check(["deployments", "deploy", "apps/v1", "true", "Deployment"] in by_name.get("deployments", []),
            "deployments row wrong: %r" % by_name.get("deployments"))
    h.check(["namespaces", "ns", "v1", "false", "Namespace"] in by_name.get("namespaces", []),
            "namespaces row wrong: %r" % by_name.get("namespaces"))
    # Secrets have no short name upstream: 4 cells.
    h.check(["secrets", "v1", "true", "Secret"] in by_name.get("secrets", []),
            "secrets row wrong: %r" % by_name.get("secrets"))


def test_resource_quotas_and_limit_ranges():
    # core/v1 limitranges (short name "limits") and resourcequotas ("quota", with /status):
    # upstream's tables (NAME, CREATED AT; NAME, AGE, REQUEST, LIMIT).
    rows = {r[0]: r for r in table(h.ok("api-resources", "--api-group="))}
    h.eq(rows.get("limitranges"), ["limitranges", "limits", "v1", "true", "LimitRange"], "limitranges row")
    h.eq(rows.get("resourcequotas"), ["resourcequotas", "quota", "v1", "true", "ResourceQuota"], "resourcequotas row")
    h.ok("create", "quota", "q1", "--hard=cpu=1,memory=1Gi,limits.cpu=2")
    h.ok("patch", "quota", "q1", "--subresource=status", "--type=merge", "-p",
         '{"status":{"hard":{"cpu":"1","memory":"1Gi","limits.cpu":"2"},"used":{"cpu":"500m","limits.cpu":"0"}}}')
    out = h.ok("get", "quota", "q1")
    h.check(re.match(r"NAME   AGE   REQUEST                      LIMIT\nq1     \d+s +cpu: 500m/1, memory: 0/1Gi   limits.cpu: 0/2\n$",
                     out), "quota table: %r" % out)
    h.ok("create", "-f", "-", input="apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits:\n"
                                    "  - type: Container\n    max: {cpu: \"2\"}\n")
    out = h.ok("get", "limits")
    h.check(re.match(r"NAME   CREATED AT\nlr     \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$", out), "limitrange table: %r" % out)
    h.ok("delete", "quota", "q1")
    h.ok("delete", "limits", "lr")


def test_api_resources_filters():
    out = h.ok("api-resources", "--api-group=apps", "-o", "name")
    names = set(out.split())
    for n in ("deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps"):
        h.check(n in names, "%s missing from api-resources --api-group=apps -o name: %r" % (n, out))
    h.check("pods" not in names, "pods should not be listed for --api-group=apps")
    out = h.ok("api-resources", "--namespaced=false", "-o", "name")
    names = set(out.split())
    h.check("namespaces" in names and "nodes" in names, "cluster-scoped list: %r" % out)
    h.check("pods" not in names, "pods listed as cluster-scoped: %r" % out)


def test_api_versions():
    out = h.ok("api-versions")
    lines = out.split()
    for gv in ("apps/v1", "v1", "batch/v1", "rbac.authorization.k8s.io/v1"):
        h.check(gv in lines, "%s missing from api-versions: %r" % (gv, out))
    h.eq(lines, sorted(lines), "api-versions is sorted")


def test_explain_containers():
    out = h.ok("explain", "pod.spec.containers")
    h.contains(out, "KIND:       Pod")
    h.contains(out, "VERSION:    v1")
    h.contains(out, "FIELD: containers <[]Container>")
    h.check(re.search(r"^\s+image\s+<string>", out, re.M), "no 'image <string>' field line in:\n" + out)


def test_explain_deployment():
    out = h.ok("explain", "deployment.spec.replicas")
    h.contains(out, "GROUP:      apps")
    h.contains(out, "KIND:       Deployment")
    h.contains(out, "FIELD: replicas <integer>")


def test_not_found():
    rc, out, err = h.kubectl("get", "pod", "nosuch")
    h.eq(rc, 1, "rc")
    h.eq(err.strip(), 'Error from server (NotFound): pods "nosuch" not found', "stderr")
    h.eq(out, "", "stdout")


def test_not_found_grouped():
    err = h.err_of("get", "deploy", "nosuch")
    h.eq(err, 'Error from server (NotFound): deployments.apps "nosuch" not found', "stderr")


def test_not_found_namespace():
    err = h.err_of("get", "ns", "nosuch")
    h.eq(err, 'Error from server (NotFound): namespaces "nosuch" not found', "stderr")


def test_unknown_resource_type():
    err = h.err_of("get", "foos")
    h.eq(err, 'error: the server doesn\'t have a resource type "foos"', "stderr")


def test_empty_list():
    rc, out, err = h.kubectl("get", "pods")
    h.eq(rc, 0, "rc")
    h.eq(out, "", "stdout")
    h.eq(err.strip(), "No resources found in default namespace.", "stderr")


def test_kubernetes_service():
    # kube-apiserver's bootstrap controller creates default/kubernetes with the first IP of the
    # service range (10.0.0.0/24 -> 10.0.0.1) and port 443/TCP.
    out = h.ok("get", "svc", "kubernetes", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].port} "
               "{.spec.ports[0].protocol} {.spec.type}")
    h.eq(out, "10.0.0.1 443 TCP ClusterIP", "kubernetes service")


def test_auth_can_i():
    rc, out, err = h.kubectl("auth", "can-i", "create", "pods")
    h.eq((rc, out.strip()), (0, "yes"), "can-i create pods (rc, stdout)")
    rc, out, err = h.kubectl("auth", "can-i", "*", "*")
    h.eq((rc, out.strip()), (0, "yes"), "can-i * * (rc, stdout)")


def test_auth_whoami():
    out = h.ok("auth", "whoami")
    rows = [l.split(None, 1) for l in out.splitlines() if l.strip()]
    h.eq(rows[0], ["ATTRIBUTE", "VALUE"], "header")
    attrs = dict((r[0], r[1] if len(r) > 1 else "") for r in rows[1:])
    h.check(attrs.get("Username"), "no Username row: %r" % out)
    h.contains(attrs.get("Groups", ""), "system:authenticated", "Groups row")


def test_port_in_use_is_an_error():
    # kube-apiserver (without --permit-port-sharing) refuses to start on a port that is already
    # listening: "failed to create listener: failed to listen on 127.0.0.1:P: listen tcp
    # 127.0.0.1:P: bind: address already in use", exit code 1.
    tmp = tempfile.mkdtemp(prefix="kapi-e2e-port-")
    p = subprocess.Popen([h.kapi_bin(), "serve", "--data-dir", tmp, "--bind-address", "127.0.0.1",
                          "--secure-port", str(h.server().port)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        try:
            out, _ = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            h.fail("a second `kapi serve --secure-port %d` was still running after 10 s although "
                   "the port is in use (expected exit 1 with 'bind: address already in use')"
                   % h.server().port)
        out = out.decode(errors="replace")
        h.check(p.returncode != 0, "second server exited 0")
        h.contains(out, "address already in use", "second server's output")
    finally:
        h.kill_proc(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    h.main(globals())
