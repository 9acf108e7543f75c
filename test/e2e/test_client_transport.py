#!/usr/bin/env python3
"""How kapi client mode reaches the server, against real kubectl 1.33 byte for byte: a cluster's
proxy-url (a CONNECT proxy started here counts the tunnels each client opens), TLS flags
(--certificate-authority, --insecure-skip-tls-verify, --tls-server-name, -s), KUBECONFIG lists
merged first-file-wins, --context/--cluster/--user, and --request-timeout.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_transport.py [name-filter]
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

PROXY = r'''
import os, socket, sys, threading
port_file, count_file, mode = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()

def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

def handle(c):
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = c.recv(4096)
        if not d:
            c.close()
            return
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    method, target = head.split(b"\r\n")[0].decode().split(" ")[:2]
    if method != "CONNECT":
        c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        c.close()
        return
    with lock:
        n = int(open(count_file).read() or 0) if os.path.exists(count_file) else 0
        open(count_file, "w").write(str(n + 1))
    if mode == "refuse":
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        c.close()
        return
    host, port = target.rsplit(":", 1)
    u = socket.create_connection((host, int(port)))
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    if rest:
        u.sendall(rest)
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
open(port_file + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
'''


class Proxy:
    """A CONNECT proxy in a child process; `tunnels()` counts the CONNECTs it received."""

    def __init__(self, name, mode="ok"):
        d = h.server().tmp
        self.port_file = os.path.join(d, name + ".port")
        self.count_file = os.path.join(d, name + ".count")
        script = os.path.join(d, "proxy.py")
        with open(script, "w") as f:
            f.write(PROXY)
        self.proc = subprocess.Popen([sys.executable, script, self.port_file, self.count_file, mode],
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        h._children.append(self.proc)
        h.wait_until(lambda: os.path.exists(self.port_file), what="proxy start")
        self.port = int(open(self.port_file).read())

    def tunnels(self):
        try:
            return int(open(self.count_file).read() or 0)
        except FileNotFoundError:
            return 0

    def stop(self):
        h.kill_proc(self.proc)


def kubeconfig(name, cluster_extra="", server=None):
    srv = h.server()
    admin = open(srv.kubeconfig).read()
    user = admin[admin.index("users:"):]
    text = ("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
            "    server: %s\n    certificate-authority: %s\n%s"
            "contexts:\n- name: ctx\n  context: {cluster: c, user: kubernetes-admin}\ncurrent-context: ctx\n%s"
            % (server or srv.url, srv.ca_file, cluster_extra, user))
    return h.write_file(name, text)


def fresh_cache(name):
    return "--cache-dir=" + os.path.join(h.server().tmp, "cache-" + name)


def closed_port():
    return h.free_port()


def test_proxy_url():
    ok, refuse = Proxy("proxy-ok"), Proxy("proxy-refuse", "refuse")
    try:
        via = kubeconfig("via-proxy", "    proxy-url: http://127.0.0.1:%d\n" % ok.port)
        dead = kubeconfig("dead-proxy", "    proxy-url: http://127.0.0.1:%d\n" % closed_port())
        socks = kubeconfig("socks-proxy", "    proxy-url: socks5://127.0.0.1:%d\n" % closed_port())
        bad_gw = kubeconfig("badgw-proxy", "    proxy-url: http://127.0.0.1:%d\n" % refuse.port)
        invalid = kubeconfig("invalid-proxy", "    proxy-url: 127.0.0.1:3128\n")
        ftp = kubeconfig("ftp-proxy", "    proxy-url: ftp://127.0.0.1:3128\n")
        counts = []
        k = h.compare([
            ("get", "ns", "default", "-o", "name", "--kubeconfig", via, fresh_cache("via")),
            ("get", "ns", "kube-system", "--kubeconfig", via, "-o", "jsonpath={.metadata.name}"),
            ("get", "ns", "--kubeconfig", dead, fresh_cache("dead")),
            ("get", "ns", "--kubeconfig", dead),
            ("get", "ns", "--kubeconfig", socks),
            ("get", "ns", "--kubeconfig", bad_gw, fresh_cache("badgw")),
            ("get", "ns", "--kubeconfig", bad_gw),
            ("get", "ns", "--kubeconfig", invalid),
            ("get", "ns", "--kubeconfig", ftp),
        ], expect={0: (0, "namespace/default\n"), 1: (0, "kube-system")},
            between=lambda: counts.append(ok.tunnels()), normalize=h.normalize_klog)
        h.check(counts[0] >= 1, "kubectl went through the proxy (%d tunnels)" % counts[0])
        h.check(counts[1] > counts[0], "kapi went through the proxy (%d tunnels after kubectl's %d)"
                % (counts[1], counts[0]))
        url = h.server().url
        host = url[len("https://"):]
        h.contains(k[2][2], "\"Unhandled Error\" err=\"couldn't get current server API group list: Get "
                   "\\\"%s/api?timeout=10s\\\": proxyconnect tcp: dial tcp 127.0.0.1:" % url)
        h.eq(k[3][2], "The connection to the server %s was refused - did you specify the right host or port?\n"
             % host, "unreachable proxy")
        h.eq(k[4][2], k[3][2], "unreachable socks5 proxy")
        h.eq(k[6][2], "Unable to connect to the server: Bad Gateway\n", "proxy refusing the tunnel")
        h.eq(k[7][2], "error: invalid 'proxy-url' \"127.0.0.1:3128\" for cluster \"c\": could not parse: "
             "127.0.0.1:3128\n", "invalid proxy-url")
        h.eq(k[8][2], "error: invalid 'proxy-url' \"ftp://127.0.0.1:3128\" for cluster \"c\": unsupported scheme "
             "\"ftp\", must be http, https, or socks5\n", "ftp proxy-url")
    finally:
        ok.stop()
        refuse.stop()


if __name__ == "__main__":
    h.main(globals())
