#!/usr/bin/env python3
"""The username/password prompt: kubectl's loader is interactive (it has the deprecated
--password flag), so an https cluster whose user has no token, certificate, username, exec plugin
or auth provider makes clientcmd's PromptingAuthLoader ask on stdout:

- "Please enter Username: " then one whitespace-separated word from stdin (fmt.Fscan): no word
  at all is `error: EOF`;
- "Please enter Password: " then a line read without echo, which needs stdin to be a terminal:
  from a pipe it is `error: error reading input for Password`.
- The typed pair is sent as basic auth (kapi serve treats that as anonymous); --password given
  on the command line wins over the typed one. No prompt for http:// servers, for commands that
  do not talk to the server, or when the request timeout is invalid (checked first).

Piped steps go through h.compare; terminal steps run both tools under a pty against a small
HTTPS server that echoes the Authorization header, so the credentials sent are compared too.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_basic_auth_prompt.py [name-filter]
"""
import http.server
import json
import os
import pty
import re
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

ASK_USER = "Please enter Username: "
ASK_BOTH = ASK_USER + "Please enter Password: "
ANON = ('Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User '
        '"system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group '
        '"authorization.k8s.io" at the cluster scope\n')


def kubeconfig_without_user(server=None):
    """The admin kubeconfig with an empty user (and optionally another server URL)."""
    text = open(h.server().kubeconfig).read()
    text = re.sub(r"(?s)users:\n.*", "users:\n- name: kubernetes-admin\n  user: {}\n", text)
    if server:
        text = re.sub(r"server: \S+", "server: " + server, text)
    return h.write_file("nouser-%d.kubeconfig" % len(text), text)


def test_prompt_from_a_pipe():
    kc = "--kubeconfig=" + kubeconfig_without_user()
    h.write_file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n")
    eof, up = "", "user\npass\n"
    steps = [
        (("get", "pods", kc), eof),
        (("get", "pods", kc), up),
        (("get", "pods", kc), "\n  \n"),          # only white space: still EOF
        (("get", "pods", kc), "user"),            # a word without newline, then no terminal
        (("version", kc), eof),
        (("api-resources", kc), eof),             # no header before the error
        (("api-versions", kc), up),
        (("auth", "can-i", "get", "pods", kc), eof),
        (("auth", "whoami", kc), up),
        (("apply", "-f", "cm.yaml", kc), eof),
        (("get", "pods", "--watch", kc), eof),
        (("--password=p", "get", "pods", kc), eof),  # a password alone identifies no one
        (("--username=u", "auth", "can-i", "get", "/healthz", kc), eof),  # basic auth: anonymous
        (("config", "view", "--minify", "-o", "jsonpath={.users}", kc), eof),  # no server: no prompt
        (("--request-timeout=x", "get", "pods", kc), eof),  # timeout parsed before the prompt
        (("--insecure-skip-tls-verify", "--certificate-authority=ca.crt", "get", "pods", kc), eof),
        (("--as=bob", "get", "pods", kc), eof),   # impersonation identifies no one
    ]
    with open(os.path.join(h.server().tmp, "ca.crt"), "w") as f:
        f.write(open(h.server().ca_file).read())
    res = h.compare(steps, normalize=h.normalize_klog,
                    expect={0: (1, ASK_USER), 1: (1, ASK_BOTH), 5: (1, ASK_USER),
                            13: (0, '[{"name":"kubernetes-admin","user":{}}]')})
    h.eq(res[0][2], "error: EOF\n", "EOF from an empty stdin")
    h.eq(res[1][2], "error: error reading input for Password\n", "password from a pipe")
    h.eq(res[12], (1, "", ANON), "--username: anonymous basic auth")
    h.eq(res[14][1], "", "no prompt before the timeout error")


def test_no_prompt_over_http_or_with_credentials():
    """http:// (and a server without a scheme) never asks; a token or username does not ask."""
    kc = "--kubeconfig=" + kubeconfig_without_user()
    port = h.server().port
    res = h.compare([
        ("-s", "http://127.0.0.1:1", "get", "pods", kc),
        ("-s", "127.0.0.1:1", "get", "pods", kc),
        ("--token=bad", "get", "--raw", "/version", kc),
        ("--username=u", "--password=p", "get", "--raw", "/readyz", kc),
    ], normalize=h.normalize_klog)
    h.contains(res[0][2], 'dial tcp 127.0.0.1:1: connect: connection refused', "http server")
    h.eq(res[2], (1, "", "error: You must be logged in to the server (Unauthorized)\n"), "bad token")
    h.eq(res[3][:2], (0, "ok"), "basic auth reaches /readyz")
    h.check(port > 0, "server port")


class EchoAuth(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the Authorization header it received, as JSON."""

    def do_GET(self):  # noqa: N802
        body = json.dumps({"authorization": self.headers.get("Authorization", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_echo_server():
    pki = os.path.join(h.server().data_dir, "pki")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, "apiserver.crt"), os.path.join(pki, "apiserver.key"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoAuth)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def run_on_tty(argv, typed, executable=None):
    """Runs argv with a pty as stdin (stdout and stderr are pipes) after typing `typed`."""
    master, slave = pty.openpty()
    env = h.kubectl_env()
    p = subprocess.Popen(argv, executable=executable, stdin=slave, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, cwd=h.server().tmp)
    os.close(slave)
    os.write(master, typed.encode())
    try:
        out, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    os.close(master)
    return p.returncode, out.decode(), err.decode()


def test_prompt_on_a_terminal_sends_basic_auth():
    echo = start_echo_server()
    try:
        kc = kubeconfig_without_user("https://127.0.0.1:%d" % echo.server_address[1])
        srv = h.server()
        cases = [
            ("alice\nsecret\n", ()),
            ("  \n\n bob extra\nignored\n", ()),       # Fscan skips blank lines, stops at a space
            ("carol\nab\bc\n", ()),                    # backspace edits the hidden password
            ("dave\nsecret\n", ("--password=flagpw",)),  # the flag wins over the typed password
            ("erin\n\n", ()),                          # an empty password is still sent
        ]
        for typed, extra in cases:
            args = ["--kubeconfig=" + kc, "--request-timeout=10s"] + list(extra) + ["get", "--raw", "/x"]
            k = run_on_tty([h.require_kubectl(), "--cache-dir=" + srv.cache_dir] + args, typed)
            a = run_on_tty(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + args,
                           typed, executable=h.kapi_bin())
            h.eq(a, k, "kapi vs kubectl typing %r" % typed)
            if typed.startswith("alice"):
                h.eq(k, (0, ASK_BOTH + '{"authorization": "Basic YWxpY2U6c2VjcmV0"}', ""), "kubectl alice")
            if typed.startswith(" "):
                h.eq(k[1], ASK_BOTH + '{"authorization": "Basic Ym9iOmV4dHJh"}', "kubectl bob")
            if typed.startswith("dave"):
                h.eq(k[1], ASK_BOTH + '{"authorization": "Basic ZGF2ZTpmbGFncHc="}', "kubectl dave")
    finally:
        echo.shutdown()


if __name__ == "__main__":
    h.main(globals())
