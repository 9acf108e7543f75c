#!/usr/bin/env python3
"""Built-in kinds a drop-in kube-apiserver 1.33 serves: networking.k8s.io/v1, autoscaling/v2 and
v1, PVCs/PVs, storage.k8s.io/v1, ReplicationControllers, PodTemplates, ControllerRevisions,
node.k8s.io/v1, and serviceaccounts/token with service-account JWT authentication.

Expected texts are upstream's: discovery rows as kubectl 1.33 prints them against
kube-apiserver 1.33, tables from pkg/printers/internalversion/printers.go, validation errors from
pkg/apis/*/validation, the autoscaling/v1 conversion from pkg/apis/autoscaling/v1/conversion.go.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_server_builtin_kinds.py [name-filter]
"""
import base64
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

AGE = r"\d+s"


def match(pattern, text, what):
    h.check(re.fullmatch(pattern, text, re.S) is not None, "%s:\n%s\n(pattern %r)" % (what, text, pattern))


def test_discovery_rows():
    rows = {}
    for line in h.ok("api-resources").splitlines()[1:]:
        cells = line.split()
        rows.setdefault(cells[0], []).append(cells)
    want = [
        ["persistentvolumeclaims", "pvc", "v1", "true", "PersistentVolumeClaim"],
        ["persistentvolumes", "pv", "v1", "false", "PersistentVolume"],
        ["podtemplates", "v1", "true", "PodTemplate"],
        ["replicationcontrollers", "rc", "v1", "true", "ReplicationController"],
        ["controllerrevisions", "apps/v1", "true", "ControllerRevision"],
        ["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler"],
        ["ingressclasses", "networking.k8s.io/v1", "false", "IngressClass"],
        ["ingresses", "ing", "networking.k8s.io/v1", "true", "Ingress"],
        ["networkpolicies", "netpol", "networking.k8s.io/v1", "true", "NetworkPolicy"],
        ["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass"],
        ["csidrivers", "storage.k8s.io/v1", "false", "CSIDriver"],
        ["volumeattachments", "storage.k8s.io/v1", "false", "VolumeAttachment"],
        ["runtimeclasses", "node.k8s.io/v1", "false", "RuntimeClass"],
    ]
    for w in want:
        h.check(w in rows.get(w[0], []), "api-resources row %r; got %r" % (w, rows.get(w[0])))
    versions = h.ok("api-versions").split()
    for gv in ("autoscaling/v1", "autoscaling/v2", "networking.k8s.io/v1", "storage.k8s.io/v1", "node.k8s.io/v1"):
        h.check(gv in versions, "%s in api-versions" % gv)
    group = json.loads(h.ok("get", "--raw", "/apis/autoscaling"))
    h.eq(group, {"kind": "APIGroup", "apiVersion": "v1", "name": "autoscaling",
                 "versions": [{"groupVersion": "autoscaling/v2", "version": "v2"},
                              {"groupVersion": "autoscaling/v1", "version": "v1"}],
                 "preferredVersion": {"groupVersion": "autoscaling/v2", "version": "v2"}}, "/apis/autoscaling")
    core = json.loads(h.ok("get", "--raw", "/api/v1"))
    token = [r for r in core["resources"] if r["name"] == "serviceaccounts/token"]
    h.eq(token, [{"name": "serviceaccounts/token", "singularName": "", "namespaced": True,
                  "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest", "verbs": ["create"]}],
         "serviceaccounts/token discovery")
    # `kubectl get all` covers HPAs and ReplicationControllers (category "all").
    all_names = h.ok("api-resources", "--categories=all", "-o", "name").split()
    for n in ("horizontalpodautoscalers.autoscaling", "replicationcontrollers"):
        h.check(n in all_names, "%s in category all: %r" % (n, all_names))


def test_first_minute():
    h.ok("create", "deployment", "web", "--image=nginx")
    h.eq(h.ok("create", "ingress", "ing1", "--rule=foo.com/bar=svc1:8080,tls=my-cert", "--class=nginx"),
         "ingress.networking.k8s.io/ing1 created\n", "create ingress")
    h.eq(h.ok("autoscale", "deploy", "web", "--max=5", "--cpu-percent=60"),
         "horizontalpodautoscaler.autoscaling/web autoscaled\n", "autoscale")
    h.ok("apply", "-f", "-", input="apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
                                   "spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n")
    token = h.ok("create", "token", "default")
    h.check(re.fullmatch(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+", token) is not None, "token: %r" % token)
    out = h.ok("get", "pvc,ing,hpa")
    match("NAME +STATUS +VOLUME +CAPACITY +ACCESS MODES +STORAGECLASS +VOLUMEATTRIBUTESCLASS +AGE\n"
          "persistentvolumeclaim/data +Pending +<unset> +" + AGE + "\n\n"
          "NAME +CLASS +HOSTS +ADDRESS +PORTS +AGE\n"
          "ingress.networking.k8s.io/ing1 +nginx +foo.com +80, 443 +" + AGE + "\n\n"
          "NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\n"
          "horizontalpodautoscaler.autoscaling/web +Deployment/web +cpu: <unknown>/60% +1 +5 +0 +" + AGE + "\n",
          out, "get pvc,ing,hpa")
    pvc = json.loads(h.ok("get", "pvc", "data", "-o", "json"))
    h.eq(pvc["spec"]["volumeMode"], "Filesystem", "PVC volumeMode default")
    h.eq(pvc["status"], {"phase": "Pending"}, "PVC status")
    ing = json.loads(h.ok("get", "ing", "ing1", "-o", "json"))
    h.eq(ing["status"], {"loadBalancer": {}}, "ingress status")
    h.eq(ing["metadata"]["generation"], 1, "ingress generation")


def test_hpa_v1_and_v2_share_storage():
    h.ok("create", "-f", "-", input="apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h1}\n"
                                    "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
                                    "  maxReplicas: 3\n")
    v2 = json.loads(h.ok("get", "hpa", "h1", "-o", "json"))
    h.eq(v2["apiVersion"], "autoscaling/v2", "preferred version")
    # v1's implicit 80% CPU target becomes an explicit v2 metric.
    h.eq(v2["spec"]["metrics"], [{"resource": {"name": "cpu", "target": {"averageUtilization": 80, "type": "Utilization"}},
                                  "type": "Resource"}], "v2 metrics")
    h.eq(v2["status"], {"currentMetrics": None, "desiredReplicas": 0}, "v2 status")
    v1 = json.loads(h.ok("get", "horizontalpodautoscalers.v1.autoscaling", "h1", "-o", "json"))
    h.eq(v1["spec"], {"maxReplicas": 3, "minReplicas": 1,
                      "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                      "targetCPUUtilizationPercentage": 80}, "v1 spec")
    h.eq(v1["status"], {"currentReplicas": 0, "desiredReplicas": 0}, "v1 status")
    # A v2-only metric reaches v1 readers through the round-trip annotation.
    h.ok("apply", "-f", "-", input="apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h2}\n"
                                   "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
                                   "  maxReplicas: 4\n  metrics:\n  - type: Resource\n    resource:\n      name: memory\n"
                                   "      target: {type: AverageValue, averageValue: 100Mi}\n")
    v1 = json.loads(h.ok("get", "horizontalpodautoscalers.v1.autoscaling", "h2", "-o", "json"))
    h.eq(v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"],
         '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]', "metrics annotation")
    h.check("targetCPUUtilizationPercentage" not in v1["spec"], "no CPU target: %r" % v1["spec"])
    out = h.ok("get", "hpa", "h2")
    match("NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\n"
          "h2 +Deployment/web +memory: <unknown>/100Mi +1 +4 +0 +" + AGE + "\n", out, "get hpa h2")
    h.ok("delete", "hpa", "h1", "h2")


def test_validation_errors():
    cases = [
        ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\nspec: {}\n",
         "The Ingress \"bad\" is invalid: spec: Invalid value: []networking.IngressRule(nil): "
         "either `defaultBackend` or `rules` must be specified\n"),
        ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\nspec:\n  accessModes: [ReadWriteOnce]\n",
         "The PersistentVolumeClaim \"p\" is invalid: spec.resources[storage]: Required value\n"),
        ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n"
         "  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 3\n  maxReplicas: 2\n",
         "The HorizontalPodAutoscaler \"h\" is invalid: spec.maxReplicas: Invalid value: 2: "
         "must be greater than or equal to `minReplicas`\n"),
        ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: example.com/x\n"
         "reclaimPolicy: Foo\n",
         "The StorageClass \"s\" is invalid: reclaimPolicy: Unsupported value: \"Foo\": supported values: "
         "\"Delete\", \"Retain\"\n"),
    ]
    for manifest, want in cases:
        rc, out, err = h.kubectl("create", "-f", "-", input=manifest)
        h.eq((rc, out, err), (1, "", want), "create -f of\n" + manifest)


def test_storage_class_default_and_rc():
    h.ok("create", "-f", "-", input="apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\n"
                                    "  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}\n"
                                    "provisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n")
    match("NAME +PROVISIONER +RECLAIMPOLICY +VOLUMEBINDINGMODE +ALLOWVOLUMEEXPANSION +AGE\n"
          r"standard \(default\) +kubernetes.io/no-provisioner +Delete +WaitForFirstConsumer +false +" + AGE + "\n",
          h.ok("get", "sc"), "get sc")
    h.ok("create", "-f", "-", input="apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc1}\nspec:\n"
                                    "  template:\n    metadata: {labels: {app: rc1}}\n"
                                    "    spec: {containers: [{name: c, image: nginx}]}\n")
    rc = json.loads(h.ok("get", "rc", "rc1", "-o", "json"))
    h.eq((rc["spec"]["replicas"], rc["spec"]["selector"], rc["metadata"]["labels"]), (1, {"app": "rc1"}, {"app": "rc1"}),
         "RC defaults from the template")
    h.eq(h.ok("scale", "rc", "rc1", "--replicas=3"), "replicationcontroller/rc1 scaled\n", "scale rc")
    scale = json.loads(h.ok("get", "--raw", "/api/v1/namespaces/default/replicationcontrollers/rc1/scale"))
    h.eq((scale["spec"], scale["status"]), ({"replicas": 3}, {"replicas": 0, "selector": "app=rc1"}), "rc scale")
    match("NAME +DESIRED +CURRENT +READY +AGE +CONTAINERS +IMAGES +SELECTOR\n"
          "rc1 +3 +0 +0 +" + AGE + " +c +nginx +app=rc1\n", h.ok("get", "rc", "-o", "wide"), "get rc -o wide")


def test_token_request_and_authentication():
    h.ok("create", "serviceaccount", "robot")
    tr = json.loads(h.ok("create", "token", "robot", "-o", "json", "--audience=api", "--duration=20m"))
    h.eq(tr["spec"], {"audiences": ["api"], "boundObjectRef": None, "expirationSeconds": 1200}, "TokenRequest spec")
    payload = tr["status"]["token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    sa = json.loads(h.ok("get", "sa", "robot", "-o", "json"))
    h.eq((claims["sub"], claims["aud"], claims["exp"] - claims["iat"], claims["kubernetes.io"]),
         ("system:serviceaccount:default:robot", ["api"], 1200,
          {"namespace": "default", "serviceaccount": {"name": "robot", "uid": sa["metadata"]["uid"]}}), "claims")
    rc, out, err = h.kubectl("create", "token", "robot", "--duration=1m")
    h.eq((rc, err), (1, "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: "
                        "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n"),
         "duration below 10 minutes")
    rc, out, err = h.kubectl("create", "token", "nobody")
    h.eq((rc, err), (1, "error: failed to create token: serviceaccounts \"nobody\" not found\n"), "missing SA")
    token = h.ok("create", "token", "robot")
    server = h.server()
    as_robot = ("--kubeconfig=/dev/null", "--server=" + server.url, "--insecure-skip-tls-verify", "--token=" + token)
    match(r"ATTRIBUTE +VALUE\nUsername +system:serviceaccount:default:robot\nUID +" + sa["metadata"]["uid"] +
          r"\nGroups +\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]\n",
          h.ok("auth", "whoami", *as_robot), "whoami with the token")
    # A token of a deleted account no longer authenticates (--service-account-lookup).
    h.ok("delete", "sa", "robot")
    rc, out, err = h.kubectl("auth", "whoami", *as_robot)
    h.eq((rc, err), (1, "error: You must be logged in to the server (Unauthorized)\n"), "deleted SA")


if __name__ == "__main__":
    h.main(globals())
