#!/usr/bin/env python3
"""kapi client mode `create ingress` and `create token` against real kubectl 1.33.

The same commands run with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl") against one
`kapi serve`; stdout, stderr and exit codes must be identical. Objects the first tool creates
are deleted before the second runs; issued tokens (random, time-stamped) are masked.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_create_ingress_token.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

SIMPLE = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: simple
spec:
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc1
            port:
              number: 8080
        path: /bar
        pathType: Exact
  tls:
  - hosts:
    - foo.com
    secretName: my-cert
status:
  loadBalancer: {}
"""


def dry(*args):
    return ("create", "ingress") + args + ("--dry-run=client",)


def test_ingress_objects():
    compare([
        dry("simple", "--rule=foo.com/bar=svc1:8080,tls=my-cert", "-o", "yaml"),
        dry("catch-all", "--class=otheringress", "--rule=/path=svc:port", "-o", "json"),
        dry("annotated", "--class=default", "--rule=foo.com/bar=svc:port", "--annotation", "a1=foo",
            "--annotation", "a2=bla=x", "-o", "yaml"),
        dry("multipath", "--rule=foo.com/=svc:port", "--rule=foo.com/admin/=svcadmin:portadmin", "-o", "yaml"),
        dry("ingtls", "--rule=foo.com/=svc:https,tls", "--rule=foo.com/path/subpath*=othersvc:8080",
            "--rule=bar.com/*=x:1,tls", "--rule=baz.com/*=x:1,tls=s2", "--rule=/*=x:1,tls", "-o", "yaml"),
        dry("ingdefault", "--default-backend=defaultsvc:http", "--rule=foo.com/*=svc:8080,tls=secret1",
            "-o", "json", "-n", "kube-public"),
        ("create", "ing", "x", "--default-backend=d:80", "--dry-run=client"),
        ("create", "ingress", "x", "--default-backend=d:80", "--dry-run=client", "-o", "name", "--save-config"),
    ], expect={0: (0, SIMPLE), 6: (0, "ingress.networking.k8s.io/x created (dry run)\n"),
               7: (0, "ingress.networking.k8s.io/x\n")})


def test_ingress_errors():
    compare([
        dry("x"),
        dry("x", "--rule=bad"),
        dry("x", "--rule=a/=b:1", "--annotation=bad"),
        dry("x", "--default-backend=a:b:c"),
        ("create", "ingress", "x", "--rule=a/=b:1"),
        ("create", "ingress", "x", "--rule=a/=b:1", "--dry-run=server"),
        ("create", "ingress"),
        ("create", "ingress", "--help"),
    ], expect={0: (1, ""), 4: (0, "ingress.networking.k8s.io/x created\n")},
       between=lambda: h.kubectl("delete", "ingress", "x", "--ignore-not-found"))


def mask_tokens(text):
    """Issued JWTs and the timestamps of a TokenRequest differ between two runs."""
    text = re.sub(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", "<token>", text)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<time>", text)


def test_token_errors():
    compare([
        ("create", "token", "default"),
        ("create", "token", "default", "-o", "yaml"),
        ("create", "token", "default", "--duration=1.5s"),
        ("create", "token", "default", "--duration=-1s"),
        ("create", "token", "default", "--duration=abc"),
        ("create", "token", "default", "--audience="),
        ("create", "token", "default", "--bound-object-name=x"),
        ("create", "token", "default", "--bound-object-uid=x"),
        ("create", "token", "default", "--bound-object-kind=Foo"),
        ("create", "token", "default", "--bound-object-kind=Pod"),
        ("create", "token"),
        ("create", "token", "a", "b"),
        ("create", "token", "--help"),
    ], expect={0: (0, "<token>"), 3: (1, ""), 10: (1, "")}, normalize=mask_tokens)


if __name__ == "__main__":
    h.main(globals())
