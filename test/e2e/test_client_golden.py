#!/usr/bin/env python3
"""Golden comparison of `kapi` client mode against real kubectl 1.33.

A tiny fake API server (plain HTTP, canned discovery, Table and JSON answers) runs in this
process; every case runs `kubectl.1.33 <args>` and `$KAPI_BIN <args>` (argv[0] = kubectl, via a
symlink) against it with fresh HOMEs and compares stdout, stderr and the exit code byte for byte.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_golden.py [-v] [filter]
Exit 0 when every case matches; otherwise prints the differences and exits 1.
"""
import copy
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AGG_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
TABLE_ACCEPT = "as=Table"

# ---------------------------------------------------------------------------------------------
# Canned cluster state.

def meta(name, ns=None, labels=None, created="2024-01-01T00:00:00Z", uid=None, rv="100", **extra):
    m = {"name": name}
    if ns is not None:
        m["namespace"] = ns
    m["uid"] = uid or ("uid-" + (ns or "") + "-" + name)
    m["resourceVersion"] = rv
    m["creationTimestamp"] = created
    if labels:
        m["labels"] = labels
    m.update(extra)
    return m


def pod(name, ns, labels=None, phase="Running", ready="1/1", restarts="0", ip="10.244.0.5",
        node="node-1", annotations=None):
    md = meta(name, ns, labels)
    if annotations:
        md["annotations"] = annotations
    obj = {
        "metadata": md,
        "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                                 "resources": {}, "terminationMessagePath": "/dev/termination-log",
                                 "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}],
                 "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                 "dnsPolicy": "ClusterFirst", "nodeName": node, "schedulerName": "default-scheduler",
                 "enableServiceLinks": True, "priority": 0},
        "status": {"phase": phase, "podIP": ip, "podIPs": [{"ip": ip}], "qosClass": "BestEffort",
                   "startTime": "2024-01-01T00:00:01Z"},
    }
    cells = [name, ready, phase, restarts, "5d", ip, node, "<none>", "<none>"]
    return obj, cells


POD_COLS = [("Name", "string", "name", 0), ("Ready", "string", "", 0), ("Status", "string", "", 0),
            ("Restarts", "string", "", 0), ("Age", "string", "", 0), ("IP", "string", "", 1),
            ("Node", "string", "", 1), ("Nominated Node", "string", "", 1),
            ("Readiness Gates", "string", "", 1)]
SVC_COLS = [("Name", "string", "name", 0), ("Type", "string", "", 0), ("Cluster-IP", "string", "", 0),
            ("External-IP", "string", "", 0), ("Port(s)", "string", "", 0), ("Age", "string", "", 0),
            ("Selector", "string", "", 1)]
DEPLOY_COLS = [("Name", "string", "name", 0), ("Ready", "string", "", 0), ("Up-to-date", "string", "", 0),
               ("Available", "string", "", 0), ("Age", "string", "", 0), ("Containers", "string", "", 1),
               ("Images", "string", "", 1), ("Selector", "string", "", 1)]
NS_COLS = [("Name", "string", "name", 0), ("Status", "string", "", 0), ("Age", "string", "", 0)]
CM_COLS = [("Name", "string", "name", 0), ("Data", "string", "", 0), ("Age", "string", "", 0)]
NODE_COLS = [("Name", "string", "name", 0), ("Status", "string", "", 0), ("Roles", "string", "", 0),
             ("Age", "string", "", 0), ("Version", "string", "", 0), ("Internal-IP", "string", "", 1),
             ("External-IP", "string", "", 1), ("OS-Image", "string", "", 1),
             ("Kernel-Version", "string", "", 1), ("Container-Runtime", "string", "", 1)]
DEFAULT_COLS = [("Name", "string", "name", 0), ("Created At", "date", "", 0)]


def build_state():
    s = {}  # (group, resource) -> list of (obj, cells)
    s[("", "pods")] = [
        pod("web-7d4b9c-abcde", "default", {"app": "web", "tier": "frontend"}),
        pod("db-0", "default", {"app": "db"}, ready="0/1", phase="Pending", restarts="3 (2m ago)",
            ip="<none>", node="<none>"),
        pod("coredns-5d78c9869d-x1y2z", "kube-system", {"k8s-app": "kube-dns"}, ip="10.244.0.2",
            annotations={"note": "a very long annotation value that goes on and on and on, well past eighty columns of text",
                         "multi": "line one\nline two\n"}),
    ]
    s[("", "services")] = [
        ({"metadata": meta("kubernetes", "default", {"component": "apiserver", "provider": "kubernetes"}),
          "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "type": "ClusterIP",
                   "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                   "sessionAffinity": "None"},
          "status": {"loadBalancer": {}}},
         ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "5d", "<none>"]),
        ({"metadata": meta("kube-dns", "kube-system", {"k8s-app": "kube-dns"}),
          "spec": {"clusterIP": "10.96.0.10", "type": "ClusterIP", "selector": {"k8s-app": "kube-dns"}}},
         ["kube-dns", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP", "5d", "k8s-app=kube-dns"]),
    ]
    s[("apps", "deployments")] = [
        ({"metadata": meta("web", "default", {"app": "web"}, generation=1),
          "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}},
          "status": {"replicas": 2, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 2,
                     "observedGeneration": 1}},
         ["web", "1/2", "2", "1", "5d", "c", "nginx:1.25", "app=web"]),
    ]
    s[("", "namespaces")] = [
        ({"metadata": meta(n, labels={"kubernetes.io/metadata.name": n}), "spec": {"finalizers": ["kubernetes"]},
          "status": {"phase": "Active"}}, [n, "Active", "5d"])
        for n in ["default", "empty", "kube-system"]
    ]
    s[("", "configmaps")] = [
        ({"metadata": meta("kube-root-ca.crt", "default"), "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}},
         ["kube-root-ca.crt", "1", "5d"]),
        ({"metadata": meta("settings", "default", {"app": "web"}),
          "data": {"empty": "", "number": "42", "bool": "true", "colon": "a: b", "space": " lead",
                   "yes": "yes", "null": "null", "hash": "#x", "dash": "- x", "unicode": "h\u00e9llo",
                   "quote": "it's", "tab": "a\tb"}},
         ["settings", "12", "5d"]),
    ]
    s[("", "nodes")] = [
        ({"metadata": meta("node-1", labels={"kubernetes.io/hostname": "node-1",
                                             "node-role.kubernetes.io/control-plane": ""}),
          "spec": {}, "status": {"nodeInfo": {"kubeletVersion": "v1.33.0"}}},
         ["node-1", "Ready", "control-plane", "5d", "v1.33.0", "172.18.0.2", "<none>",
          "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.0"]),
    ]
    s[("example.com", "widgets")] = [
        ({"metadata": meta("w1", "default"), "spec": {"size": 3}},
         ["w1", "2024-01-01T00:00:00Z"]),
    ]
    return s


# group, version, resource, singular, kind, namespaced, shortNames, categories, columns
RESOURCES = [
    ("", "v1", "pods", "pod", "Pod", True, ["po"], ["all"], POD_COLS),
    ("", "v1", "services", "service", "Service", True, ["svc"], ["all"], SVC_COLS),
    ("", "v1", "namespaces", "namespace", "Namespace", False, ["ns"], [], NS_COLS),
    ("", "v1", "configmaps", "configmap", "ConfigMap", True, ["cm"], [], CM_COLS),
    ("", "v1", "nodes", "node", "Node", False, ["no"], [], NODE_COLS),
    ("", "v1", "secrets", "secret", "Secret", True, [], [], DEFAULT_COLS),
    ("apps", "v1", "deployments", "deployment", "Deployment", True, ["deploy"], ["all"], DEPLOY_COLS),
    ("apps", "v1", "replicasets", "replicaset", "ReplicaSet", True, ["rs"], ["all"], DEFAULT_COLS),
    ("batch", "v1", "jobs", "job", "Job", True, [], ["all"], DEFAULT_COLS),
    ("example.com", "v1", "widgets", "widget", "Widget", True, ["wd"], [], DEFAULT_COLS),
]
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def gv_of(group, version):
    return version if not group else group + "/" + version


def aggregated(core):
    groups = {}
    order = []
    for g, v, r, sing, kind, nsd, short, cats, _ in RESOURCES:
        if (g == "") != core:
            continue
        if g not in groups:
            groups[g] = []
            order.append(g)
        res = {"resource": r, "responseKind": {"group": g, "version": v, "kind": kind},
               "scope": "Namespaced" if nsd else "Cluster", "singularResource": sing, "verbs": VERBS}
        if short:
            res["shortNames"] = short
        if cats:
            res["categories"] = cats
        groups[g].append(res)
    items = []
    for g in order:
        items.append({"metadata": {"name": g} if g else {},
                      "versions": [{"version": "v1", "resources": groups[g], "freshness": "Current"}]})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
            "metadata": {}, "items": items}


def resource_list(group, version):
    out = []
    for g, v, r, sing, kind, nsd, short, cats, _ in RESOURCES:
        if g == group and v == version:
            e = {"name": r, "singularName": sing, "namespaced": nsd, "kind": kind, "verbs": VERBS}
            if short:
                e["shortNames"] = short
            if cats:
                e["categories"] = cats
            out.append(e)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv_of(group, version),
            "resources": out}


def status(code, reason, message, details=None):
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
         "message": message, "reason": reason, "code": code}
    if details is not None:
        s["details"] = details
    return s


def match_labels(labels, sel):
    if not sel:
        return True
    for term in sel.split(","):
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k) == v:
                return False
        elif "=" in term:
            k, v = term.replace("==", "=").split("=", 1)
            if labels.get(k) != v:
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def match_fields(obj, sel):
    if not sel:
        return True
    for term in sel.split(","):
        k, v = term.replace("==", "=").split("=", 1)
        if k == "metadata.name" and obj["metadata"]["name"] != v:
            return False
        if k == "metadata.namespace" and obj["metadata"].get("namespace") != v:
            return False
    return True


class FakeServer:
    def __init__(self):
        self.state = build_state()
        self.log = []
        self.res = {(g, r): (g, v, r, sing, kind, nsd, cols)
                    for g, v, r, sing, kind, nsd, short, cats, cols in RESOURCES}
        handler = self._make_handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()

    def _make_handler(self):
        srv = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def send(self, code, body, ct="application/json"):
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(code)
                self.send_header("Content-Type", ct)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                srv.log.append((self.path, self.headers.get("Accept", ""),
                                self.headers.get("User-Agent", "")))
                code, body, ct = srv.handle(self.path, self.headers.get("Accept", ""))
                self.send(code, body, ct)

        return H

    def handle(self, path, accept):
        u = urllib.parse.urlsplit(path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        parts = [p for p in u.path.split("/") if p]
        if u.path == "/version":
            return 200, {"major": "1", "minor": "33", "gitVersion": "v1.33.0", "gitCommit": "abc",
                         "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z",
                         "goVersion": "go1.24.0", "compiler": "gc", "platform": "linux/amd64"}, "application/json"
        if u.path == "/api" and "apidiscovery" in accept:
            return 200, aggregated(True), AGG_CT
        if u.path == "/apis" and "apidiscovery" in accept:
            return 200, aggregated(False), AGG_CT
        if u.path == "/api":
            return 200, {"kind": "APIVersions", "versions": ["v1"]}, "application/json"
        if u.path == "/apis":
            gs = sorted({g for g, *_ in RESOURCES if g})
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": g + "/v1", "version": "v1"}],
                 "preferredVersion": {"groupVersion": g + "/v1", "version": "v1"}} for g in gs]}, "application/json"
        # /api/v1[/namespaces/ns]/res[/name]  or /apis/g/v[/namespaces/ns]/res[/name]
        if parts[:1] == ["api"]:
            group, version, rest = "", parts[1] if len(parts) > 1 else "", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return 404, status(404, "NotFound", "the server could not find the requested resource"), "application/json"
        if not rest:
            return 200, resource_list(group, version), "application/json"
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        resource = rest[0]
        name = rest[1] if len(rest) > 1 else None
        if (group, resource) not in self.res:
            return 404, status(404, "NotFound", "the server could not find the requested resource"), "application/json"
        g, v, r, sing, kind, nsd, cols = self.res[(group, resource)]
        if ns == "forbidden":
            return 403, status(403, "Forbidden", f'{r} is forbidden: User "bob" cannot list resource "{r}" in API group "{g}" in the namespace "forbidden"',
                               {"kind": r}), "application/json"
        items = [(copy.deepcopy(o), c) for o, c in self.state.get((group, resource), [])
                 if ns is None or o["metadata"].get("namespace") == ns]
        if name is not None:
            items = [(o, c) for o, c in items if o["metadata"]["name"] == name]
            if not items:
                qual = r if not g else r + "." + g
                return 404, status(404, "NotFound", f'{qual} "{name}" not found',
                                   {"name": name, "group": g, "kind": r}), "application/json"
        items = [(o, c) for o, c in items if match_labels(o["metadata"].get("labels", {}), q.get("labelSelector"))
                 and match_fields(o, q.get("fieldSelector"))]
        lmeta = {"resourceVersion": "200"}
        start = int(q.get("continue", "0") or 0)
        limit = int(q.get("limit", "0") or 0)
        if limit and name is None:
            page = items[start:start + limit]
            if start + limit < len(items):
                lmeta["continue"] = str(start + limit)
                lmeta["remainingItemCount"] = len(items) - start - limit
            items = page
        apiv = gv_of(g, v)
        if TABLE_ACCEPT in accept:
            t = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": lmeta,
                 "columnDefinitions": [{"name": n, "type": t, "format": f, "description": n + " of the object",
                                        "priority": p} for n, t, f, p in cols],
                 "rows": []}
            for o, c in items:
                pm = {k: o["metadata"][k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                     "creationTimestamp", "labels", "annotations")
                      if k in o["metadata"]}
                t["rows"].append({"cells": c, "object": {"kind": "PartialObjectMetadata",
                                                          "apiVersion": "meta.k8s.io/v1", "metadata": pm}})
            return 200, t, "application/json"
        if name is not None:
            o = items[0][0]
            return 200, dict({"kind": kind, "apiVersion": apiv}, **o), "application/json"
        return 200, {"kind": kind + "List", "apiVersion": apiv, "metadata": lmeta,
                     "items": [o for o, _ in items]}, "application/json"


# ---------------------------------------------------------------------------------------------

def find_kubectl():
    k = shutil.which("kubectl")
    cands = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.33"]
    if k:
        cands.append(os.path.join(os.path.dirname(os.path.realpath(k)), "kubectl.1.33"))
    for c in cands:
        if os.access(c, os.X_OK):
            return c
    return None


if __name__ == "__main__" and os.environ.get("FAKE_ONLY"):
    s = FakeServer()
    print(s.port, flush=True)
    while True:
        time.sleep(3600)
