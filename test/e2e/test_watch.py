#!/usr/bin/env python3
"""Watches: get -w, wait --for=delete / jsonpath, namespace deletion removes its content."""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def pod_json(name, ns=None, labels=None, finalizers=None):
    md = {"name": name}
    if ns:
        md["namespace"] = ns
    if labels:
        md["labels"] = labels
    if finalizers:
        md["finalizers"] = finalizers
    return json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": md,
                       "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}})


def mk_pod(name, **kw):
    h.ok("create", "-f", "-", input=pod_json(name, **kw))


def rows_for(out, name):
    return [l for l in out.splitlines() if l.split()[:1] == [name]]


def test_get_pods_watch():
    mk_pod("w-sentinel", labels={"watch": "yes"})
    plain = h.popen_kubectl("get", "pods", "-l", "watch=yes", "-w")
    events = h.popen_kubectl("get", "pods", "-l", "watch=yes", "-w", "--output-watch-events")
    try:
        # The initial list is printed once the watcher is up; events after that list's resourceVersion
        # are delivered even if the watch request itself is still being set up.
        h.wait_until(lambda: rows_for(h.proc_output(plain)[0], "w-sentinel") and
                     "w-sentinel" in h.proc_output(events)[0], 15, what="initial list rows")
        mk_pod("w1", labels={"watch": "yes"})
        h.ok("label", "pod", "w1", "touched=1")
        h.wait_until(lambda: len(rows_for(h.proc_output(plain)[0], "w1")) >= 2, 10,
                     what="two rows for w1 in `get pods -w` output")
        h.ok("delete", "pod", "w1")
        h.wait_until(lambda: re.search(r"^DELETED\s+w1\s", h.proc_output(events)[0], re.M), 10,
                     what="DELETED w1 row in --output-watch-events output")
        out, err = h.proc_output(plain)
        h.check(plain.poll() is None, "get -w exited early (rc=%s): %r %r" % (plain.poll(), out, err))
        lines = out.splitlines()
        h.eq(re.split(r"\s{2,}", lines[0].strip()), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], "watch header")
        h.eq(sum(1 for l in lines if l.startswith("NAME ")), 1, "header printed once")
        w1 = rows_for(out, "w1")
        h.check(len(w1) >= 2, "expected >= 2 rows for w1 (ADDED, MODIFIED), got %r" % w1)
        h.eq(w1[0].split()[1:3], ["0/1", "Pending"], "w1 READY/STATUS")
        eout, _ = h.proc_output(events)
        seq = [l.split()[0] for l in eout.splitlines() if l.split()[1:2] == ["w1"]]
        h.eq(re.split(r"\s{2,}", eout.splitlines()[0].strip()),
             ["EVENT", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], "--output-watch-events header")
        h.check(seq[:2] == ["ADDED", "MODIFIED"] and seq[-1] == "DELETED",
                "event sequence for w1: expected ADDED, MODIFIED, ..., DELETED; got %r" % seq)
        sentinel = [l.split()[0] for l in eout.splitlines() if l.split()[1:2] == ["w-sentinel"]]
        h.eq(sentinel, ["ADDED"], "events for the pre-existing pod")
    finally:
        h.kill_proc(plain)
        h.kill_proc(events)
        h.kubectl("delete", "pod", "w-sentinel", "--wait=false")


def test_get_single_pod_watch_json():
    mk_pod("w2")
    p = h.popen_kubectl("get", "pod", "w2", "-w", "-o", "json")
    try:
        def objs():
            out = h.proc_output(p)[0]
            dec, i, res = json.JSONDecoder(), 0, []
            while True:
                while i < len(out) and out[i].isspace():
                    i += 1
                if i >= len(out):
                    return res
                try:
                    o, i = dec.raw_decode(out, i)
                except ValueError:
                    return res
                res.append(o)
        h.wait_until(lambda: len(objs()) >= 1, 10, what="the current object")
        h.ok("annotate", "pod", "w2", "x=1")
        h.wait_until(lambda: len(objs()) >= 2, 10, what="the modified object")
        o = objs()
        h.eq([x["metadata"]["name"] for x in o[:2]], ["w2", "w2"], "names")
        h.eq(o[1]["metadata"].get("annotations", {}).get("x"), "1", "annotation in the second object")
        h.check(int(o[1]["metadata"]["resourceVersion"]) > int(o[0]["metadata"]["resourceVersion"]),
                "resourceVersion must grow")
    finally:
        h.kill_proc(p)
        h.kubectl("delete", "pod", "w2", "--wait=false")


def test_wait_for_delete():
    mk_pod("x")
    h.eq(h.ok("delete", "pod", "x", "--wait=false").strip(), 'pod "x" deleted', "delete --wait=false")
    rc, out, err = h.kubectl("wait", "--for=delete", "pod/x", "--timeout=20s", timeout=30)
    h.eq(rc, 0, "wait --for=delete rc (stdout=%r stderr=%r)" % (out, err))


def test_wait_for_delete_with_finalizer():
    mk_pod("fin", finalizers=["example.com/hold"])
    h.eq(h.ok("delete", "pod", "fin", "--wait=false").strip(), 'pod "fin" deleted', "delete --wait=false")
    obj = json.loads(h.ok("get", "pod", "fin", "-o", "json"))
    h.check(obj["metadata"].get("deletionTimestamp"), "pod with a finalizer must stay with a deletionTimestamp")
    row = h.ok("get", "pod", "fin", "--no-headers").split()
    h.eq(row[2], "Terminating", "STATUS of a pod being deleted")
    w = h.popen_kubectl("wait", "--for=delete", "pod/fin", "--timeout=20s")
    try:
        time.sleep(1.5)
        h.check(w.poll() is None, "wait returned before the finalizer was removed: %r" % (h.proc_output(w),))
        h.ok("patch", "pod", "fin", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
        h.wait_until(lambda: w.poll() is not None, 10, what="kubectl wait to return")
        out, err = h.proc_output(w)
        h.eq((w.returncode, out.strip()), (0, "pod/fin condition met"), "wait result (stderr=%r)" % err)
        h.eq(h.err_of("get", "pod", "fin"), 'Error from server (NotFound): pods "fin" not found', "pod gone")
    finally:
        h.kill_proc(w)


def test_wait_for_jsonpath():
    mk_pod("jp")
    w = h.popen_kubectl("wait", "--for=jsonpath={.metadata.labels.ready}=yes", "pod/jp", "--timeout=20s")
    try:
        time.sleep(1)
        h.ok("label", "pod", "jp", "ready=yes")
        h.wait_until(lambda: w.poll() is not None, 10, what="kubectl wait to return")
        out, err = h.proc_output(w)
        h.eq((w.returncode, out.strip()), (0, "pod/jp condition met"), "wait result (stderr=%r)" % err)
    finally:
        h.kill_proc(w)
        h.kubectl("delete", "pod", "jp", "--wait=false")


def test_wait_timeout():
    mk_pod("never")
    rc, out, err = h.kubectl("wait", "--for=condition=Ready", "pod/never", "--timeout=2s")
    h.eq((rc, err.strip()), (1, "error: timed out waiting for the condition on pods/never"), "wait timeout")
    h.kubectl("delete", "pod", "never", "--wait=false")


def test_delete_namespace_removes_pods():
    h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Namespace",
                                                 "metadata": {"name": "doomed"}}))
    mk_pod("p1", ns="doomed")
    mk_pod("p2", ns="doomed")
    h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                                                 "metadata": {"name": "cm", "namespace": "doomed"}}))
    h.eq(len(h.ok("get", "pods", "-n", "doomed", "-o", "name").split()), 2, "pods before delete")
    t0 = time.time()
    rc, out, err = h.kubectl("delete", "ns", "doomed", "--wait=false")
    h.eq((rc, out.strip()), (0, 'namespace "doomed" deleted'), "delete ns (stderr=%r)" % err)

    def gone():
        rc, out, err = h.kubectl("get", "ns", "doomed")
        return rc == 1 and err.strip() == 'Error from server (NotFound): namespaces "doomed" not found'
    h.wait_until(gone, 10, interval=0.5, what="namespace doomed to disappear")
    rc, out, err = h.kubectl("get", "pods", "-n", "doomed")
    h.eq((rc, out, err.strip()), (0, "", "No resources found in doomed namespace."), "get pods -n doomed")
    # kubectl 1.33 itself follows a 404 for a named object with GET of its namespace and, when
    # that is gone too, reports the namespace (seen on the wire: GET .../pods/p1, then
    # GET /api/v1/namespaces/doomed); the server answers each request as upstream does.
    h.eq(h.err_of("get", "pod", "p1", "-n", "doomed"), 'Error from server (NotFound): namespaces "doomed" not found',
         "get pod p1 -n doomed")
    h.eq(h.err_of("get", "cm", "cm", "-n", "doomed"), 'Error from server (NotFound): namespaces "doomed" not found',
         "get cm -n doomed")
    err = h.err_of("create", "-f", "-", input=pod_json("p3", ns="doomed"))
    h.eq(err, 'Error from server (NotFound): error when creating "STDIN": namespaces "doomed" not found',
         "create in a deleted namespace")
    h.check(time.time() - t0 < 15, "namespace deletion too slow")


def test_namespace_terminating_phase():
    # A namespace whose content is held by a finalizer stays Terminating; new content is refused.
    h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Namespace",
                                                 "metadata": {"name": "stuck"}}))
    mk_pod("held", ns="stuck", finalizers=["example.com/hold"])
    h.ok("delete", "ns", "stuck", "--wait=false")
    h.wait_until(lambda: h.ok("get", "ns", "stuck", "-o", "jsonpath={.status.phase}") == "Terminating", 5,
                 what="phase Terminating")
    row = h.ok("get", "ns", "stuck", "--no-headers").split()
    h.eq(row[:2], ["stuck", "Terminating"], "get ns row")
    err = h.err_of("create", "-f", "-", input=pod_json("late", ns="stuck"))
    h.eq(err, 'Error from server (Forbidden): error when creating "STDIN": pods "late" is forbidden: unable to '
              'create new content in namespace stuck because it is being terminated', "create in a terminating ns")
    h.ok("patch", "pod", "held", "-n", "stuck", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')

    def gone():
        return h.kubectl("get", "ns", "stuck")[0] == 1
    h.wait_until(gone, 10, interval=0.5, what="namespace stuck to disappear after the finalizer is removed")


if __name__ == "__main__":
    h.main(globals())
