#!/usr/bin/env python3
"""kapi serve's HTTP contract beyond kubectl: raw status codes and messages (upstream's texts,
from apimachinery's errors and apiserver's handlers), anonymous access, metrics, many watches,
flag errors, a busy port and SIGTERM."""
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def ctx(client_cert=True):
    srv = h.server()
    c = ssl.create_default_context(cafile=srv.ca_file)
    if client_cert:
        pki = os.path.join(srv.data_dir, "pki")
        c.load_cert_chain(os.path.join(pki, "admin.crt"), os.path.join(pki, "admin.key"))
    return c


def call(method, path, body=None, headers=None, client_cert=True, timeout=10):
    req = urllib.request.Request(h.server().url + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, context=ctx(client_cert), timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def status_of(body):
    s = json.loads(body)
    return s.get("code"), s.get("reason"), s.get("message")


def test_anonymous_may_read_health_and_version_only():
    code, _, body = call("GET", "/readyz", client_cert=False)
    h.eq((code, body), (200, b"ok"), "anonymous /readyz")
    code, _, body = call("GET", "/version/", client_cert=False)
    h.eq((code, json.loads(body)["gitVersion"]), (200, "v1.33.0+kapi"), "anonymous /version/")
    code, _, body = call("GET", "/api", client_cert=False)
    h.eq(status_of(body), (403, "Forbidden", 'forbidden: User "system:anonymous" cannot get path "/api"'),
         "anonymous /api")
    code, _, body = call("GET", "/api/v1/namespaces/default/pods", client_cert=False)
    h.eq(status_of(body), (403, "Forbidden", 'pods is forbidden: User "system:anonymous" cannot list resource '
                                             '"pods" in API group "" in the namespace "default"'), "anonymous list")


def test_unsupported_media_type_and_too_large():
    code, _, body = call("POST", "/api/v1/namespaces/default/configmaps", b"x", {"Content-Type": "text/plain"})
    h.eq(code, 415, "415 for text/plain")
    h.eq(status_of(body)[1], "UnsupportedMediaType", "reason")
    big = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                      "data": {"a": "x" * (3 * 1024 * 1024 + 10)}}).encode()
    code, _, body = call("POST", "/api/v1/namespaces/default/configmaps", big, {"Content-Type": "application/json"})
    h.eq(status_of(body), (413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"), "413")


def test_bad_json_is_400_and_not_found_paths_are_status():
    code, _, body = call("POST", "/api/v1/namespaces/default/configmaps", b"{", {"Content-Type": "application/json"})
    h.eq((code, status_of(body)[1]), (400, "BadRequest"), "undecodable body")
    code, _, body = call("GET", "/apis/nosuch.group/v1/things")
    h.eq(status_of(body)[:2], (404, "NotFound"), "unknown path")
    code, _, body = call("DELETE", "/api/v1/namespaces")
    # No route for the verb: go-restful's 405, as the apiserver's service error handler words it
    # (apimachinery NewGenericServerResponse); kubectl prints it for `get tokenreviews`
    # (kubernetes/kubernetes#114045).
    h.eq(status_of(body), (405, "MethodNotAllowed",
                           "the server does not allow this method on the requested resource"), "namespaces deletecollection")
    code, _, body = call("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
    h.eq(status_of(body), (405, "MethodNotAllowed",
                           "the server does not allow this method on the requested resource"), "list a create-only resource")


def test_field_validation_warn_header_and_strict():
    cm = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "warn"}, "bogus": 1}).encode()
    code, headers, _ = call("POST", "/api/v1/namespaces/default/configmaps", cm, {"Content-Type": "application/json"})
    h.eq(code, 201, "create with an unknown field and no fieldValidation")
    h.eq(headers.get("Warning"), '299 - "unknown field \\"bogus\\""', "Warning header")
    cm = cm.replace(b'"warn"', b'"strict"')
    code, _, body = call("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", cm,
                         {"Content-Type": "application/json"})
    h.eq(status_of(body), (400, "BadRequest", 'ConfigMap in version "v1" cannot be handled as a ConfigMap: '
                                              'strict decoding error: unknown field "bogus"'), "Strict")


def test_invalid_list_options():
    code, _, body = call("GET", "/api/v1/pods?resourceVersionMatch=Exact")
    h.eq(status_of(body)[:2], (422, "Invalid"), "resourceVersionMatch without resourceVersion")
    code, _, body = call("GET", "/api/v1/pods?fieldSelector=spec.bogus%3Dx")
    h.eq(status_of(body), (400, "BadRequest", "field label not supported: spec.bogus"), "field selector label")


def test_long_list_is_sent_whole_with_content_length():
    # Lists over 256 items are streamed from the cache snapshot with a precomputed
    # Content-Length: the length must be exact (a short body would hang clients, a long one
    # would corrupt the next response on the keep-alive connection).
    items = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm-%03d" % i},
              "data": {"k": "v" * (i % 17), "html": "<&>"}} for i in range(300)]
    docs = "\n---\n".join(json.dumps(x) for x in items)
    h.ok("create", "ns", "longlist")
    h.ok("-n", "longlist", "create", "-f", "-", input=docs)
    code, headers, body = call("GET", "/api/v1/namespaces/longlist/configmaps")
    h.eq(code, 200)
    h.eq(headers.get("Transfer-Encoding"), None)
    h.eq(int(headers["Content-Length"]), len(body))
    lst = json.loads(body)
    h.eq([x["metadata"]["name"] for x in lst["items"]], ["cm-%03d" % i for i in range(300)] + ["kube-root-ca.crt"])
    h.eq(lst["items"][5]["data"], {"html": "<&>", "k": "vvvvv"})
    assert "kind" not in lst["items"][0] and lst["items"][0]["metadata"]["resourceVersion"], lst["items"][0]
    table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    code, headers, body = call("GET", "/api/v1/namespaces/longlist/configmaps", headers={"Accept": table})
    h.eq(int(headers["Content-Length"]), len(body))
    h.eq(len(json.loads(body)["rows"]), 301)
    out = h.ok("-n", "longlist", "get", "configmaps", "--no-headers")
    h.eq(len([l for l in out.splitlines() if l.startswith("cm-")]), 300)


def test_endpoints_carry_the_deprecation_warning():
    # KEP-4974: every request on v1 Endpoints warns (kubectl 1.33 against upstream 1.33 prints
    # this line on stderr); other resources and kubectl's normal output are untouched.
    rc, out, err = h.kubectl("get", "endpoints")
    h.eq((rc, err), (0, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
                        "No resources found in default namespace.\n"))
    code, headers, _ = call("GET", "/api/v1/namespaces/default/endpoints")
    h.eq(headers.get("Warning"), '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"')
    # kapi's client prints server warnings as kubectl does (once per process, on stderr).
    # The AGE column may tick between the two tools' runs.
    h.compare([("get", "endpoints"), ("get", "endpoints,services", "-A"), ("get", "ep", "nope")],
              normalize=lambda text: re.sub(r"\b\d+s\n", "<age>\n", text))
    rc, out, err = h.kubectl("get", "endpointslices", "-n", "kube-system")
    h.eq((rc, err), (0, "No resources found in kube-system namespace.\n"))


def test_server_runs_on_jemalloc_and_the_client_does_not():
    # `kapi serve` re-executes itself with jemalloc preloaded (same PID); client commands keep
    # glibc's malloc, which starts faster. Skipped where Debian's libjemalloc2 is absent.
    lib = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
    if not os.path.exists(lib):
        return
    pid = h.server().proc.pid
    with open("/proc/%d/maps" % pid) as f:
        assert "libjemalloc" in f.read(), "the server does not run on jemalloc"
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        h.eq(f.read().split(b"\0")[1], b"serve")
    out = subprocess.run(["ldd", h.kapi_bin()], capture_output=True, text=True).stdout
    assert "jemalloc" not in out, out


def test_metrics_and_readyz_checks():
    code, _, body = call("GET", "/metrics")
    h.eq(code, 200, "/metrics")
    h.contains(body.decode(), "apiserver_request_total{", "/metrics")
    h.contains(body.decode(), "apiserver_request_duration_seconds_bucket{", "/metrics")
    # Storage latency and object counts under upstream's names (apiserver pkg/storage/etcd3/metrics):
    # bootstrap created the default namespaces.
    h.contains(body.decode(), 'etcd_request_duration_seconds_count{operation="create",type="namespaces"} ', "/metrics")
    h.contains(body.decode(), 'apiserver_storage_objects{resource="namespaces"} ', "/metrics")
    # An open watch shows in the long-running and registered-watcher gauges.
    sock = socket.create_connection(("127.0.0.1", h.server().port))
    tls = ctx().wrap_socket(sock, server_hostname="127.0.0.1")
    tls.sendall(b"GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        def watching():
            text = call("GET", "/metrics")[2].decode()
            return ('apiserver_longrunning_requests{component="apiserver",group="",resource="configmaps",'
                    'scope="namespace",subresource="",verb="WATCH",version="v1"} 1\n' in text and
                    'apiserver_registered_watchers{group="",kind="ConfigMap",version="v1"} 1\n' in text)
        h.wait_until(watching, what="the watch in /metrics")
    finally:
        tls.close()
    code, _, body = call("GET", "/readyz/ping")
    h.eq((code, body), (200, b"ok"), "/readyz/ping")


def test_300_watches_do_not_starve_readyz():
    socks = []
    try:
        c = ctx()
        for _ in range(300):
            s = c.wrap_socket(socket.create_connection(("127.0.0.1", h.server().port), timeout=10),
                              server_hostname="127.0.0.1")
            s.sendall(b"GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
        for s in socks[-5:]:
            h.contains(s.recv(4096).decode(errors="replace"), "200 OK", "watch response")
        start = time.time()
        code, _, body = call("GET", "/readyz", client_cert=False, timeout=5)
        h.eq((code, body), (200, b"ok"), "/readyz with 300 open watches")
        h.check(time.time() - start < 1.0, "/readyz took %.2fs with 300 watches" % (time.time() - start))
    finally:
        for s in socks:
            s.close()


def watch_lines(path, want, timeout=10):
    """Opens a watch and returns its first `want` JSON lines."""
    c = ctx()
    s = c.wrap_socket(socket.create_connection(("127.0.0.1", h.server().port), timeout=timeout),
                      server_hostname="127.0.0.1")
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    buf, lines = b"", []
    deadline = time.time() + timeout
    try:
        while len(lines) < want and time.time() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            # chunked framing: JSON events are the lines that start with '{'
            lines = [l for l in buf.split(b"\r\n") if l.startswith(b"{")]
    finally:
        s.close()
    return [json.loads(l) for l in lines[:want]]


def test_watch_initial_events_end_bookmark():
    # sendInitialEvents=true + resourceVersionMatch=NotOlderThan: the current objects as ADDED,
    # then a BOOKMARK annotated k8s.io/initial-events-end (apiserver's WatchList contract).
    for name in ("ie1", "ie2"):
        body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ie"}}).encode()
        call("POST", "/api/v1/namespaces", json.dumps({"apiVersion": "v1", "kind": "Namespace",
                                                        "metadata": {"name": "ie"}}).encode(),
             {"Content-Type": "application/json"})
        code, _, _ = call("POST", "/api/v1/namespaces/ie/configmaps", body, {"Content-Type": "application/json"})
        h.eq(code, 201, "create %s" % name)
    evs = watch_lines("/api/v1/namespaces/ie/configmaps?watch=1&sendInitialEvents=true"
                      "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", 4)
    types = [e["type"] for e in evs]
    h.eq(types[-1], "BOOKMARK", "last event type (%r)" % types)
    h.eq(sorted(e["object"]["metadata"]["name"] for e in evs if e["type"] == "ADDED"),
         ["ie1", "ie2", "kube-root-ca.crt"], "initial ADDED events")
    h.eq(evs[-1]["object"]["metadata"].get("annotations"), {"k8s.io/initial-events-end": "true"},
         "bookmark annotation")


def test_watch_replays_history_from_an_old_revision():
    evs = watch_lines("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1", 1)
    # A fresh server still holds its whole history: resuming from revision 1 replays it (the
    # 410 for revisions older than the window is covered by server/storage/watch_cache_test).
    h.check(evs and evs[0]["type"] in ("ADDED", "MODIFIED", "DELETED"), "replay from rv 1: %r" % evs[:1])


def raw_exchange(data, timeout=5):
    """Sends `data` on a plain TCP connection to the TLS port; everything read until EOF."""
    with socket.create_connection(("127.0.0.1", h.server().port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            d = s.recv(4096)
            if not d:
                return out
            out += d


def test_plain_http_on_the_tls_port_gets_gos_400():
    # Go's net/http (kube-apiserver's server) answers a record header that looks like HTTP
    # with this fixed text and closes; kubectl then says "the server rejected our request for
    # an unknown reason" instead of retrying on EOF.
    want = b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
    for req in (b"GET /api HTTP/1.1\r\nHost: x\r\n\r\n", b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n"
                b"Content-Length: 2\r\n\r\n{}", b"PUT /x HTTP/1.1\r\n\r\n", b"HEAD / HTTP/1.1\r\n\r\n",
                b"OPTIONS / HTTP/1.1\r\n\r\n"):
        h.eq(raw_exchange(req), want, "answer to %r" % req[:8])
    # Anything else is no TLS either, but gets no HTTP answer (Go: a handshake error).
    h.check(not raw_exchange(b"DELETE / HTTP/1.1\r\n\r\n").startswith(b"HTTP/"), "DELETE gets no 400 text")
    h.eq(call("GET", "/readyz", client_cert=False)[0], 200, "TLS still served")


def test_invalid_flags_exit_nonzero():
    for args, needle in ((["--secure-port", "70000"], "--secure-port"),
                         (["--insecure-port", "8080"], "--insecure-port"),
                         (["--service-cluster-ip-range", "10.0.0.0/33"], "--service-cluster-ip-range"),
                         (["--tls-cert-file", "/nonexistent.crt"], "--tls-cert-file"),
                         (["--etcd-compaction-interval", "5"], 'time: missing unit in duration "5"'),
                         (["--bogus-flag"], "unknown flag: --bogus-flag")):
        d = tempfile.mkdtemp()
        p = subprocess.run([h.kapi_bin(), "serve", "--data-dir", d] + args, capture_output=True, text=True, timeout=20)
        h.check(p.returncode != 0, "%s: exit code 0" % args)
        h.contains(p.stderr, needle, "stderr of %s" % args)
        h.eq(len(p.stderr.strip().splitlines()), 1, "one-line reason for %s" % args)


def test_compaction_interval_drops_old_history():
    import sqlite3
    srv = h.Server(["--etcd-compaction-interval=1s"]).start()
    try:
        h.ok("create", "configmap", "c", "--from-literal=a=0", srv=srv)
        for i in range(1, 5):
            h.ok("patch", "configmap", "c", "-p", '{"data":{"a":"%d"}}' % i, srv=srv)
        db = os.path.join(srv.data_dir, "kapi.db")

        def versions_of_c():
            con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
            try:
                return con.execute("SELECT COUNT(*) FROM history WHERE key='/registry/configmaps/default/c'").fetchone()[0]
            finally:
                con.close()
        before = versions_of_c()
        h.eq(before, 5, "versions of c before compaction")
        # Two ticks: the first remembers the current revision, the second compacts up to it,
        # dropping every superseded version (etcd's rule: the latest one stays).
        h.wait_until(lambda: versions_of_c() == 1, timeout=10, what="history of c compacted to one version")
        h.eq(h.ok("get", "cm", "c", "-o", "jsonpath={.data.a}", srv=srv), "4", "live data after compaction")
    finally:
        srv.cleanup()


def test_busy_port_fails():
    d = tempfile.mkdtemp()
    p = subprocess.run([h.kapi_bin(), "serve", "--data-dir", d, "--bind-address", "127.0.0.1",
                        "--secure-port", str(h.server().port)], capture_output=True, text=True, timeout=20)
    h.eq(p.returncode, 1, "exit code on a busy port")
    h.contains(p.stderr, "bind: address already in use", "stderr")


def test_sigterm_exits_zero_and_data_survives_restart():
    srv = h.Server().start()
    try:
        env = h.kubectl_env(srv)
        h.ok("create", "configmap", "keep", "--from-literal=a=b", srv=srv)
        srv.proc.send_signal(signal.SIGTERM)
        rc = srv.proc.wait(timeout=5)
        h.eq(rc, 0, "exit code after SIGTERM")
        srv.proc = None
        srv.start()
        h.eq(h.ok("get", "cm", "keep", "-o", "jsonpath={.data.a}", srv=srv), "b", "data after restart")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    h.main(globals())
