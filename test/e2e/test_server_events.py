#!/usr/bin/env python3
"""core/v1 and events.k8s.io/v1 Events are one resource, as upstream stores them once
(/registry/events/NS/NAME) and converts between the versions: an event written through one API is
read, listed, watched, selected and deleted through the other.

The expected objects follow upstream's conversion (k8s.io/kubernetes pkg/apis/events/v1
conversion.go: involvedObject<->regarding, message<->note, source<->deprecatedSource,
firstTimestamp/lastTimestamp/count<->deprecated*, reportingComponent<->reportingController, the
rest by name), its field label conversion (AddFieldLabelConversionsForEvent) and validation
(pkg/apis/core/validation/events.go). kubectl steps run with real kubectl 1.33 and with kapi.
"""
import json
import os
import socket
import sys
import time
import urllib.request
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

CORE = "/api/v1/namespaces/%s/events"
V1 = "/apis/events.k8s.io/v1/namespaces/%s/events"


def ctx():
    import ssl
    srv = h.server()
    c = ssl.create_default_context(cafile=srv.ca_file)
    pki = os.path.join(srv.data_dir, "pki")
    c.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
    return c


def call(method, path, obj=None):
    body = json.dumps(obj).encode() if obj is not None else None
    req = urllib.request.Request(h.server().url + path, data=body, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, context=ctx(), timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def ensure_ns(ns):
    h.kubectl("create", "namespace", ns)


def core_event(name, ns, pod="web-1"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": ns},
            "involvedObject": {"kind": "Pod", "namespace": ns, "name": pod, "uid": "u-1", "apiVersion": "v1",
                               "fieldPath": "spec.containers{app}"},
            "reason": "BackOff", "message": "Back-off restarting failed container",
            "source": {"component": "kubelet", "host": "node-1"},
            "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:10:00Z", "count": 7,
            "type": "Warning", "reportingComponent": "kubelet", "reportingInstance": "node-1"}


def v1_event(name, ns, pod="web-2"):
    return {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": name, "namespace": ns},
            "eventTime": "2024-01-01T00:00:00.000000Z", "reportingController": "example.com/ctl",
            "reportingInstance": "ctl-1", "action": "Scale", "reason": "Scaled",
            "regarding": {"kind": "Pod", "namespace": ns, "name": pod},
            "related": {"kind": "Node", "name": "node-2"}, "note": "scaled it", "type": "Normal",
            "series": {"count": 2, "lastObservedTime": "2024-01-01T00:05:00.000000Z"}}


def body_of(obj):
    """The object without metadata (kapi-made uid, timestamps, managedFields)."""
    return {k: v for k, v in obj.items() if k != "metadata"}


def test_core_event_reads_as_events_v1():
    ensure_ns("ev1")
    code, created = call("POST", CORE % "ev1", core_event("web-1.a", "ev1"))
    h.eq(code, 201, "core create")
    code, got = call("GET", V1 % "ev1" + "/web-1.a")
    h.eq(code, 200, "events.k8s.io get")
    h.eq(body_of(got), {
        "kind": "Event", "apiVersion": "events.k8s.io/v1", "eventTime": None,
        "reportingController": "kubelet", "reportingInstance": "node-1", "reason": "BackOff",
        "regarding": {"kind": "Pod", "namespace": "ev1", "name": "web-1", "uid": "u-1", "apiVersion": "v1",
                      "fieldPath": "spec.containers{app}"},
        "note": "Back-off restarting failed container", "type": "Warning",
        "deprecatedSource": {"component": "kubelet", "host": "node-1"},
        "deprecatedFirstTimestamp": "2024-01-01T00:00:00Z", "deprecatedLastTimestamp": "2024-01-01T00:10:00Z",
        "deprecatedCount": 7}, "core event through events.k8s.io/v1")
    # One object: same uid and resourceVersion through both APIs.
    h.eq((got["metadata"]["uid"], got["metadata"]["resourceVersion"]),
         (created["metadata"]["uid"], created["metadata"]["resourceVersion"]), "uid and resourceVersion")
    h.compare([
        ("get", "events.v1.events.k8s.io", "web-1.a", "-n", "ev1", "-o",
         "jsonpath={.apiVersion} {.note} {.regarding.name} {.deprecatedCount} {.deprecatedSource.host} "
         "{.reportingController}"),
        ("get", "events", "web-1.a", "-n", "ev1", "-o", "jsonpath={.apiVersion} {.message} {.involvedObject.name}"),
    ], expect={0: (0, "events.k8s.io/v1 Back-off restarting failed container web-1 7 node-1 kubelet"),
               1: (0, "v1 Back-off restarting failed container web-1")})


def test_events_v1_event_reads_as_core():
    ensure_ns("ev2")
    code, created = call("POST", V1 % "ev2", v1_event("web-2.b", "ev2"))
    h.eq(code, 201, "events.k8s.io create: %r" % created)
    h.eq(body_of(created), {
        "kind": "Event", "apiVersion": "events.k8s.io/v1", "eventTime": "2024-01-01T00:00:00.000000Z",
        "series": {"count": 2, "lastObservedTime": "2024-01-01T00:05:00.000000Z"},
        "reportingController": "example.com/ctl", "reportingInstance": "ctl-1", "action": "Scale", "reason": "Scaled",
        "regarding": {"kind": "Pod", "namespace": "ev2", "name": "web-2"}, "related": {"kind": "Node", "name": "node-2"},
        "note": "scaled it", "type": "Normal", "deprecatedSource": {}, "deprecatedFirstTimestamp": None,
        "deprecatedLastTimestamp": None}, "events.k8s.io create answer")
    code, got = call("GET", CORE % "ev2" + "/web-2.b")
    h.eq(code, 200, "core get")
    h.eq(body_of(got), {
        "kind": "Event", "apiVersion": "v1", "involvedObject": {"kind": "Pod", "namespace": "ev2", "name": "web-2"},
        "reason": "Scaled", "message": "scaled it", "source": {}, "firstTimestamp": None, "lastTimestamp": None,
        "type": "Normal", "eventTime": "2024-01-01T00:00:00.000000Z",
        "series": {"count": 2, "lastObservedTime": "2024-01-01T00:05:00.000000Z"}, "action": "Scale",
        "related": {"kind": "Node", "name": "node-2"}, "reportingComponent": "example.com/ctl",
        "reportingInstance": "ctl-1"}, "events.k8s.io event through core/v1")
    h.eq(got["metadata"]["uid"], created["metadata"]["uid"], "uid")
    # An update through core/v1 is seen through events.k8s.io/v1.
    got["message"] = "scaled it again"
    code, upd = call("PUT", CORE % "ev2" + "/web-2.b", got)
    h.eq(code, 200, "core update: %r" % upd)
    h.eq(h.ok("get", "events.events.k8s.io", "web-2.b", "-n", "ev2", "-o", "jsonpath={.note}"), "scaled it again",
         "note after a core update")


def test_lists_tables_and_chunks_agree():
    ensure_ns("ev3")
    for name in ("a.1", "b.2", "c.3"):
        call("POST", CORE % "ev3", core_event(name, "ev3", pod="p-" + name[0]))
    for name in ("d.4", "e.5"):
        call("POST", V1 % "ev3", v1_event(name, "ev3", pod="p-" + name[0]))
    code, core_list = call("GET", CORE % "ev3")
    code, v1_list = call("GET", V1 % "ev3")
    h.eq((v1_list["kind"], v1_list["apiVersion"]), ("EventList", "events.k8s.io/v1"), "list kind")
    h.eq([i["metadata"]["name"] for i in v1_list["items"]], ["a.1", "b.2", "c.3", "d.4", "e.5"], "events.k8s.io items")
    h.eq([i["metadata"]["name"] for i in core_list["items"]], ["a.1", "b.2", "c.3", "d.4", "e.5"], "core items")
    h.eq(v1_list["metadata"]["resourceVersion"], core_list["metadata"]["resourceVersion"], "list resourceVersion")
    h.eq(sorted(v1_list["items"][3]), ["action", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                                       "deprecatedSource", "eventTime", "metadata", "note", "reason", "regarding",
                                       "related", "reportingController", "reportingInstance", "series", "type"],
         "list items carry no TypeMeta, in the events.k8s.io shape")
    # Pages: limit + continue on events.k8s.io, at the first page's resourceVersion.
    code, p1 = call("GET", V1 % "ev3" + "?limit=2")
    code, p2 = call("GET", V1 % "ev3" + "?limit=2&continue=" + quote(p1["metadata"]["continue"]))
    code, p3 = call("GET", V1 % "ev3" + "?limit=2&continue=" + quote(p2["metadata"]["continue"]))
    h.eq([i["metadata"]["name"] for p in (p1, p2, p3) for i in p["items"]], ["a.1", "b.2", "c.3", "d.4", "e.5"],
         "paged events.k8s.io list")
    h.eq((p1["metadata"].get("remainingItemCount"), "continue" in p3["metadata"]), (3, False), "paging metadata")
    h.eq(p2["metadata"]["resourceVersion"], p1["metadata"]["resourceVersion"], "pages at one resourceVersion")
    # The same rows through both APIs (one printEvent over the stored object).
    outs = h.compare([
        ("get", "events", "-n", "ev3", "-o", "wide"),
        ("get", "events.v1.events.k8s.io", "-n", "ev3", "-o", "wide"),
        ("get", "events.v1.events.k8s.io", "-n", "ev3", "--chunk-size=2", "-o",
         "custom-columns=NAME:.metadata.name,NOTE:.note,ON:.regarding.name,COUNT:.deprecatedCount"),
        ("get", "events", "-n", "ev3", "--chunk-size=2", "-o",
         "custom-columns=NAME:.metadata.name,MESSAGE:.message,ON:.involvedObject.name,COUNT:.count"),
    ], expect={
        2: (0, "NAME   NOTE                                   ON    COUNT\n"
               "a.1    Back-off restarting failed container   p-a   7\n"
               "b.2    Back-off restarting failed container   p-b   7\n"
               "c.3    Back-off restarting failed container   p-c   7\n"
               "d.4    scaled it                              p-d   <none>\n"
               "e.5    scaled it                              p-e   <none>\n"),
        3: (0, "NAME   MESSAGE                                ON    COUNT\n"
               "a.1    Back-off restarting failed container   p-a   7\n"
               "b.2    Back-off restarting failed container   p-b   7\n"
               "c.3    Back-off restarting failed container   p-c   7\n"
               "d.4    scaled it                              p-d   <none>\n"
               "e.5    scaled it                              p-e   <none>\n")})
    h.eq(outs[0], outs[1], "get events and get events.v1.events.k8s.io rows")
    h.eq(len(outs[0][1].splitlines()), 6, "header and five rows")


def test_field_selectors_of_each_version():
    ensure_ns("ev4")
    call("POST", CORE % "ev4", core_event("x.1", "ev4", pod="px"))
    call("POST", V1 % "ev4", v1_event("y.2", "ev4", pod="py"))
    h.compare([
        ("get", "events.events.k8s.io", "-n", "ev4", "--field-selector", "regarding.name=py", "-o", "name"),
        ("get", "events.events.k8s.io", "-n", "ev4", "--field-selector", "reportingController=kubelet", "-o", "name"),
        ("get", "events.events.k8s.io", "-n", "ev4", "--field-selector", "type=Warning,source=kubelet", "-o", "name"),
        ("get", "events", "-n", "ev4", "--field-selector", "involvedObject.name=py", "-o", "name"),
        ("get", "events", "-n", "ev4", "--field-selector", "reportingComponent=example.com/ctl", "-o", "name"),
        ("get", "events.events.k8s.io", "-n", "ev4", "--field-selector", "involvedObject.name=py"),
        ("get", "events", "-n", "ev4", "--field-selector", "regarding.name=py"),
    ], expect={
        0: (0, "event.events.k8s.io/y.2\n"),
        1: (0, "event.events.k8s.io/x.1\n"),
        2: (0, "event.events.k8s.io/x.1\n"),
        3: (0, "event/y.2\n"),
        4: (0, "event/y.2\n"),
        5: (1, ""),
        6: (1, "")})
    h.eq(h.err_of("get", "events.events.k8s.io", "-n", "ev4", "--field-selector", "involvedObject.name=py"),
         'Error from server (BadRequest): Unable to find "events.k8s.io/v1, Resource=events" that match label '
         'selector "", field selector "involvedObject.name=py": field label not supported: involvedObject.name',
         "core field label on events.k8s.io")
    code, st = call("GET", V1 % "ev4" + "?fieldSelector=note%3Dx")
    h.eq((code, st.get("reason"), st.get("message")), (400, "BadRequest", "field label not supported: note"),
         "unsupported field label")


class Watch:
    """A raw watch stream; lines() returns the JSON events received so far."""

    def __init__(self, path):
        self.sock = ctx().wrap_socket(socket.create_connection(("127.0.0.1", h.server().port), timeout=10),
                                      server_hostname="127.0.0.1")
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        self.buf = b""

    def wait(self, want, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            events = [json.loads(l) for l in self.buf.split(b"\r\n") if l.startswith(b"{")]
            if len(events) >= want:
                return events
            self.sock.settimeout(max(0.1, deadline - time.time()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            self.buf += chunk
        h.fail("watch: wanted %d events, got %r" % (want, self.buf[-600:]))

    def close(self):
        self.sock.close()


def test_watches_see_writes_through_the_other_version():
    ensure_ns("ev5")
    code, lst = call("GET", V1 % "ev5")
    rv = lst["metadata"]["resourceVersion"]
    wv1 = Watch(V1 % "ev5" + "?watch=1&resourceVersion=" + rv)
    wcore = Watch(CORE % "ev5" + "?watch=1&resourceVersion=" + rv)
    wsel = Watch(V1 % "ev5" + "?watch=1&resourceVersion=%s&fieldSelector=regarding.name%%3Dpw" % rv)
    try:
        time.sleep(0.3)
        code, _ = call("POST", CORE % "ev5", core_event("w.1", "ev5", pod="pw"))
        h.eq(code, 201, "core create")
        code, _ = call("POST", V1 % "ev5", v1_event("w.2", "ev5", pod="other"))
        h.eq(code, 201, "events.k8s.io create")
        code, _ = call("DELETE", V1 % "ev5" + "/w.1")
        h.eq(code, 200, "events.k8s.io delete of a core-created event")
        seen = wv1.wait(3)
        h.eq([(e["type"], e["object"]["apiVersion"], e["object"]["metadata"]["name"]) for e in seen],
             [("ADDED", "events.k8s.io/v1", "w.1"), ("ADDED", "events.k8s.io/v1", "w.2"),
              ("DELETED", "events.k8s.io/v1", "w.1")], "events.k8s.io watch")
        h.eq((seen[0]["object"]["note"], seen[0]["object"]["regarding"]["name"], seen[0]["object"]["deprecatedCount"]),
             ("Back-off restarting failed container", "pw", 7), "ADDED in the events.k8s.io shape")
        seen = wcore.wait(3)
        h.eq([(e["type"], e["object"]["apiVersion"], e["object"]["metadata"]["name"]) for e in seen],
             [("ADDED", "v1", "w.1"), ("ADDED", "v1", "w.2"), ("DELETED", "v1", "w.1")], "core watch")
        h.eq((seen[1]["object"]["message"], seen[1]["object"]["reportingComponent"]), ("scaled it", "example.com/ctl"),
             "ADDED in the core shape")
        seen = wsel.wait(2)
        h.eq([(e["type"], e["object"]["metadata"]["name"]) for e in seen], [("ADDED", "w.1"), ("DELETED", "w.1")],
             "events.k8s.io watch with a regarding.name field selector")
    finally:
        for w in (wv1, wcore, wsel):
            w.close()


def test_delete_through_one_is_gone_from_the_other():
    ensure_ns("ev6")
    call("POST", V1 % "ev6", v1_event("gone.1", "ev6"))
    call("POST", CORE % "ev6", core_event("gone.2", "ev6"))
    h.compare([
        ("get", "events", "gone.1", "-n", "ev6", "-o", "name"),
        ("delete", "events.events.k8s.io", "gone.1", "-n", "ev6"),
        ("get", "events", "gone.1", "-n", "ev6"),
        ("get", "events.events.k8s.io", "gone.1", "-n", "ev6"),
    ], between=lambda: call("POST", V1 % "ev6", v1_event("gone.1", "ev6")), expect={
        0: (0, "event/gone.1\n"),
        1: (0, 'event.events.k8s.io "gone.1" deleted\n'),
        2: (1, ""),
        3: (1, "")})
    h.eq(h.err_of("get", "events", "gone.2x", "-n", "ev6"), 'Error from server (NotFound): events "gone.2x" not found',
         "core NotFound")
    h.ok("delete", "events", "gone.2", "-n", "ev6")
    h.eq(h.err_of("get", "events.events.k8s.io", "gone.2", "-n", "ev6"),
         'Error from server (NotFound): events.events.k8s.io "gone.2" not found', "gone through events.k8s.io")


def test_describe_shows_events_written_through_events_k8s_io():
    # kubectl describe looks events up through core/v1 with involvedObject.* field selectors.
    ensure_ns("ev7")
    h.ok("create", "configmap", "conf", "-n", "ev7", "--from-literal=a=b")
    uid = h.ok("get", "cm", "conf", "-n", "ev7", "-o", "jsonpath={.metadata.uid}")
    ev = v1_event("conf.1", "ev7")
    ev["regarding"] = {"kind": "ConfigMap", "namespace": "ev7", "name": "conf", "uid": uid}
    ev["note"] = "noted through events.k8s.io"
    ev.pop("series")
    code, body = call("POST", V1 % "ev7", ev)
    h.eq(code, 201, "create: %r" % body)
    out = h.compare([("describe", "configmap", "conf", "-n", "ev7")])[0]
    h.contains(out[1], "Normal  Scaled", "describe events")
    h.contains(out[1], "example.com/ctl  noted through events.k8s.io", "describe events")


def test_events_v1_validation():
    ensure_ns("ev8")
    bad = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "bad.1", "namespace": "ev8"},
           "regarding": {"kind": "Pod", "name": "p", "namespace": "elsewhere"}, "type": "Sometimes",
           "deprecatedCount": 2, "deprecatedSource": {"component": "kubelet"}, "series": {"count": 1}}
    h.compare([(("create", "-f", "-"), json.dumps(bad))], expect={0: (1, "")})
    h.eq(h.err_of("create", "-f", "-", input=json.dumps(bad)),
         'The Event "bad.1" is invalid: \n'
         '* involvedObject.namespace: Invalid value: "elsewhere": does not match event.namespace\n'
         '* series.count: Invalid value: "": should be at least 2\n'
         '* series.lastObservedTime: Required value\n'
         '* eventTime: Required value\n'
         '* type: Invalid value: "": has invalid value: Sometimes\n'
         '* count: Invalid value: "": needs to be unset\n'
         '* source: Invalid value: "": needs to be unset', "events.k8s.io/v1 strict validation")
    # The same object through core/v1 passes legacy validation but for the namespace rule.
    core = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "bad.2", "namespace": "ev8"},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "elsewhere"}, "type": "Sometimes",
            "count": 2, "source": {"component": "kubelet"}}
    h.eq(h.err_of("create", "-f", "-", input=json.dumps(core)),
         'The Event "bad.2" is invalid: involvedObject.namespace: Invalid value: "elsewhere": does not match '
         'event.namespace', "core/v1 legacy validation")
    code, st = call("POST", V1 % "ev8", {**bad, "metadata": {"name": "Bad_Name", "namespace": "ev8"},
                                         "regarding": {"namespace": "ev8"}, "deprecatedCount": 0,
                                         "deprecatedSource": {}, "series": None, "type": "Normal",
                                         "eventTime": "2024-01-01T00:00:00.000000Z", "reportingController": "c",
                                         "reportingInstance": "i", "action": "a", "reason": "r"})
    h.eq((code, st["details"]["kind"], st["details"].get("group", ""), [c["field"] for c in st["details"]["causes"]]),
         (422, "Event", "", ["metadata.name"]), "events.k8s.io/v1 names are DNS subdomains")
    code, st = call("POST", CORE % "ev8", {**core, "metadata": {"name": "Bad_Name", "namespace": "ev8"},
                                           "involvedObject": {"namespace": "ev8"}})
    h.eq(code, 201, "core/v1 Event names are only path segments: %r" % st)


if __name__ == "__main__":
    h.main(globals())
