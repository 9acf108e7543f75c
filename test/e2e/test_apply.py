#!/usr/bin/env python3
"""Client-side apply of a multi-document file, server-side apply, dry-run, diff and apply/create errors."""
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

STACK = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: hello
"""

DEPLOY_ONLY = STACK.split("---\n")[0].format(replicas=3)

BAD_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: c
"""

STRICT_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: strict
spec:
  bogus: true
  containers:
  - name: c
    image: nginx
"""


def lines(out):
    return [l for l in out.splitlines() if l.strip()]


def test_apply_creates():
    h.write_file("stack.yaml", STACK.format(replicas=1))
    out = h.ok("apply", "-f", "stack.yaml")
    h.eq(lines(out), ["deployment.apps/web created", "service/web created", "configmap/web-config created"],
         "apply output")


def test_apply_unchanged():
    out = h.ok("apply", "-f", "stack.yaml")
    h.eq(lines(out), ["deployment.apps/web unchanged", "service/web unchanged",
                      "configmap/web-config unchanged"], "second apply output")


def test_apply_configured():
    h.write_file("stack.yaml", STACK.format(replicas=3))
    out = h.ok("apply", "-f", "stack.yaml")
    h.eq(lines(out), ["deployment.apps/web configured", "service/web unchanged",
                      "configmap/web-config unchanged"], "apply output after changing replicas")
    h.eq(h.ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"), "3", ".spec.replicas")


def test_last_applied_annotation():
    obj = json.loads(h.ok("get", "deploy", "web", "-o", "json"))
    ann = obj["metadata"].get("annotations", {})
    key = "kubectl.kubernetes.io/last-applied-configuration"
    h.check(key in ann, "annotation %s missing; annotations=%r" % (key, ann))
    last = json.loads(ann[key])
    h.eq(last["spec"]["replicas"], 3, "replicas in last-applied")
    h.eq(last["metadata"]["name"], "web", "name in last-applied")
    h.eq(last["metadata"].get("namespace"), "default", "namespace in last-applied")
    out = h.ok("apply", "view-last-applied", "deployment/web", "-o", "json")
    h.eq(json.loads(out)["spec"]["replicas"], 3, "view-last-applied replicas")


def test_apply_defaults_and_generation():
    obj = json.loads(h.ok("get", "deploy", "web", "-o", "json"))
    spec = obj["spec"]
    # apps/v1 Deployment defaults applied by kube-apiserver.
    h.eq(spec.get("revisionHistoryLimit"), 10, "spec.revisionHistoryLimit default")
    h.eq(spec.get("progressDeadlineSeconds"), 600, "spec.progressDeadlineSeconds default")
    h.eq(spec.get("strategy", {}).get("type"), "RollingUpdate", "spec.strategy.type default")
    h.eq(spec.get("strategy", {}).get("rollingUpdate"), {"maxSurge": "25%", "maxUnavailable": "25%"},
         "spec.strategy.rollingUpdate default")
    c = spec["template"]["spec"]["containers"][0]
    h.eq(c.get("imagePullPolicy"), "IfNotPresent", "imagePullPolicy default for a tagged image")
    h.eq(c.get("ports", [{}])[0].get("protocol"), "TCP", "containerPort protocol default")
    h.eq(spec["template"]["spec"].get("restartPolicy"), "Always", "restartPolicy default")
    # replicas changed once after creation: spec changes bump metadata.generation.
    h.eq(obj["metadata"].get("generation"), 2, "metadata.generation after one spec change")


def test_service_cluster_ip():
    ip = h.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        h.fail("clusterIP %r is not an IP address" % ip)
    h.check(addr.version == 4 and addr in ipaddress.ip_network("10.0.0.0/24"),
            "clusterIP %s not in 10.0.0.0/24" % ip)
    h.check(ip not in ("10.0.0.0", "10.0.0.1", "10.0.0.255"),
            "clusterIP %s is the network/broadcast address or the kubernetes service's" % ip)
    ips = h.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIPs[0]} {.spec.type} "
               "{.spec.ports[0].protocol} {.spec.ports[0].targetPort}")
    h.eq(ips, "%s ClusterIP TCP 80" % ip, "clusterIPs[0], type, port defaults")


def test_service_table():
    out = h.ok("get", "svc", "web")
    rows = [l.split() for l in lines(out)]
    h.eq(rows[0], ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], "header")
    h.eq(rows[1][:5], ["web", "ClusterIP", h.ok("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"),
                       "<none>", "80/TCP"], "row")


def test_create_already_exists():
    h.write_file("deploy.yaml", DEPLOY_ONLY)
    err = h.err_of("create", "-f", "deploy.yaml")
    h.eq(err, 'Error from server (AlreadyExists): error when creating "deploy.yaml": '
              'deployments.apps "web" already exists', "stderr")


def test_invalid_pod_without_image():
    h.write_file("bad.yaml", BAD_POD)
    err = h.err_of("create", "-f", "bad.yaml")
    h.eq(err, 'The Pod "bad" is invalid: spec.containers[0].image: Required value', "stderr")
    err = h.err_of("apply", "-f", "bad.yaml")
    h.eq(err, 'The Pod "bad" is invalid: spec.containers[0].image: Required value', "apply stderr")


def test_strict_unknown_field():
    h.write_file("strict.yaml", STRICT_POD)
    err = h.err_of("create", "-f", "strict.yaml")
    h.eq(err, 'Error from server (BadRequest): error when creating "strict.yaml": Pod in version "v1" '
              'cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"', "stderr")
    err = h.err_of("get", "pod", "strict")
    h.eq(err, 'Error from server (NotFound): pods "strict" not found', "the pod must not exist")


def test_validate_warn():
    h.write_file("strict.yaml", STRICT_POD)
    rc, out, err = h.kubectl("create", "--validate=warn", "-f", "strict.yaml")
    h.eq(rc, 0, "rc (stderr=%r)" % err)
    h.eq(out.strip(), "pod/strict created", "stdout")
    h.eq(err.strip(), 'Warning: unknown field "spec.bogus"', "stderr")
    h.ok("delete", "pod", "strict", "--wait=false")


def test_server_side_apply():
    cm = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: \"1\"\n")
    h.write_file("ssa.yaml", cm)
    h.eq(h.ok("apply", "--server-side", "-f", "ssa.yaml").strip(), "configmap/ssa serverside-applied",
         "first server-side apply")
    obj = json.loads(h.ok("get", "cm", "ssa", "-o", "json", "--show-managed-fields"))
    mf = obj["metadata"].get("managedFields", [])
    h.check(any(m.get("manager") == "kubectl" and m.get("operation") == "Apply" for m in mf),
            "no managedFields entry {manager: kubectl, operation: Apply}: %r" % mf)
    h.write_file("ssa.yaml", cm.replace('"1"', '"2"'))
    h.eq(h.ok("apply", "--server-side", "-f", "ssa.yaml").strip(), "configmap/ssa serverside-applied",
         "second server-side apply")
    h.eq(h.ok("get", "cm", "ssa", "-o", "jsonpath={.data.a}"), "2", "data.a after SSA")


def test_server_side_apply_conflict():
    # replicas is owned by kubectl-client-side-apply (from test_apply_configured); another manager
    # applying a different value conflicts.
    h.write_file("conflict.yaml", DEPLOY_ONLY.replace("replicas: 3", "replicas: 5"))
    err = h.err_of("apply", "--server-side", "--field-manager=other", "-f", "conflict.yaml")
    h.contains(err, 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" '
                    'using apps/v1: .spec.replicas', "stderr")
    out = h.ok("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "conflict.yaml")
    h.eq(out.strip(), "deployment.apps/web serverside-applied", "forced apply")
    h.eq(h.ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"), "5", "replicas after forced apply")


def test_dry_run_server():
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  a: b\n"
    h.write_file("dry.yaml", cm)
    h.eq(h.ok("apply", "--dry-run=server", "-f", "dry.yaml").strip(), "configmap/dry created (server dry run)",
         "apply --dry-run=server")
    err = h.err_of("get", "cm", "dry")
    h.eq(err, 'Error from server (NotFound): configmaps "dry" not found', "object must not be persisted")
    h.eq(h.ok("create", "--dry-run=server", "-f", "dry.yaml").strip(), "configmap/dry created (server dry run)",
         "create --dry-run=server")
    h.err_of("get", "cm", "dry")


def test_diff():
    h.write_file("cfg.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n"
                             "data:\n  greeting: hello\n")
    rc, out, err = h.kubectl("diff", "-f", "cfg.yaml")
    h.eq((rc, out, err), (0, "", ""), "diff of an unchanged object (rc, stdout, stderr)")
    h.write_file("cfg.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n"
                             "data:\n  greeting: bonjour\n")
    rc, out, err = h.kubectl("diff", "-f", "cfg.yaml")
    h.eq(rc, 1, "diff rc with differences (stderr=%r)" % err)
    h.contains(out, "-  greeting: hello", "diff output")
    h.contains(out, "+  greeting: bonjour", "diff output")
    h.eq(h.ok("get", "cm", "web-config", "-o", "jsonpath={.data.greeting}"), "hello", "diff must not change it")


def test_delete_f():
    out = h.ok("delete", "-f", "stack.yaml")
    h.eq(lines(out), ['deployment.apps "web" deleted', 'service "web" deleted', 'configmap "web-config" deleted'],
         "delete -f output")
    rc, out, err = h.kubectl("get", "-f", "stack.yaml")
    h.eq(rc, 1, "get -f after delete rc")
    h.eq(lines(err), ['Error from server (NotFound): deployments.apps "web" not found',
                      'Error from server (NotFound): services "web" not found',
                      'Error from server (NotFound): configmaps "web-config" not found'], "get -f stderr")


if __name__ == "__main__":
    h.main(globals())
