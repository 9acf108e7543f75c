#!/usr/bin/env python3
"""pods/eviction (policy/v1 Eviction) and DELETE bodies from kubectl's typed clients.

Upstream's EvictionREST deletes a pod whose disruption budget may be ignored (every pod here is
Pending: there is no kubelet) with the Eviction's deleteOptions and answers 201 with a Success
Status; a name that differs from the URL's is a 400. kubectl 1.33's typed clients send
DeleteOptions as protobuf (drain --disable-eviction): gracePeriodSeconds=0 in it must delete a
scheduled pod at once. Only real kubectl 1.33 and raw HTTP are used here.
"""
import json
import os
import ssl
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

NODE = "apiVersion: v1\nkind: Node\nmetadata:\n  name: %s\n"
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: %s
spec:
  nodeName: %s
  containers:
  - name: c
    image: nginx
"""


def call(method, path, obj):
    srv = h.server()
    c = ssl.create_default_context(cafile=srv.ca_file)
    pki = os.path.join(srv.data_dir, "pki")
    c.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
    req = urllib.request.Request(srv.url + path, data=json.dumps(obj).encode(), method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, context=c, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def make(node, *pods):
    h.ok("create", "-f", h.write_file(node + ".yaml", NODE % node))
    for p in pods:
        h.ok("create", "-f", h.write_file(p + ".yaml", POD % (p, node)))


def test_eviction_raw():
    make("ev1", "evp1", "evp2")
    path = "/api/v1/namespaces/default/pods/%s/eviction"
    ev = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "evp1", "namespace": "default"},
          "deleteOptions": {"gracePeriodSeconds": 0}}
    code, st = call("POST", path % "evp2", ev)
    h.eq((code, st.get("reason"), st.get("message")),
         (400, "BadRequest", "name in URL does not match name in Eviction object"), "mismatched name")
    code, st = call("POST", path % "evp1", ev)
    h.eq((code, st), (201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
         "eviction answer")
    h.eq(h.kubectl("get", "pod", "evp1")[2], 'Error from server (NotFound): pods "evp1" not found\n', "evicted pod")
    code, st = call("POST", path % "evp1", ev)
    h.eq((code, st.get("reason")), (404, "NotFound"), "evicting a missing pod")
    # Without a grace period override a scheduled pod is deleted gracefully (it stays, terminating).
    ev["metadata"]["name"] = "evp2"
    del ev["deleteOptions"]
    h.eq(call("POST", path % "evp2", ev)[0], 201, "graceful eviction")
    rc, out, _ = h.kubectl("get", "pod", "evp2", "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}")
    h.eq((rc, out), (0, "30"), "graceful eviction leaves the pod terminating")


def test_drain_with_kubectl():
    make("ev2", "evp3")
    h.eq(h.kubectl("drain", "ev2", "--force", "--grace-period=0")[:2],
         (0, "node/ev2 cordoned\nevicting pod default/evp3\npod/evp3 evicted\nnode/ev2 drained\n"), "drain")
    make("ev3", "evp4")
    # A protobuf DeleteOptions with gracePeriodSeconds 0: deleted at once, so drain finishes.
    h.eq(h.kubectl("drain", "ev3", "--force", "--grace-period=0", "--disable-eviction", "--timeout=20s")[:2],
         (0, "node/ev3 cordoned\npod/evp4 deleted\nnode/ev3 drained\n"), "drain --disable-eviction")


if __name__ == "__main__":
    h.main(globals())
