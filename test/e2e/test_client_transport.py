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
import os, socket, ssl, sys, threading
# An HTTP CONNECT proxy on 127.0.0.1; with a certificate and key it speaks TLS (an https:// proxy).
# mode: ok | refuse (502) | forbid (403) | auth (407); "map=NAME" in argv[4:] sends CONNECTs
# for NAME to 127.0.0.1 (a name only the proxy resolves).
port_file, count_file, mode = sys.argv[1], sys.argv[2], sys.argv[3]
opts = dict(a.split("=", 1) for a in sys.argv[4:])
lock = threading.Lock()
tls = None
if "cert" in opts:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(opts["cert"], opts["key"])

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
    if tls is not None:
        try:
            c = tls.wrap_socket(c, server_side=True)
        except (OSError, ssl.SSLError):
            c.close()
            return
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
    answer = {"refuse": b"502 Bad Gateway", "forbid": b"403 Forbidden", "auth": b"407 Proxy Authentication Required"}
    if mode in answer:
        c.sendall(b"HTTP/1.1 " + answer[mode] + b"\r\nContent-Length: 0\r\n\r\n")
        c.close()
        return
    host, port = target.rsplit(":", 1)
    if host == opts.get("map"):
        host = "127.0.0.1"
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

    def __init__(self, name, mode="ok", **opts):
        d = h.server().tmp
        self.port_file = os.path.join(d, name + ".port")
        self.count_file = os.path.join(d, name + ".count")
        script = os.path.join(d, "proxy.py")
        with open(script, "w") as f:
            f.write(PROXY)
        extra = ["%s=%s" % kv for kv in sorted(opts.items())]
        self.proc = subprocess.Popen([sys.executable, script, self.port_file, self.count_file, mode] + extra,
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


SOCKS5 = r'''
import os, select, socket, struct, sys, threading, time
# A SOCKS5 server (RFC 1928, RFC 1929) on 127.0.0.1 only; mode: ok | auth (alice:s3cret) |
# refuse (answers every CONNECT with 0x02, not allowed by ruleset). Each CONNECT request appends
# "<atyp> <host>:<port>" to log_file. Stops by itself after 300 s.
port_file, log_file, mode = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
deadline = time.time() + 300

def recv_n(c, n):
    buf = b""
    while len(buf) < n:
        d = c.recv(n - len(buf))
        if not d:
            raise OSError("closed")
        buf += d
    return buf

def relay(a, b):
    socks = [a, b]
    while time.time() < deadline:
        r, _, _ = select.select(socks, [], [], 1)
        for s in r:
            d = s.recv(65536)
            if not d:
                return
            (b if s is a else a).sendall(d)

def handle(c):
    u = None
    try:
        ver, n = recv_n(c, 2)
        methods = recv_n(c, n)
        want = 2 if mode == "auth" else 0
        if want not in methods:
            c.sendall(b"\x05\xff")
            return
        c.sendall(bytes([5, want]))
        if want == 2:
            _, ulen = recv_n(c, 2)
            user = recv_n(c, ulen)
            plen = recv_n(c, 1)[0]
            pw = recv_n(c, plen)
            ok = (user, pw) == (b"alice", b"s3cret")
            c.sendall(b"\x01\x00" if ok else b"\x01\x01")
            if not ok:
                return
        _, cmd, _, atyp = recv_n(c, 4)
        if atyp == 1:
            host = socket.inet_ntop(socket.AF_INET, recv_n(c, 4))
        elif atyp == 4:
            host = socket.inet_ntop(socket.AF_INET6, recv_n(c, 16))
        else:
            host = recv_n(c, recv_n(c, 1)[0]).decode()
        port = struct.unpack(">H", recv_n(c, 2))[0]
        with lock:
            with open(log_file, "a") as f:
                f.write("%d %s:%d\n" % (atyp, host, port))
        if mode == "refuse" or cmd != 1:
            c.sendall(b"\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00")
            return
        try:
            u = socket.create_connection((host, port), timeout=5)
        except OSError:
            c.sendall(b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
            return
        u.settimeout(None)
        bound = u.getsockname()
        c.sendall(b"\x05\x00\x00\x01" + socket.inet_aton(bound[0]) + struct.pack(">H", bound[1]))
        relay(c, u)
    except OSError:
        pass
    finally:
        for s in (c, u):
            if s is not None:
                s.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
s.settimeout(1)
open(port_file + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while time.time() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(None)
    threading.Thread(target=handle, args=(c,), daemon=True).start()
'''


class Socks5:
    """A SOCKS5 server in a child process; `requests()` lists the CONNECT requests it received
    as (address type, "host:port") pairs: 1 IPv4, 3 domain name, 4 IPv6."""

    def __init__(self, name, mode="ok"):
        d = h.server().tmp
        self.port_file = os.path.join(d, name + ".port")
        self.log_file = os.path.join(d, name + ".log")
        script = os.path.join(d, "socks5.py")
        with open(script, "w") as f:
            f.write(SOCKS5)
        self.proc = subprocess.Popen([sys.executable, script, self.port_file, self.log_file, mode],
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        h._children.append(self.proc)
        h.wait_until(lambda: os.path.exists(self.port_file), what="socks5 start")
        self.port = int(open(self.port_file).read())

    def requests(self):
        try:
            lines = open(self.log_file).read().splitlines()
        except FileNotFoundError:
            return []
        return [(int(a), t) for a, t in (l.split(" ", 1) for l in lines)]

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


def test_server_without_scheme():
    # clientcmd takes the TLS settings and credentials only for an https:// server; one without a
    # scheme is plain http://, so its requests reach the TLS port as plain HTTP and get Go
    # net/http's fixed 400, which kubectl reports as BadRequest.
    hp = h.server().url[len("https://"):]
    kc = kubeconfig("no-scheme", server=hp)
    cm = h.write_file("no-scheme-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: no-scheme\n")
    bad = "Error from server (BadRequest): the server rejected our request for an unknown reason"
    k = h.compare([
        ("get", "ns", "-s", hp, fresh_cache("noscheme1")),
        ("get", "ns", "-s", hp),
        ("get", "ns", "default", "--kubeconfig", kc, "-o", "name", fresh_cache("noscheme2")),
        ("get", "ns", "-s", "http://" + hp, "--insecure-skip-tls-verify"),
        ("get", "ns", "-s", hp, "--tls-server-name", "x", "--insecure-skip-tls-verify", "--certificate-authority",
         h.server().ca_file),
        ("create", "ns", "no-scheme", "-s", hp),
        ("create", "-f", cm, "-s", hp, fresh_cache("noscheme3")),
        ("delete", "-f", cm, "-s", hp, fresh_cache("noscheme4")),
        ("get", "ns", "default", "-o", "name", "-s", "https://" + hp),
    ], expect={8: (0, "namespace/default\n")}, normalize=h.normalize_klog)
    for i in (0, 1, 2, 3, 4):
        h.eq(k[i][:2], (1, ""), "step %d fails" % i)
        h.contains(k[i][2], "the server rejected our request for an unknown reason")
    h.contains(k[0][2], bad + "\n")
    h.contains(k[0][2], "couldn't get current server API group list: the server rejected our request for an "
               "unknown reason\"\n")
    h.eq(k[5][2], bad + " (post namespaces)\n", "create ns")
    h.eq(k[6][2], "error: error validating \"%s\": error validating data: failed to download openapi: the server "
         "rejected our request for an unknown reason; if you choose to ignore these errors, turn validation off "
         "with --validate=false\n" % cm, "create -f")
    h.contains(k[7][2], "error: unable to recognize \"%s\": the server rejected our request for an unknown "
               "reason\n" % cm)


def proxy_cert(name, signed_by_cluster_ca, san="IP:127.0.0.1,DNS:proxy.test"):
    """A certificate and key for a TLS proxy: signed by the cluster's CA (which kubectl then
    trusts for the proxy too) or self-signed."""
    srv = h.server()
    crt, key = os.path.join(srv.tmp, name + ".crt"), os.path.join(srv.tmp, name + ".key")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key]
    if signed_by_cluster_ca:
        csr, ext = crt + ".csr", crt + ".ext"
        h.write_file(os.path.basename(ext), "subjectAltName=%s\n" % san)
        subprocess.run(["openssl", "req"] + ec + ["-out", csr, "-subj", "/CN=proxy"], check=True, capture_output=True)
        pki = os.path.join(srv.data_dir, "pki")
        subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(pki, "ca.crt"), "-CAkey",
                        os.path.join(pki, "ca.key"), "-CAcreateserial", "-out", crt, "-days", "2",
                        "-extfile", os.path.join(srv.tmp, os.path.basename(ext))], check=True, capture_output=True)
    else:
        subprocess.run(["openssl", "req", "-x509"] + ec + ["-out", crt, "-subj", "/CN=self", "-days", "2",
                        "-addext", "subjectAltName=" + san], check=True, capture_output=True)
    return {"cert": crt, "key": key}


def test_https_proxy_url():
    # Go's transport: TLS to the proxy, verified like the API server (the cluster's CA, the
    # proxy's own name), then CONNECT inside that session.
    trusted, selfsigned = proxy_cert("proxy-trusted", True), proxy_cert("proxy-self", False)
    ok, forbid = Proxy("tls-ok", **trusted), Proxy("tls-forbid", "forbid", **trusted)
    auth, untrusted = Proxy("tls-auth", "auth", **trusted), Proxy("tls-untrusted", **selfsigned)
    try:
        via = kubeconfig("via-https", "    proxy-url: https://127.0.0.1:%d\n" % ok.port)
        by_name = kubeconfig("via-https-name", "    proxy-url: https://localhost:%d\n" % ok.port)
        cm = h.write_file("https-proxy-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: via-https\n"
                          "  namespace: default\n")
        steps = [
            ("get", "ns", "default", "-o", "name", "--kubeconfig", via, fresh_cache("https")),
            ("apply", "-f", cm, "--kubeconfig", via),
            ("delete", "-f", cm, "--kubeconfig", via),
            ("get", "ns", "--kubeconfig", by_name, fresh_cache("https-name")),
            ("get", "ns", "--kubeconfig", by_name),
            ("get", "ns", "--kubeconfig", via, "--tls-server-name", "kubernetes"),
            ("get", "ns", "default", "-o", "name", "--kubeconfig", via, "--insecure-skip-tls-verify",
             "--certificate-authority="),
        ]
        for name, proxy in (("forbid", forbid), ("auth", auth), ("untrusted", untrusted), ("dead", None)):
            kc = kubeconfig("https-" + name, "    proxy-url: https://127.0.0.1:%d\n"
                            % (proxy.port if proxy else closed_port()))
            steps += [("get", "ns", "--kubeconfig", kc, fresh_cache("https-" + name)), ("get", "ns", "--kubeconfig", kc)]
        counts = []
        k = h.compare(steps, expect={0: (0, "namespace/default\n"), 1: (0, "configmap/via-https created\n"),
                                     2: (0, "configmap \"via-https\" deleted\n"), 6: (0, "namespace/default\n")},
                      between=lambda: counts.append(ok.tunnels()), normalize=h.normalize_klog)
        h.check(counts[0] >= 1 and counts[1] > counts[0], "both went through the TLS proxy %r" % counts)
        unable = "Unable to connect to the server: "
        h.eq(k[4][2], unable + "proxyconnect tcp: tls: failed to verify certificate: x509: certificate is valid "
             "for proxy.test, not localhost\n", "the proxy's name is checked")
        h.eq(k[5][2], unable + "proxyconnect tcp: tls: failed to verify certificate: x509: certificate is valid "
             "for proxy.test, not kubernetes\n", "tls-server-name applies to the proxy too")
        h.eq(k[8][2], unable + "Forbidden\n", "403 to CONNECT")
        h.eq(k[10][2], unable + "Proxy Authentication Required\n", "407 to CONNECT")
        h.contains(k[11][2], "couldn't get current server API group list: Get \\\"%s/api?timeout=10s\\\": "
                   "proxyconnect tcp: tls: failed to verify certificate: x509: certificate signed by unknown "
                   "authority\"\n" % h.server().url)
        h.eq(k[12][2], unable + "proxyconnect tcp: tls: failed to verify certificate: x509: certificate signed by "
             "unknown authority\n", "self-signed proxy")
        h.eq(k[14][2], "The connection to the server %s was refused - did you specify the right host or port?\n"
             % h.server().url[len("https://"):], "unreachable https proxy")
        # Without a cluster CA both hops trust the system roots, which Go (and OpenSSL) read from
        # SSL_CERT_FILE when it is set.
        no_ca = h.write_file("via-https-no-ca", open(via).read().replace(
            "    certificate-authority: %s\n" % h.server().ca_file, ""))
        step = [("get", "ns", "default", "-o", "name", "--kubeconfig", no_ca)]
        h.eq(run_both(step, {"SSL_CERT_FILE": h.server().ca_file})[0][:2], (0, "namespace/default\n"), "SSL_CERT_FILE")
        h.contains(run_both(step, {"SSL_CERT_FILE": os.path.join(h.server().tmp, "proxy-self.crt")})[0][2],
                   "Unable to connect to the server: proxyconnect tcp: tls: failed to verify certificate: x509: "
                   "certificate signed by unknown authority\n")
        outs = {}
        for tool in ("kubectl", "kapi"):
            def act(tool=tool):
                h.ok("create", "configmap", "https-w-" + tool, "-n", "default")
                h.ok("delete", "configmap", "https-w-" + tool, "-n", "default")
            o, e = watch_through(via, tool, act, settle=1.5)
            outs[tool] = (o.replace(tool, "X"), e)
        h.eq(outs["kapi"], outs["kubectl"], "kapi vs kubectl watch through the TLS proxy")
        h.contains(outs["kubectl"][0], "configmap/https-w-X\nconfigmap/https-w-X\n")
    finally:
        for p in (ok, forbid, auth, untrusted):
            p.stop()


def test_proxy_environment():
    # No proxy-url: http.ProxyFromEnvironment. 127.0.0.1 and localhost are never proxied, so the
    # server is named 0.0.0.0 (not loopback to Go, yet the local host to connect()), with
    # tls-server-name for its certificate; NO_PROXY rules then decide between proxy and direct.
    ok = Proxy("env-ok")
    tls_ok = Proxy("env-tls", **proxy_cert("env-proxy", True))
    try:
        port = h.server().url.rsplit(":", 1)[1]
        zero = ("-s", "https://0.0.0.0:" + port, "--tls-server-name", "kubernetes")
        dead = "http://127.0.0.1:%d" % closed_port()
        cases = [
            ({"HTTPS_PROXY": "http://127.0.0.1:%d" % ok.port}, zero, True),
            ({"https_proxy": "127.0.0.1:%d" % ok.port}, zero, True),  # no scheme: http://
            ({"HTTPS_PROXY": dead, "https_proxy": "http://127.0.0.1:%d" % ok.port}, zero, False),  # upper wins
            ({"HTTPS_PROXY": "https://127.0.0.1:%d" % tls_ok.port}, ("-s", "https://0.0.0.0:" + port,
                                                                    "--insecure-skip-tls-verify"), False),
            ({"HTTPS_PROXY": dead, "NO_PROXY": "0.0.0.0"}, zero, False),
            ({"HTTPS_PROXY": dead, "no_proxy": "example.com, 0.0.0.0/8"}, zero, False),
            ({"HTTPS_PROXY": dead, "NO_PROXY": "0.0.0.0:443"}, zero, False),  # another port: proxied
            ({"HTTPS_PROXY": dead, "NO_PROXY": "0.0.0.0:" + port}, zero, False),
            ({"HTTPS_PROXY": dead, "NO_PROXY": "*"}, zero, False),
            ({"HTTPS_PROXY": dead}, (), False),  # 127.0.0.1: never proxied
            ({"HTTP_PROXY": dead}, zero, False),  # HTTP_PROXY is for http:// servers
            ({"REQUEST_METHOD": "GET", "HTTP_PROXY": dead}, ("-s", "http://127.0.0.1:" + port), False),
            ({"HTTPS_PROXY": dead}, ("--kubeconfig", kubeconfig("env-vs-url", "    proxy-url: http://127.0.0.1:%d\n"
                                                                % ok.port), "-s", "https://0.0.0.0:" + port,
                                     "--tls-server-name", "kubernetes"), True),  # proxy-url wins
        ]
        results = []
        for env, args, through_ok in cases:
            before = ok.tunnels()
            r = run_both([("get", "ns", "default", "-o", "name") + tuple(args)], env)
            results.append(r[0])
            if through_ok:
                h.check(ok.tunnels() >= before + 2, "%r: both went through the proxy" % env)
        for i in (0, 1, 3, 4, 5, 7, 8, 9, 10, 12):
            h.eq(results[i][:2], (0, "namespace/default\n"), "case %d %r" % (i, cases[i][0]))
        refused = "The connection to the server 0.0.0.0:%s was refused - did you specify the right host or port?\n" % port
        h.eq(results[2][2][-len(refused):], refused, "HTTPS_PROXY over https_proxy")
        h.eq(results[6][2][-len(refused):], refused, "NO_PROXY with another port")
        h.eq(results[11][2][-110:], "Unable to connect to the server: refusing to use HTTP_PROXY value in CGI "
             "environment; see golang.org/s/cgihttpproxy\n"[-110:], "CGI")
    finally:
        ok.stop()
        tls_ok.stop()


def watch_through(kc, tool, act, settle=2.0):
    """`get cm -w -o name` with kubeconfig kc for a moment around act(); what it printed."""
    srv = h.server()
    args = ["get", "cm", "-n", "default", "-w", "-o", "name", "--kubeconfig", kc]
    if tool == "kubectl":
        p = h.popen_kubectl(*args)
    else:
        n = len(h._children)
        out = open(os.path.join(srv.tmp, "socks-w%d.out" % n), "w+")
        err = open(os.path.join(srv.tmp, "socks-w%d.err" % n), "w+")
        p = subprocess.Popen(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + args,
                             executable=h.kapi_bin(), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             text=True, env=h.kubectl_env(), cwd=srv.tmp, start_new_session=True)
        p.out_file, p.err_file = out, err
        h._children.append(p)
    time.sleep(settle)
    act()
    time.sleep(settle)
    h.kill_proc(p)
    return h.proc_output(p)


def test_socks5_proxy():
    ok, auth, refuse = Socks5("socks-ok"), Socks5("socks-auth", "auth"), Socks5("socks-refuse", "refuse")
    try:
        port = h.server().url.rsplit(":", 1)[1]
        via = kubeconfig("via-socks", "    proxy-url: socks5://127.0.0.1:%d\n" % ok.port)
        by_name = kubeconfig("via-socks-name", "    proxy-url: socks5://localhost:%d\n" % ok.port,
                             server="https://localhost:" + port)
        with_auth = kubeconfig("socks-auth", "    proxy-url: socks5://alice:s3cret@127.0.0.1:%d\n" % auth.port)
        bad_pw = kubeconfig("socks-badpw", "    proxy-url: socks5://alice:wrong@127.0.0.1:%d\n" % auth.port)
        no_pw = kubeconfig("socks-nopw", "    proxy-url: socks5://127.0.0.1:%d\n" % auth.port)
        refused = kubeconfig("socks-refuse", "    proxy-url: socks5://127.0.0.1:%d\n" % refuse.port)
        cm = h.write_file("socks-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: via-socks\n"
                          "  namespace: default\ndata:\n  a: b\n")
        counts = []
        k = h.compare([
            ("get", "ns", "default", "-o", "name", "--kubeconfig", via, fresh_cache("socks")),
            ("get", "ns", "kube-system", "--kubeconfig", via, "-o", "jsonpath={.metadata.name}"),
            ("get", "pods", "-A", "--kubeconfig", via),
            ("apply", "-f", cm, "--kubeconfig", via),
            ("get", "cm", "via-socks", "-o", "jsonpath={.data.a}", "--kubeconfig", via),
            ("delete", "-f", cm, "--kubeconfig", via),
            ("get", "ns", "default", "-o", "name", "--kubeconfig", by_name, fresh_cache("socks-name")),
            ("get", "ns", "default", "-o", "name", "--kubeconfig", with_auth, fresh_cache("socks-auth")),
            ("get", "ns", "--kubeconfig", bad_pw, fresh_cache("socks-badpw")),
            ("get", "ns", "--kubeconfig", bad_pw),
            ("get", "ns", "--kubeconfig", no_pw),
            ("get", "ns", "--kubeconfig", refused, fresh_cache("socks-refused")),
            ("get", "ns", "--kubeconfig", refused),
        ], expect={0: (0, "namespace/default\n"), 1: (0, "kube-system"), 3: (0, "configmap/via-socks created\n"),
                   4: (0, "b"), 5: (0, "configmap \"via-socks\" deleted\n"), 6: (0, "namespace/default\n"),
                   7: (0, "namespace/default\n")},
            between=lambda: counts.append((len(ok.requests()), len(auth.requests()))), normalize=h.normalize_klog)
        h.check(counts[0][0] >= 1 and counts[0][1] >= 1, "kubectl went through the socks5 proxies %r" % (counts,))
        h.check(counts[1][0] > counts[0][0] and counts[1][1] > counts[0][1],
                "kapi went through the socks5 proxies %r" % (counts,))
        targets = set(ok.requests())
        h.eq(targets, {(1, "127.0.0.1:" + port), (3, "localhost:" + port)},
             "CONNECT targets (IPv4 literal, domain name)")
        server = h.server().url[len("https://"):]
        h.contains(k[8][2], "\"Unhandled Error\" err=\"couldn't get current server API group list: Get "
                   "\\\"%s/api?timeout=10s\\\": socks connect tcp 127.0.0.1:%d->%s: username/password "
                   "authentication failed\"\n" % (h.server().url, auth.port, server))
        h.eq(k[9][2], "Unable to connect to the server: socks connect tcp 127.0.0.1:%d->%s: username/password "
             "authentication failed\n" % (auth.port, server), "wrong socks5 password")
        h.eq(k[10][2], "Unable to connect to the server: socks connect tcp 127.0.0.1:%d->%s: no acceptable "
             "authentication methods\n" % (auth.port, server), "socks5 proxy wanting a password")
        h.eq(k[12][2], "Unable to connect to the server: socks connect tcp 127.0.0.1:%d->%s: unknown error "
             "connection not allowed by ruleset\n" % (refuse.port, server), "socks5 proxy refusing the CONNECT")
        outs = {}
        for tool in ("kubectl", "kapi"):
            before = len(ok.requests())

            def act(tool=tool):
                h.ok("create", "configmap", "socks-w-" + tool, "-n", "default")
                h.ok("delete", "configmap", "socks-w-" + tool, "-n", "default")
            o, e = watch_through(via, tool, act)
            outs[tool] = (o.replace(tool, "X"), e)
            h.check(len(ok.requests()) > before, "%s watched through the socks5 proxy" % tool)
        h.eq(outs["kapi"], outs["kubectl"], "kapi vs kubectl watch through socks5")
        h.contains(outs["kubectl"][0], "configmap/socks-w-X\nconfigmap/socks-w-X\n")
    finally:
        for p in (ok, auth, refuse):
            p.stop()


def run_both(steps, env_extra):
    """Each step with kubectl then kapi under extra environment (e.g. a KUBECONFIG list); klog
    heads normalised; returns kubectl's results after requiring kapi's to be identical."""
    results = {}
    for tool in ("kubectl", "kapi"):
        outs = []
        for args in steps:
            env = h.kubectl_env()
            env.update(env_extra)
            if tool == "kubectl":
                argv, exe = [h.require_kubectl("1.33"), "--cache-dir=" + h.server().cache_dir] + list(args), None
            else:
                argv, exe = (["kubectl", "--cache-dir=" + os.path.join(h.server().home, ".kube", "kapi-cache")]
                             + list(args), h.kapi_bin())
            p = subprocess.run(argv, executable=exe, capture_output=True, text=True, env=env,
                               cwd=h.server().tmp, timeout=60, stdin=subprocess.DEVNULL)
            outs.append((p.returncode, h.normalize_klog(p.stdout), h.normalize_klog(p.stderr)))
        results[tool] = outs
    for i, args in enumerate(steps):
        if results["kubectl"][i] != results["kapi"][i]:
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, args, results["kubectl"][i], results["kapi"][i]))
    return results["kubectl"]


def test_tls_flags():
    srv = h.server()
    port = srv.url.rsplit(":", 1)[1]
    other_ca = os.path.join(srv.tmp, "other-ca.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", os.path.join(srv.tmp, "other-ca.key"), "-out", other_ca,
                    "-subj", "/CN=other", "-days", "2"], check=True, capture_output=True)
    kc = kubeconfig("tls")
    k = h.compare([
        ("get", "ns", "default", "-o", "name", "--kubeconfig", kc),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", kc, "-s", "https://localhost:" + port),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", kc, "-s", "https://127.0.0.1:" + port,
         "--insecure-skip-tls-verify"),
        ("get", "ns", "--kubeconfig", kc, "--certificate-authority", other_ca, fresh_cache("badca")),
        ("get", "ns", "--kubeconfig", kc, "--certificate-authority", other_ca),
        ("get", "ns", "--kubeconfig", kc, "--tls-server-name", "wrong.example"),
        ("get", "ns", "--kubeconfig", kc, "--tls-server-name", "wrong.example", "--certificate-authority", other_ca),
        ("get", "ns", "default", "-o", "name", "--kubeconfig", kc, "--tls-server-name", "kubernetes"),
        ("get", "ns", "--kubeconfig", kc, "--insecure-skip-tls-verify", "--certificate-authority", srv.ca_file),
        ("get", "ns", "--kubeconfig", kc, "--certificate-authority", os.path.join(srv.tmp, "missing.crt")),
    ], expect={0: (0, "namespace/default\n"), 1: (0, "namespace/default\n"), 2: (0, "namespace/default\n"),
               7: (0, "namespace/default\n")}, normalize=h.normalize_klog)
    h.eq(k[4][2], "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by "
         "unknown authority\n", "wrong CA")
    h.contains(k[5][2], "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is "
               "valid for kubernetes, kubernetes.default, ")
    h.contains(k[5][2], ", not wrong.example\n")
    h.eq(k[6][2], k[5][2], "the name is checked before the chain")
    h.eq(k[8][2], "error: specifying a root certificates file with the insecure flag is not allowed\n", "CA + insecure")


def raw_get(path, headers):
    """GET `path` as the admin (client certificate), undecoded: (headers, body)."""
    import base64
    import http.client
    import re
    import ssl
    srv = h.server()
    text = open(srv.kubeconfig).read()
    files = []
    for key in ("client-certificate-data", "client-key-data"):
        path_ = os.path.join(srv.tmp, key + ".pem")
        with open(path_, "wb") as f:
            f.write(base64.b64decode(re.search(key + r":\s*(\S+)", text).group(1)))
        files.append(path_)
    ctx = ssl.create_default_context(cafile=srv.ca_file)
    ctx.load_cert_chain(*files)
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=20)
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    return dict((k.lower(), v) for k, v in r.getheaders()), r.read()


def test_gzip_answers():
    # Like Go's transport, the client offers gzip; kapi serve compresses answers over 128 KiB
    # (as upstream's APIResponseCompression), and the client undoes it.
    big = "".join("line %06d of a big config map\n" % i for i in range(6000))  # ~190 KiB
    cm = h.write_file("big-cm.json", '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big-cm"},'
                      '"data":{"a":%s}}' % __import__("json").dumps(big))
    h.kubectl("create", "-f", cm)
    headers, body = raw_get("/api/v1/namespaces/default/configmaps/big-cm", {"Accept-Encoding": "gzip"})
    h.eq(headers.get("content-encoding"), "gzip", "the server compresses the big answer")
    h.check(len(body) < 100000, "compressed: %d bytes" % len(body))
    k = h.compare([
        ("get", "cm", "big-cm", "-o", "yaml"),
        ("get", "cm", "big-cm", "-o", "jsonpath={.data.a}"),
        ("get", "cm", "big-cm", "-o", "custom-columns=NAME:.metadata.name,DATA:.data.a"),
    ])
    h.eq(k[1][1], big, "the data came through")


def test_kubeconfig_list_and_overrides():
    srv = h.server()
    admin = open(srv.kubeconfig).read()
    users = admin[admin.index("users:"):]
    dead = "https://127.0.0.1:%d" % closed_port()
    a = h.write_file("kc-a", "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: %s\n"
                     "    certificate-authority: %s\ncontexts:\n- name: ctx-a\n  context: {cluster: c, user: "
                     "kubernetes-admin, namespace: kube-system}\ncurrent-context: ctx-a\n%s" % (srv.url, srv.ca_file, users))
    b = h.write_file("kc-b", "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: %s\n"
                     "- name: dead\n  cluster:\n    server: %s\n    insecure-skip-tls-verify: true\n"
                     "contexts:\n- name: ctx-a\n  context: {cluster: dead, user: nobody}\n"
                     "- name: ctx-b\n  context: {cluster: dead, user: kubernetes-admin}\ncurrent-context: ctx-b\n"
                     "users:\n- name: kubernetes-admin\n  user: {token: from-b}\n- name: tok\n  user: {token: x}\n"
                     % (dead, dead))
    steps = [
        ("config", "current-context"),
        ("get", "sa", "default", "-o", "name"),
        ("get", "ns", "--context", "ctx-b"),
        ("get", "ns", "default", "-o", "name", "--context", "ctx-b", "--cluster", "c"),
        ("get", "ns", "--cluster", "dead"),
        ("get", "ns", "--user", "tok", "--request-timeout", "5s"),
        ("get", "ns", "--context", "nope"),
        ("get", "ns", "--user", "nope"),
        ("get", "ns", "default", "-o", "name", "--request-timeout", "1s"),
        ("get", "ns", "default", "-o", "name", "--request-timeout", "0"),
        ("get", "ns", "default", "-o", "name", "--request-timeout", "3"),
        ("get", "ns", "--request-timeout", "1x"),
    ]
    k = run_both(steps, {"KUBECONFIG": a + ":" + b})
    h.eq(k[0][:2], (0, "ctx-a\n"), "current-context from the first file")
    h.eq(k[1][:2], (0, "serviceaccount/default\n"), "namespace of the first file's context")
    h.eq(k[3][:2], (0, "namespace/default\n"), "--cluster over --context")
    h.contains(k[2][2], "The connection to the server %s was refused" % dead[len("https://"):])
    h.eq(k[5][2], "error: You must be logged in to the server (Unauthorized)\n", "a token user without token auth")
    h.eq(k[11][2], "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
         "followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n", "bad timeout")
    k = run_both([("config", "current-context"), ("get", "ns")], {"KUBECONFIG": b + ":" + a})
    h.eq(k[0][:2], (0, "ctx-b\n"), "current-context from the first file (b)")


if __name__ == "__main__":
    h.main(globals())
