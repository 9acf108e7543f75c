#!/usr/bin/env python3
"""certificates.k8s.io/v1 CertificateSigningRequests and `certificate approve|deny` against real
kubectl 1.33.

Each CSR carries a real PKCS#10 request made here by openssl. Expected texts are upstream's:
pkg/printers/internalversion/printers.go (columns, CONDITION), pkg/apis/certificates/validation
and field.Error formatting (a []byte value prints as Go's %#v), kubectl pkg/cmd/certificates
(reason, message, "is already Denied") and its CertificateSigningRequestDescriber.
There is no signing controller: an approved request stays "Approved", never "Approved,Issued".

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_certificate.py [name-filter]
"""
import base64
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

_REQUEST = []


def make_request(subject):
    """A fresh P-256 CSR for `subject`, base64 of its PEM."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-subj", subject, "-keyout", os.path.join(d, "k.pem"),
                        "-out", os.path.join(d, "r.pem")], check=True, capture_output=True)
        with open(os.path.join(d, "r.pem"), "rb") as f:
            return base64.b64encode(f.read()).decode()


def request_b64():
    """The CSR for /CN=x (made once per run)."""
    if not _REQUEST:
        _REQUEST.append(make_request("/CN=x"))
    return _REQUEST[0]


def manifest(name, request=None, extra="  expirationSeconds: 86400\n", usages="  - client auth\n"):
    return ("apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: %s\n"
            "spec:\n  request: %s\n  signerName: kubernetes.io/kube-apiserver-client\n%s  usages:\n%s"
            % (name, request or request_b64(), extra, usages))


def recreate(*names):
    h.kubectl("delete", "csr", *names, "--ignore-not-found")
    for n in names:
        h.ok("create", "-f", "-", input=manifest(n))


AGE = re.compile(r"(?m)^(\S+ +)\d+s( )")


def normalize(text):
    """The AGE cell and describe's CreationTimestamp tick between the two tools' runs."""
    text = AGE.sub(r"\1Ns\2", text)
    return re.sub(r"(?m)^(CreationTimestamp: +).*$", r"\1T", text)


def test_discovery_row():
    h.compare([("api-resources", "--api-group=certificates.k8s.io")], expect={
        0: (0, "NAME                         SHORTNAMES   APIVERSION               NAMESPACED   KIND\n"
               "certificatesigningrequests   csr          certificates.k8s.io/v1   false        CertificateSigningRequest\n")})


def test_create_get_describe():
    h.eq(h.ok("create", "-f", "-", input=manifest("view")),
         "certificatesigningrequest.certificates.k8s.io/view created\n", "create")
    k = h.compare([
        ("get", "csr", "view"),
        ("get", "csr", "view", "-o", "wide"),
        ("get", "csr", "view", "-o", "yaml"),
        ("get", "csr", "-o", "jsonpath={.items[0].spec.username} {.items[0].spec.groups} {.items[0].status}"),
        ("get", "csr", "--field-selector=spec.signerName=kubernetes.io/kube-apiserver-client", "-o", "name"),
        ("describe", "csr", "view"),
        ("get", "csr", "-o", '{.items[0]}{"\\n"}'),  # not a format: quoted as Go's %q
    ], normalize=normalize, expect={
        0: (0, "NAME   AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION\n"
               "view   Ns    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Pending\n"),
        3: (0, 'kubernetes-admin ["system:masters","system:authenticated"] {}'),
        4: (0, "certificatesigningrequest.certificates.k8s.io/view\n"),
        5: (0, "Name:                view\nLabels:              <none>\nAnnotations:         <none>\n"
               "CreationTimestamp:   T\nRequesting User:     kubernetes-admin\n"
               "Signer:              kubernetes.io/kube-apiserver-client\nRequested Duration:  24h\n"
               "Status:              Pending\nSubject:\n         Common Name:    x\n         Serial Number:  \n"
               "Events:  <none>\n"),
        6: (1, ""),
    })
    h.contains(k[6][2], 'error: unable to match a printer suitable for the output format "{.items[0]}{\\"\\\\n\\"}", ',
               "quoted format")
    h.ok("delete", "csr", "view")


def test_approve_and_deny():
    recreate("a", "b", "c")
    c_file = h.write_file("csr-c.yaml", manifest("c"))
    conditions = ('jsonpath={range .items[*]}{.metadata.name} {.status.conditions[*].type} {.status.conditions[*].reason} '
                  '{.status.conditions[*].message}{"\\n"}{end}')
    k = h.compare([
        ("certificate", "approve", "a"),
        ("certificate", "deny", "b", "-o", "jsonpath={.status}"),
        ("get", "csr", "a", "b", "-o", conditions),
        ("certificate", "approve", "b"),
        ("certificate", "approve", "b", "--force"),
        ("certificate", "approve", "a"),
        ("certificate", "approve", "a", "--force", "-o", "name"),
        ("certificate", "approve", "b", "a", "nope"),
        ("certificate", "deny", "-f", c_file),
        ("get", "csr", "a", "b", "c"),
        ("certificate", "approve"),
    ], between=lambda: recreate("a", "b", "c"), normalize=normalize, expect={
        0: (0, "certificatesigningrequest.certificates.k8s.io/a approved\n"),
        1: (0, "{}"),
        2: (0, "a Approved KubectlApprove This CSR was approved by kubectl certificate approve.\n"
               "b Denied KubectlDeny This CSR was denied by kubectl certificate deny.\n"),
        3: (1, ""),
        4: (1, ""),
        5: (0, "certificatesigningrequest.certificates.k8s.io/a approved\n"),
        6: (0, "certificatesigningrequest.certificates.k8s.io/a\n"),
        7: (1, "certificatesigningrequest.certificates.k8s.io/a approved\n"),
        8: (0, "certificatesigningrequest.certificates.k8s.io/c denied\n"),
        9: (0, "NAME   AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION\n"
               "a      Ns    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Approved\n"
               "b      Ns    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Denied\n"
               "c      Ns    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Denied\n"),
        10: (1, ""),
    })
    for i in (3, 4):  # --force does not override a conflicting condition
        h.eq(k[i][2], 'error: certificate signing request "b" is already Denied\n', "approve of a denied CSR")
    h.eq(k[7][2],
         'certificate signing request "b" is already Denied\n'
         'Error from server (NotFound): certificatesigningrequests.certificates.k8s.io "nope" not found\n',
         "errors of several CSRs")
    h.eq(k[10][2], "error: one or more CSRs must be specified as <name> or -f <filename>\n", "no CSR named")
    h.ok("delete", "csr", "a", "b", "c")


def self_signed_b64():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-subj", "/CN=x", "-days", "1", "-keyout", os.path.join(d, "k.pem"),
                        "-out", os.path.join(d, "c.pem")], check=True, capture_output=True)
        with open(os.path.join(d, "c.pem"), "rb") as f:
            return base64.b64encode(f.read()).decode()


def test_status_and_spec_updates():
    def reset():
        recreate("s", "t")
        h.ok("certificate", "approve", "s")
        h.ok("certificate", "deny", "t")
    reset()
    cert = self_signed_b64()
    k = h.compare([
        ("patch", "csr", "s", "--subresource=status", "--type=merge", "-p", '{"status":{"certificate":"%s"}}' % cert),
        ("get", "csr", "s"),
        ("patch", "csr", "s", "--subresource=status", "--type=merge", "-p", '{"status":{"certificate":"eA=="}}'),
        ("patch", "csr", "t", "--subresource=status", "--type=json",
         "-p", '[{"op":"add","path":"/status/conditions/-","value":{"type":"Approved","status":"True"}}]'),
        ("patch", "csr", "s", "--type=merge", "-p", '{"spec":{"usages":["any"]},"status":{"conditions":null}}'),
        ("get", "csr", "s", "-o", "jsonpath={.spec.usages} {.status.conditions[*].type}"),
    ], between=reset, normalize=normalize, expect={
        0: (0, "certificatesigningrequest.certificates.k8s.io/s patched\n"),
        1: (0, "NAME   AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION\n"
               "s      Ns    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Approved,Issued\n"),
        2: (1, ""),
        3: (1, ""),
        4: (0, "certificatesigningrequest.certificates.k8s.io/s patched (no change)\n"),
        5: (0, '["client auth"] Approved'),
    })
    h.eq(k[2][2], 'The CertificateSigningRequest "s" is invalid: \n'
                  "* status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block\n"
                  "* status.certificate: Forbidden: updates may not modify existing certificate content\n", "bad certificate")
    h.eq(k[3][2], 'The CertificateSigningRequest "t" is invalid: \n'
                  '* status.conditions[1].type: Invalid value: "Approved": Approved and Denied conditions are mutually exclusive\n'
                  '* status.conditions: Forbidden: updates may not add a condition of type "Approved"\n', "approval via status")
    h.ok("delete", "csr", "s", "t")


def test_help():
    h.compare([("certificate",), ("certificate", "approve", "--help"), ("certificate", "deny", "-h"),
               ("certificate", "bogus")])


def test_invalid_requests():
    bad = manifest("bad", request=base64.b64encode(b"hello").decode(), extra="  expirationSeconds: 60\n",
                   usages="  - client auth\n  - bogus\n  - client auth\n").replace(
        "kubernetes.io/kube-apiserver-client", "example")
    nousage = manifest("nousage").replace("  usages:\n  - client auth\n", "")
    k = h.compare([
        (("create", "-f", "-"), bad),
        (("create", "-f", "-"), manifest("nosigner").replace("  signerName: kubernetes.io/kube-apiserver-client\n",
                                                            "  signerName: kubernetes.io/legacy-unknown\n")),
        (("create", "-f", "-"), nousage),
        (("create", "-f", "-"), manifest("masters", request=make_request("/CN=root/O=system:masters"))),
    ])
    h.eq(k[0][2],
         'The CertificateSigningRequest "bad" is invalid: \n'
         "* spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST\n"
         '* spec.usages[1]: Unsupported value: "bogus": supported values: "any", "cert sign", "client auth", '
         '"code signing", "content commitment", "crl sign", "data encipherment", "decipher only", '
         '"digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", '
         '"ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", '
         '"s/mime", "server auth", "signing", "timestamping"\n'
         '* spec.usages[2]: Duplicate value: "client auth"\n'
         "* spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form "
         "'example.com/signer-name'\n"
         "* spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)\n",
         "invalid CSR")
    h.eq(k[1][2], 'The CertificateSigningRequest "nosigner" is invalid: spec.signerName: Invalid value: '
                  '"kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version\n',
         "legacy signer")
    h.eq(k[2][2], 'The CertificateSigningRequest "nousage" is invalid: spec.usages: Required value\n', "no usages")
    # The CertificateSubjectRestriction admission plugin.
    h.eq(k[3][2], 'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io '
                  '"masters" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is '
                  'not allowed\n', "system:masters client certificate")


if __name__ == "__main__":
    h.main(globals())
