#!/usr/bin/env python3
"""Golden comparison of `kapi` client mode against real kubectl 1.33.

A tiny fake API server (plain HTTP, canned discovery, Table and JSON answers) runs in this
process; every case runs `kubectl.1.33 <args>` and `$KAPI_BIN <args>` (with argv[0] = "kubectl")
against it, each with an emptied HOME, and compares stdout, stderr and the exit code byte for byte
(klog timestamps and process ids aside).

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_golden.py [-v] [filter...]
Exit 0 when every case matches (or kubectl 1.33 is not installed: SKIP); otherwise prints the
differences (stdout, stderr, exit code and the requests the server saw) and exits 1.
A plain-HTTP server covers discovery, tables, printers, watch and errors; a TLS server with a
client-certificate CA covers kubeconfig TLS settings. FAKE_ONLY=1 just serves the fake cluster.
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
    tricky = {
        "long-spaces": "a very long value with many words that keeps going and going past the eighty column limit of the emitter for sure",
        "long-nospace": "x" * 120,
        "long-quoted": "true " + "word " * 30,
        "long-single": "- " + "word " * 30 + "end",
        "trailing-space": "value ", "leading-space": " value", "only-space": " ",
        "leading-newline": "\nafter", "trailing-newlines": "line\n\n", "crlf": "a\r\nb",
        "kv": "key: value", "kv2": "a:b", "item": "- item", "item2": "-item", "hash": "#c", "hash2": "a #b",
        "hash3": "a# b", "at": "@x", "tick": "`x", "pct": "%x", "bang": "!x", "amp": "&x", "star": "*x",
        "pipe": "|x", "gt": ">x", "sq": "'x", "dq": "\"x", "lb": "[x", "rb": "]x", "lc": "{x", "rc": "}x",
        "comma": ",x", "q": "?x", "q2": "? x", "colon": ":x", "colon2": ": x", "dots": "...", "dashes": "---",
        "dashes2": "--- x", "exp": "1e3", "hex": "0x1F", "under": "1_000", "bin": "0b101", "dot5": ".5",
        "plus": "+1", "negf": "-1.5", "base60": "1:20", "date": "2024-01-01", "date2": "2024-1-2",
        "baddate": "2024-13-01", "ts": "2024-01-01 10:00:00", "yes": "Yes", "tilde": "~", "on": "on",
        "null": "null", "empty": "", "tab": "a\tb", "emoji": "smile \U0001F600", "accent": "caf\u00e9",
        "nel": "a\u0085b", "ls": "a\u2028b", "nbsp": "a\u00a0b", "bom": "\ufeffx", "ctrl": "a\u0007b",
        "inf": ".inf", "nan": ".NaN", "neg": "-", "merge": "<<", "octal": "0777", "float": "3.14",
        "version": "1.2.3", "ip": "10.0.0.1", "cidr": "10.0.0.0/8", "path": "/etc/x", "url": "http://a:b@c/d?e=f#g",
        "json": "{\"a\":[1,2]}", "json-nl": "{\"a\":1}\n", "backslash": "a\\b", "quote-mid": "it's \"quoted\"",
        "multi": "first line\n  indented\n\nlast", "multi-trailing-space": "line \nnext",
        "long-multi": ("word " * 25) + "\n" + ("more " * 25),
        "key1": "1", "key10": "10", "key2": "2", "Key": "K", "_key": "u", "-key": "d", "a.b": "dot",
        "a-b": "dash", "ab": "ab", "a_b": "underscore", "a/b": "slash", "a0": "z", "a00": "zz", "a01": "zo",
        "\u00e9t\u00e9": "unicode key", "with space": "k", "": "empty key", "true": "bool key", "123": "num key",
    }
    s[("", "configmaps")].append(
        ({"metadata": meta("tricky", "default"), "data": tricky}, ["tricky", str(len(tricky)), "5d"]))
    s[("", "nodes")] = [
        ({"metadata": meta("node-1", labels={"kubernetes.io/hostname": "node-1",
                                             "node-role.kubernetes.io/control-plane": ""}),
          "spec": {}, "status": {"nodeInfo": {"kubeletVersion": "v1.33.0"}}},
         ["node-1", "Ready", "control-plane", "5d", "v1.33.0", "172.18.0.2", "<none>",
          "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.0"]),
    ]
    s[("example.com", "widgets")] = [
        ({"metadata": meta("w1", "default"),
          "spec": {"size": 3, "ratio": 0.5, "big": 1e21, "small": 1e-7, "million": 1000000.0, "neg": -2.5,
                   "exact": 2.0, "huge": 123456789012, "list": [[1, 2], [], [["deep"]]], "empty": {},
                   "nested": [{"a": 1, "b": [{"c": None}]}, {}], "flags": [True, False, None],
                   "html": "<b>&amp;</b>", "u2028": "x\u2028y", "seq-of-str": ["a", "- b", "c: d", ""]}},
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
    def __init__(self, ssl_context=None):
        self.state = build_state()
        self.log = []
        self.res = {(g, r): (g, v, r, sing, kind, nsd, cols)
                    for g, v, r, sing, kind, nsd, short, cats, cols in RESOURCES}
        handler = self._make_handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
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
                q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                if q.get("watch") in ("true", "1"):
                    return self.watch(q)
                code, body, ct = srv.handle(self.path, self.headers.get("Accept", ""))
                self.send(code, body, ct)

            def watch(self, q):
                # A few canned events, then the stream ends (kubectl then exits 0).
                events = srv.watch_events(self.path, self.headers.get("Accept", ""), q)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for e in events:
                    data = (json.dumps(e) + "\n").encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                self.close_connection = True

        return H

    def watch_events(self, path, accept, q):
        """Events for GET ...?watch=true: for a list of pods in "default" one change of each type;
        for a single object (fieldSelector=metadata.name=X) the synthetic ADDED first."""
        u = urllib.parse.urlsplit(path)
        parts = [urllib.parse.unquote(p) for p in u.path.split("/") if p]
        resource = parts[-1]
        ns = parts[parts.index("namespaces") + 1] if "namespaces" in parts else None
        group = "" if parts[0] == "api" else parts[1]
        g, v, r, sing, kind, nsd, cols = self.res[(group, resource)]
        items = [(copy.deepcopy(o), c) for o, c in self.state.get((group, resource), [])
                 if ns is None or o["metadata"].get("namespace") == ns]
        out = []
        fs = q.get("fieldSelector", "")
        if fs.startswith("metadata.name="):
            items = [(o, c) for o, c in items if o["metadata"]["name"] == fs.split("=", 1)[1]]
            changes = [("ADDED", o, c) for o, c in items]
        elif resource == "pods" and ns in (None, "default"):
            db = next((o, c) for o, c in items if o["metadata"]["name"] == "db-0")
            web = next((o, c) for o, c in items if o["metadata"]["name"].startswith("web-"))
            new_obj, new_cells = pod("new-pod-with-a-much-longer-name", "default", {"app": "new"}, ready="0/1",
                                     phase="Pending", ip="<none>", node="<none>")
            db_obj = copy.deepcopy(db[0])
            db_obj["status"]["phase"] = "Running"
            db_cells = ["db-0", "1/1", "Running", "3 (2m ago)", "5d", "10.244.0.9", "node-1", "<none>", "<none>"]
            changes = [("MODIFIED", db_obj, db_cells), ("DELETED", web[0], web[1]), ("ADDED", new_obj, new_cells)]
        else:
            changes = []
        first = True
        for typ, o, c in changes:
            if TABLE_ACCEPT in accept:
                pm = {k: o["metadata"][k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                     "creationTimestamp", "labels") if k in o["metadata"]}
                obj = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "201"},
                       "rows": [{"cells": c, "object": {"kind": "PartialObjectMetadata",
                                                         "apiVersion": "meta.k8s.io/v1", "metadata": pm}}]}
                if first:
                    obj["columnDefinitions"] = [{"name": n, "type": t, "format": f, "description": n + " of the object",
                                                 "priority": p} for n, t, f, p in cols]
            else:
                obj = dict({"kind": kind, "apiVersion": gv_of(g, v)}, **o)
            first = False
            out.append({"type": typ, "object": obj})
        return out

    def handle(self, path, accept):
        u = urllib.parse.urlsplit(path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        parts = [urllib.parse.unquote(p) for p in u.path.split("/") if p]
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


def make_pki(d):
    """A CA, a server certificate (127.0.0.1, localhost, kapi.test) and a client certificate."""
    def sh(*args):
        subprocess.run(args, cwd=d, check=True, capture_output=True)
    sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key")
    sh("openssl", "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=fake-ca", "-days", "2", "-out", "ca.crt")
    sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "other-ca.key")
    sh("openssl", "req", "-x509", "-new", "-key", "other-ca.key", "-subj", "/CN=other-ca", "-days", "2",
       "-out", "other-ca.crt")
    for name, subj, ext in (("server", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kapi.test\nextendedKeyUsage=serverAuth"),
                            ("client", "/CN=admin/O=system:masters", "extendedKeyUsage=clientAuth")):
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(ext.replace("\\n", "\n") + "\n")
        sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key")
        sh("openssl", "req", "-new", "-key", name + ".key", "-subj", subj, "-out", name + ".csr")
        sh("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
           "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt")


def b64(path):
    import base64
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


TLS_KUBECONFIG_TEMPLATE = """apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:{port}
    certificate-authority-data: {ca}
  name: tls
- cluster:
    server: https://127.0.0.1:{port}
    certificate-authority: pki/ca.crt
  name: tls-files
- cluster:
    server: https://127.0.0.1:{port}
    insecure-skip-tls-verify: true
  name: tls-insecure
- cluster:
    server: https://127.0.0.1:{port}
    certificate-authority-data: {other_ca}
  name: tls-badca
- cluster:
    server: https://localhost:{port}
    certificate-authority-data: {ca}
    tls-server-name: kapi.test
  name: tls-name
contexts:
- context: {{cluster: tls, user: cert-data}}
  name: tls
- context: {{cluster: tls-files, user: cert-files, namespace: kube-system}}
  name: tls-files
- context: {{cluster: tls-insecure, user: cert-data}}
  name: tls-insecure
- context: {{cluster: tls-badca, user: cert-data}}
  name: tls-badca
- context: {{cluster: tls-name, user: cert-data}}
  name: tls-name
- context: {{cluster: tls, user: no-cert}}
  name: tls-nocert
current-context: tls
users:
- name: cert-data
  user:
    client-certificate-data: {cert}
    client-key-data: {key}
- name: cert-files
  user:
    client-certificate: pki/client.crt
    client-key: pki/client.key
- name: no-cert
  user:
    token: abc
"""

TLS_CASES = [
    "get pods", "get pods -A -o wide", "get pod db-0 -o yaml", "get pods --context tls-files",
    "get pods --context tls-insecure", "get pods --context tls-name", "get all -A",
    "version -o json", "get pods --context tls-badca",
    "get pods --certificate-authority pki/other-ca.crt",
    "get pods --insecure-skip-tls-verify --context tls-badca",
]

KUBECONFIG_TEMPLATE = """apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.0.0.1:{port}
  name: fake
- cluster:
    server: http://127.0.0.1:1
  name: dead
contexts:
- context:
    cluster: fake
    user: u
  name: fake
- context:
    cluster: fake
    user: u
    namespace: kube-system
  name: fake-system
- context:
    cluster: dead
    user: u
  name: dead
current-context: fake
users:
- name: u
  user:
    token: secret-token
"""

# Each case: kubectl arguments (the same for kapi), compared byte for byte.
CASES = [
    # help and command-line errors (no server needed)
    "--help", "", "help", "help get", "help foo", "get --help", "version --help", "options",
    "foo", "gte", "ge", "rm", "list", "get --bogus", "--bogus", "get -Z", "version --bogus",
    "get pods --kubeconfig", "-n", "get -n", "get -Av", "get pods --chunk-size=abc",
    "get pods -A=x", "get pods ---x", "--namespace=x foo", "get", "version --client -o xml",
    # get: tables
    "get pods", "get po", "get pod", "get Pod", "get PODS", "get pods.v1", "get pods -A",
    "get pods -n kube-system", "get pods --all-namespaces", "get pods -o wide",
    "get pods --show-labels", "get pods -o wide --show-labels", "get po -L app -L tier,foo",
    "get pods -A --show-labels -L k8s-app", "get pods --no-headers", "get pods -A --no-headers",
    "get pods -l app=web", "get pods -l app=nope", "get pods --field-selector metadata.name=db-0",
    "get pods -A --chunk-size=1", "get pods --chunk-size=1 -o wide",
    "get pods,svc", "get svc,pods", "get pods,svc -A", "get pods,services,po", "get all",
    "get all -A", "get all -n kube-system", "get all -n empty", "get all --no-headers -A",
    "get deploy", "get deployments.apps", "get deployment.apps", "get deployments.v1.apps",
    "get Deployment", "get ns", "get namespaces default", "get ns -l a=b", "get nodes",
    "get nodes -o wide", "get no node-1 --show-labels", "get cm", "get configmaps -A",
    "get widgets", "get wd", "get widgets.example.com -o wide", "get secrets",
    "get pods -n empty", "get pods -A -l a=b", "get pods,svc -n empty",
    "get pod db-0", "get pod db-0 web-7d4b9c-abcde", "get pod/db-0 svc/kubernetes",
    "get pod/db-0 pod/web-7d4b9c-abcde", "get pods,svc kubernetes", "get pod db-0 --show-kind",
    "get pods --show-kind", "get pod nope", "get pod nope db-0", "get pod nope --ignore-not-found",
    "get pods -n forbidden", "get foos", "get pods,foos", "get foo.bar", "get pod db-0 -A",
    "get pod/db-0 pods", "get pods/a/b", "get pods -o bogus", "get pods -o jsonpath",
    "get pods --show-labels -o json", "get pods --context fake-system", "get pods --context nope",
    "get pods --cluster nope", "get pods --user nope", "get pods --context dead", "get all --context dead",
    "version --context dead", "get pods -s http://127.0.0.1:1", "get pods --request-timeout=abc",
    "get pods --request-timeout=5s", "get pods --kubeconfig /nonexistent",
    # get: other printers
    "get pods -o name", "get all -o name", "get pod db-0 -o name", "get pods -n empty -o name",
    "get pods -o json", "get pod db-0 -o json", "get pods -n kube-system -o yaml",
    "get cm settings -o yaml", "get cm settings -o json", "get cm tricky -o yaml", "get cm tricky -o json",
    "get widgets -o yaml", "get widgets -o json", "get wd w1 -o jsonpath={.spec}", "get cm tricky -o jsonpath={.data}", "get cm,svc -o json", "get ns empty -o yaml",
    "get pods -n empty -o json", "get pods -n empty -o yaml", "get pod/nope -o json",
    "get pods nope db-0 -o name", "get nodes -o yaml", "get cm -A -o yaml",
    "get pods -o jsonpath={.items[*].metadata.name}", "get pod db-0 -o jsonpath={.spec}",
    """get pods -o 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'""",
    "get svc kubernetes -o jsonpath={.spec.clusterIP}", "get pods -o jsonpath={.items[0].metadata.labels}",
    "get pods -o jsonpath={.items[*].spec.containers[*].image}", "get pods -o jsonpath={.items[-1].metadata.name}",
    "get pods -o jsonpath={.items[*].metadata.bogus}",
    """get pods -o 'jsonpath={.items[?(@.status.phase=="Pending")].metadata.name}'""",
    """get pods -o 'jsonpath={.items[?(@.status.phase!="Pending")].metadata.name}{"\\n"}'""",
    "get pods -o jsonpath={.items[*].metadata.labels.app} -l app=web",
    "get pods -o 'jsonpath={.items[0].metadata.name' ", "get pods -o 'jsonpath={.items[0'", "get 'pods/we[b]*'",
    # watch (the fake server sends a few events and closes the stream)
    "get pods -w", "get pods -w -A", "get pods --watch -o wide", "get pod db-0 -w", "get pods -w -o name",
    "get pods -w -o json", "get pod db-0 -w -o yaml", "get svc -w", "get pods,svc -w", "get pods --watch-only",
    "get pod db-0 --watch-only", "get pods -w -l app=db", "get pod db-0 web-7d4b9c-abcde -w",
    "get pods -w -o yaml", "get pods -w -o jsonpath={.metadata.name}", "get pods -w --chunk-size=1",
    "get nodes -w -A", "get pods -w --output-watch-events", "get pods -w --output-watch-events -o json",
    "get pods -w --output-watch-events -o yaml", "get pods -A --watch-only --output-watch-events", "get pods --output-watch-events",
    """get pods -w --output-watch-events -o 'go-template={{.type}} {{.object.metadata.name}}{{"\\n"}}'""",
    """get pods -w -o 'go-template={{.metadata.name}}{{"\\n"}}'""", "get pods -w --output-watch-events -o name",
    "get pods -w --output-watch-events -o jsonpath={.type}",
    # templates
    """get pods -o 'go-template={{range .items}}{{.metadata.name}} {{.status.podIP}}{{"\\n"}}{{end}}'""",
    "get pod db-0 -o go-template={{.spec}}", "get widgets -o go-template={{.items}}", "get cm tricky -o template={{.data}}",
    "get pods -o jsonpath-as-json={.items[*].metadata.name}",
    # custom columns
    "get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP",
    "get pods -A -o custom-columns=NS:metadata.namespace,NAME:{.metadata.name},IMAGES:.spec.containers[*].image,L:.metadata.labels",
    "get pods -o custom-columns=NAME:.metadata.name,MISSING:.bogus --no-headers", "get pod db-0 -o custom-columns=N:.metadata.name",
    "get pods -n empty -o custom-columns=N:.metadata.name", "get pods -o custom-columns=", "get pods -o custom-columns=bad",
    "get pods -o custom-columns=X:{.a}{.b}", "get widgets -o custom-columns=SPEC:.spec.list,F:.spec.flags,R:.spec.ratio",
    # version
    "version", "version -o json", "version -o yaml", "version --client -o json",
]

# Cases whose kubectl output names kubectl's own build (replaced before comparing).
VERSION_CASES = {"version -o json", "version -o yaml", "version --client -o json", "version --context dead",
                 "version"}


def split_args(case):
    import shlex
    return shlex.split(case)


def run(binary, argv0, args, kubeconfig, home, extra_env=None, cwd=None):
    # The same HOME path for both tools (kubectl prints it in `options`), emptied before each run.
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    try:
        env = {"HOME": home, "KUBECONFIG": kubeconfig, "PATH": "/usr/bin:/bin"}
        if extra_env:
            env.update(extra_env)
        t0 = time.time()
        r = subprocess.run([argv0] + args, executable=binary, env=env, capture_output=True, timeout=60,
                           cwd=cwd)
        return r.stdout, normalize_klog(r.stderr), r.returncode, time.time() - t0
    finally:
        shutil.rmtree(home, ignore_errors=True)


def normalize_klog(text):
    # klog lines carry a timestamp and the process id.
    import re
    return re.sub(rb"(?m)^([EWI])\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ ", rb"\1mmdd hh:mm:ss.uuuuuu pid ", text)


def normalize_version(text):
    # The client's own build identity is exempt from the comparison.
    try:
        j = json.loads(text)
        j.pop("kustomizeVersion", None)
        j.pop("clientVersion", None)
        return json.dumps(j, sort_keys=True).encode()
    except Exception:
        lines = [l for l in text.decode().splitlines()]
        out, skip = [], False
        for l in lines:
            if l.startswith("clientVersion:"):
                skip = True
                continue
            if skip and l.startswith("  "):
                continue
            skip = False
            if l.startswith(("kustomizeVersion:", "Client Version:", "Kustomize Version:")):
                continue
            out.append(l)
        return "\n".join(out).encode()


def main():
    verbose = "-v" in sys.argv[1:]
    filters = [a for a in sys.argv[1:] if a != "-v"]
    kubectl = find_kubectl()
    kapi = os.environ.get("KAPI_BIN")
    if kapi:
        kapi = os.path.abspath(kapi)
    if not kubectl:
        print("SKIP: kubectl 1.33 not found")
        return 0
    if not kapi or not os.access(kapi, os.X_OK):
        print("error: set KAPI_BIN to the kapi binary")
        return 1
    tmp = tempfile.mkdtemp(prefix="kapi-golden-")
    pki = os.path.join(tmp, "pki")
    os.makedirs(pki)
    make_pki(pki)
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, "server.crt"), os.path.join(pki, "server.key"))
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(os.path.join(pki, "ca.crt"))
    server = FakeServer()
    tls_server = FakeServer(ctx)
    kc = os.path.join(tmp, "config")
    with open(kc, "w") as f:
        f.write(KUBECONFIG_TEMPLATE.format(port=server.port))
    tls_kc = os.path.join(tmp, "tls-config")
    with open(tls_kc, "w") as f:
        f.write(TLS_KUBECONFIG_TEMPLATE.format(port=tls_server.port, ca=b64(os.path.join(pki, "ca.crt")),
                                               other_ca=b64(os.path.join(pki, "other-ca.crt")),
                                               cert=b64(os.path.join(pki, "client.crt")),
                                               key=b64(os.path.join(pki, "client.key"))))
    failures = 0
    total = 0
    t_kubectl = t_kapi = 0.0
    cases = [(c, server, kc) for c in CASES] + [("tls: " + c, tls_server, tls_kc) for c in TLS_CASES]
    for label, srv, config in cases:
        case = label[len("tls: "):] if label.startswith("tls: ") else label
        if filters and not any(f in label for f in filters):
            continue
        total += 1
        args = split_args(case)
        home = os.path.join(tmp, "home")
        srv.log.clear()
        ko, ke, kr, kt = run(kubectl, "kubectl", args, config, home, cwd=tmp)
        klog = [(p, a) for p, a, _ in srv.log]
        srv.log.clear()
        ao, ae, ar, at = run(kapi, "kubectl", args, config, home, cwd=tmp)
        alog = [(p, a) for p, a, _ in srv.log]
        t_kubectl += kt
        t_kapi += at
        if case in VERSION_CASES:
            ko, ao = normalize_version(ko), normalize_version(ao)
        if (ko, ke, kr, klog) != (ao, ae, ar, alog):
            failures += 1
            print(f"FAIL: kubectl {label}")
            if klog != alog:
                print("  requests differ:")
                for l in difflib.unified_diff([f"{p} | {a}\n" for p, a in klog], [f"{p} | {a}\n" for p, a in alog],
                                              "kubectl", "kapi"):
                    print("    " + l, end="")
            if kr != ar:
                print(f"  exit code: kubectl {kr}, kapi {ar}")
            for name, a, b in (("stdout", ko, ao), ("stderr", ke, ae)):
                if a != b:
                    diff = difflib.unified_diff(a.decode(errors="replace").splitlines(True),
                                                b.decode(errors="replace").splitlines(True),
                                                "kubectl " + name, "kapi " + name)
                    sys.stdout.writelines("    " + l if l.endswith("\n") else "    " + l + "\n" for l in diff)
        elif verbose:
            print(f"ok: kubectl {label}")
    tls_server.close()
    server.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{total - failures}/{total} cases identical (kubectl {t_kubectl:.2f}s, kapi {t_kapi:.2f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    if os.environ.get("FAKE_ONLY"):
        # Debugging aid: serve the fake cluster and print its port.
        s = FakeServer()
        print(s.port, flush=True)
        while True:
            time.sleep(3600)
    sys.exit(main())
