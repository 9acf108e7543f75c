#!/usr/bin/env python3
"""kapi client mode `-f http://...` (cli-runtime's URLVisitor) against real kubectl 1.33: the
manifest is fetched with a GET, retried up to three times a second apart on a 5xx or a failed
connection; other statuses are reported with the server's own status line.

The manifests come from a small HTTP server in this test on 127.0.0.1; every step runs with
kubectl.1.33 and then with `$KAPI_BIN` against one `kapi serve`.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_url_manifests.py [name-filter]
"""
import http.server
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: from-url
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: from-url-2
"""

_requests = []


class Handler(http.server.BaseHTTPRequestHandler):
    flaky_left = 0

    def do_GET(self):  # noqa: N802
        _requests.append(self.path)
        if self.path.startswith("/cms.yaml"):
            body = MANIFEST.encode()
            self.send_response(200)
        elif self.path == "/flaky.yaml" and Handler.flaky_left > 0:
            Handler.flaky_left -= 1
            body = b"busy"
            self.send_response(503, "Come Back Later")
        elif self.path == "/flaky.yaml":
            body = MANIFEST.encode()
            self.send_response(200)
        elif self.path == "/broken.yaml":
            body = b"oops"
            self.send_response(500)
        else:
            body = b"no"
            self.send_response(404, "Nothing Here")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d" % srv.server_address[1]


def test_apply_get_delete_from_a_url():
    srv, base = serve()
    try:
        url = base + "/cms.yaml"
        k = h.compare([
            ("apply", "-f", url),
            ("apply", "-f", url),
            ("get", "-f", url, "-o", "name"),
            ("create", "-f", url + "?v=2", "--dry-run=client"),
            ("delete", "-f", url),
        ])
        h.eq(k[0][:2], (0, "configmap/from-url created\nconfigmap/from-url-2 created\n"), "kubectl: apply")
        h.eq(k[3][:2], (0, "configmap/from-url created (dry run)\nconfigmap/from-url-2 created (dry run)\n"),
             "kubectl: create with a query")
    finally:
        srv.shutdown()


def test_url_errors_and_retries():
    srv, base = serve()
    try:
        closed = h.free_port()
        k = h.compare([
            ("apply", "-f", base + "/missing.yaml"),
            ("apply", "-f", base + "/broken.yaml"),
            ("apply", "-f", "http://127.0.0.1:%d/x.yaml" % closed),
        ])
        h.eq(k[0], (1, "", 'error: unable to read URL "%s/missing.yaml", server reported 404 Nothing Here, '
                           'status code=404\n' % base), "kubectl: a 404 with its reason phrase")
        h.eq(k[1][2], 'error: unable to read URL "%s/broken.yaml", server reported 500 Internal Server Error, '
                      'status code=500\n' % base, "kubectl: a 5xx after three attempts")
        h.eq(k[2][2], "The connection to the server 127.0.0.1:%d was refused - did you specify the right host "
                      "or port?\n" % closed, "kubectl: connection refused")
        # Three attempts at a 5xx for each tool; a 404 is not retried.
        h.eq(_requests.count("/broken.yaml"), 6, "each tool tries a 5xx three times")
        h.eq(_requests.count("/missing.yaml"), 2, "each tool tries a 404 once")
        # Two 503s, then the manifest: both tools get it on their third attempt.
        for tool in ("kubectl", "kapi"):
            Handler.flaky_left = 2
            rc, out, err = h.run_tool(tool, ["apply", "-f", base + "/flaky.yaml", "--dry-run=client"])
            h.eq((rc, out, err), (0, "configmap/from-url created (dry run)\nconfigmap/from-url-2 created (dry run)\n",
                                  ""), tool + ": retried past two 503s")
    finally:
        srv.shutdown()


if __name__ == "__main__":
    h.main(globals())
