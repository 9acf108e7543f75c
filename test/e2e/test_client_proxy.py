#!/usr/bin/env python3
"""kapi client mode `proxy` against real kubectl 1.33's.

Each scenario starts `kubectl.1.33 proxy ...` and then `kapi proxy ...` (argv[0] "kubectl") in
turn on a free port of their choosing (--port=0), waits for the first line, sends the same HTTP
requests to each from Python, and requires the same answers (status, the headers that matter,
body); the proxy is killed by its pid before the other one starts.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_proxy.py [name-filter]
"""
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

UA = {"User-Agent": "e2e-proxy-client"}  # the field manager of what the requests create
HEADERS = ("Content-Type", "Content-Length", "Location", "X-Content-Type-Options", "Transfer-Encoding",
           "Content-Encoding")


class Proxy:
    """One proxy process (kubectl or kapi) and its first line."""

    def __init__(self, tool, *args):
        srv = h.server()
        if tool == "kubectl":
            argv, exe = h.kubectl_argv(("proxy",) + args, request_timeout=None), None
        else:
            argv = ["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache"), "proxy"] + list(args)
            exe = h.kapi_bin()
        self.err_path = os.path.join(srv.tmp, "proxy-%s.err" % tool)
        self.err = open(self.err_path, "w+")
        self.p = subprocess.Popen(argv, executable=exe, stdout=subprocess.PIPE, stderr=self.err,
                                  stdin=subprocess.DEVNULL, env=h.kubectl_env(srv), cwd=srv.tmp,
                                  start_new_session=True)
        self.first_line = self._read_line(15)
        m = re.match(r"Starting to serve on 127\.0\.0\.1:(\d+)\n", self.first_line)
        self.port = int(m.group(1)) if m else None
        self.unix = None
        m = re.match(r"Starting to serve on (/.*)\n", self.first_line)
        if m:
            self.unix = m.group(1)

    def _read_line(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not r:
            self.stop()
            h.fail("no first line from the proxy; stderr: %r" % self.stderr())
        return self.p.stdout.readline().decode()

    def conn(self, timeout=10):
        if self.unix:
            c = http.client.HTTPConnection("localhost", timeout=timeout)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect(self.unix)
            c.sock = s
            return c
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        """(status, the compared headers, body)."""
        c = self.conn()
        hd = dict(UA)
        hd.update(headers or {})
        if body is not None:
            hd.setdefault("Content-Type", "application/json")
        c.request(method, path, body=body, headers=hd)
        r = c.getresponse()
        data = r.read().decode(errors="replace")
        hs = {k: r.getheader(k) for k in HEADERS if r.getheader(k) is not None}
        c.close()
        return (r.status, hs, data)

    def stderr(self):
        self.err.flush()
        with open(self.err_path) as f:
            return f.read()

    def stop(self):
        if self.p.poll() is None:
            os.kill(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.p.pid, signal.SIGKILL)
                self.p.wait(timeout=5)
        self.p.stdout.close()
        self.err.close()


def both(args, scenario):
    """Runs scenario(proxy) against each tool's proxy; returns {tool: result}."""
    out = {}
    for tool in ("kubectl", "kapi"):
        p = Proxy(tool, *args)
        try:
            out[tool] = scenario(p)
        finally:
            p.stop()
    return out


def same(results, what):
    k, a = results["kubectl"], results["kapi"]
    if k != a:
        h.fail("%s differ:\n kubectl: %r\n kapi:    %r" % (what, k, a))
    return k


def masked(body, keys=("uid", "resourceVersion", "creationTimestamp", "time")):
    """A JSON body with the fields that differ between two creations replaced."""
    def walk(v):
        if isinstance(v, dict):
            return {k: ("<%s>" % k if k in keys else walk(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v
    try:
        return json.dumps(walk(json.loads(body)), sort_keys=True)
    except ValueError:
        return body


_setup_done = []


def setup_objects():
    if _setup_done:
        return
    _setup_done.append(True)
    rc, out, err = h.kubectl("create", "configmap", "px1", "--from-literal=a=b")
    h.eq(rc, 0, "create px1: " + err)
    rc, out, err = h.kubectl("label", "configmap", "px1", "app=px")
    h.eq(rc, 0, "label px1: " + err)
    h.kubectl("create", "configmap", "px2", "--from-literal=c=d")


def test_help():
    h.compare([("proxy", "--help"), ("proxy", "-h")])


def test_flag_errors():
    h.compare([("proxy", "--port=9999", "--unix-socket=/tmp/kapi-px-never.sock"),
               ("proxy", "--keepalive=abc"),
               ("proxy", "--bogus"),
               ("proxy", "--address=::", "--port=0"),
               ("proxy", "--address=192.0.2.1", "--port=8001")])
    # A bad pattern is klog.Fatalf (exit 255), in Go's regexp words.
    h.compare([("proxy", "--accept-paths=a[b"), ("proxy", "--reject-methods=^GET$,(x"),
               ("proxy", "--accept-hosts=**")], normalize=h.normalize_klog)


def test_port_zero_first_line():
    res = both(("--port=0",), lambda p: (re.sub(r":\d+\n$", ":PORT\n", p.first_line), p.stderr()))
    got = same(res, "first line and stderr")
    h.eq(got, ("Starting to serve on 127.0.0.1:PORT\n", ""), "first line")


def test_requests():
    setup_objects()

    def scenario(p):
        r = []
        r.append(p.request("GET", "/api"))
        r.append(p.request("GET", "/api/v1/namespaces/default/configmaps/px1"))
        st, hs, body = p.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dpx")
        items = [(i["metadata"]["name"], i["data"]) for i in json.loads(body)["items"]]
        r.append((st, hs.get("Content-Type"), items))
        r.append(p.request("GET", "/api/v1/namespaces/default/configmaps/nope"))
        r.append(p.request("HEAD", "/api/v1/namespaces/default/configmaps/px1"))
        cm = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "px-post"},
                         "data": {"k": "v"}})
        st, hs, body = p.request("POST", "/api/v1/namespaces/default/configmaps", body=cm)
        r.append((st, hs.get("Content-Type"), masked(body)))
        st, hs, body = p.request("DELETE", "/api/v1/namespaces/default/configmaps/px-post")
        r.append((st, hs.get("Content-Type"), masked(body)))
        # The filter: exec and attach paths, and a Host that is not accepted.
        r.append(p.request("POST", "/api/v1/namespaces/default/pods/x/exec?command=ls"))
        r.append(p.request("GET", "/api/v1/namespaces/default/pods/x/attach"))
        r.append(p.request("GET", "/api", headers={"Host": "evil.example.com:8001"}))
        r.append(p.request("GET", "/api", headers={"Host": "localhost"}))
        # Go's ServeMux cleans the path with a redirect.
        r.append(p.request("GET", "/api/v1/../v1/namespaces/default/configmaps/px1"))
        return r

    r = same(both(("--port=0",), scenario), "answers")
    h.eq(r[0][0], 200, "GET /api")
    h.contains(r[1][2], '"name":"px1"', "GET px1")
    h.eq([n for n, _ in r[2][2]], ["px1"], "label-selected list")
    h.eq(r[5][0], 201, "POST")
    h.eq(r[7], (403, {"Content-Type": "text/plain; charset=utf-8", "Content-Length": "10",
                      "X-Content-Type-Options": "nosniff"}, "Forbidden\n"), "exec refused")
    h.eq(r[4][1]["Content-Length"], r[1][1]["Content-Length"], "HEAD's length")
    h.eq(r[9][0], 403, "foreign Host refused")
    h.eq(r[10][0], 200, "Host localhost")
    h.eq(r[11][0], 301, "unclean path")


def test_watch_streams_events():
    def scenario(p):
        c = p.conn(timeout=15)
        c.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dpx-watch",
                  headers=UA)
        r = c.getresponse()
        head = (r.status, r.getheader("Content-Type"), r.getheader("Transfer-Encoding"))
        time.sleep(0.3)
        # Other clients are served while the watch holds its connection.
        other = p.request("GET", "/api/v1/namespaces/default/configmaps/px-watch")[0]
        rc, _, err = h.kubectl("create", "configmap", "px-watch", "--from-literal=w=1")
        h.eq(rc, 0, "create px-watch: " + err)
        line = r.readline().decode()  # arrives while the watch stays open
        ev = json.loads(line)
        rc, _, err = h.kubectl("delete", "configmap", "px-watch")
        line2 = r.readline().decode()
        ev2 = json.loads(line2)
        c.close()
        return head, other, (ev["type"], ev["object"]["metadata"]["name"]), (ev2["type"], ev2["object"]["metadata"]["name"])

    r = same(both(("--port=0",), scenario), "watch")
    h.eq(r, ((200, "application/json", "chunked"), 404, ("ADDED", "px-watch"), ("DELETED", "px-watch")), "watch")


def test_custom_api_prefix():
    setup_objects()

    def scenario(p):
        return [p.request("GET", "/custom/api/v1/namespaces/default/configmaps/px1"),
                p.request("GET", "/api/v1/namespaces/default/configmaps/px1"),
                p.request("GET", "/custom?x=1"),
                p.request("GET", "/custom/version")[0],
                p.request("POST", "/custom/api/v1/namespaces/default/pods/x/exec")]

    r = same(both(("--port=0", "--api-prefix=/custom/"), scenario), "answers")
    h.eq(r[0][0], 200, "prefixed GET")
    h.eq(r[1][:1] + r[1][2:], (404, "404 page not found\n"), "outside the prefix")
    h.eq(r[2][0], 301, "/custom redirect")
    h.eq(r[2][1].get("Location"), "/custom/?x=1", "/custom redirect")


def test_disable_filter_and_unix_socket():
    path = os.path.join(h.server().tmp, "px.sock")

    def scenario(p):
        return (p.first_line, h.normalize_klog(p.stderr()),
                p.request("GET", "/api/v1/namespaces/default/configmaps/px1", headers={"Host": "evil.example.com"}))

    setup_objects()
    r = same(both(("--port=0", "--disable-filter"), lambda p: scenario(p)[1:]), "disabled filter")
    h.contains(r[0], "Request filter disabled", "warning")
    h.eq(r[1][0], 200, "any Host")
    # The socket kubectl leaves behind is replaced by the next proxy.
    r = same(both(("--unix-socket=" + path,), scenario), "unix socket")
    h.eq(r[0], "Starting to serve on %s\n" % path, "first line")
    h.eq(r[2][0], 403, "Host filter still applies on a socket")
    h.eq(oct(os.stat(path).st_mode & 0o777), "0o700", "socket mode")


def test_static_files():
    d = os.path.join(h.server().tmp, "www")
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write("<html>home</html>\n")
    with open(os.path.join(d, "a.txt"), "w") as f:
        f.write("plain text\n")
    with open(os.path.join(d, "sub", "data.json"), "w") as f:
        f.write('{"a":1}')

    def scenario(p):
        return [p.request("GET", "/static/a.txt"), p.request("GET", "/static/"),
                p.request("GET", "/static/sub/"), p.request("GET", "/static/sub"),
                p.request("GET", "/static/sub/data.json"), p.request("GET", "/static/missing"),
                p.request("GET", "/static/index.html"), p.request("GET", "/api")[0]]

    r = same(both(("--port=0", "--www=" + d), scenario), "static answers")
    h.eq(r[0][2], "plain text\n", "a.txt")
    h.eq(r[1][2], "<html>home</html>\n", "index")


if __name__ == "__main__":
    h.main(globals())
