#!/usr/bin/env python3
"""Checks that each golden in testdata/manifests/golden is a pure typed round trip of its manifest.

A typed decode->encode (Go structs, encoding/json) may only: drop zero values the manifest wrote
(omitempty), add zero values the manifest left out (structs are never omitted: `resources: {}`,
`creationTimestamp: null`, `targetPort: 0`), re-order keys, and canonicalise quantities and
times. Anything else means the kubectl command used to produce the golden changed the object,
so the golden would not be a round trip and must not be used. Prints what was canonicalised.

Usage: python3 tools/manifests/check_typed_roundtrip.py [NAME...]
"""
import datetime
import decimal
import glob
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFESTS = os.path.join(ROOT, "testdata", "manifests")

SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
          "n": decimal.Decimal("1e-9"), "u": decimal.Decimal("1e-6"), "m": decimal.Decimal("1e-3"),
          "": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}


def quantity(v):
    m = re.fullmatch(r"([+-]?[0-9.]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|)", str(v))
    if not m:
        return None
    num = decimal.Decimal(m.group(1))
    suf = m.group(2)
    if len(suf) > 1 and suf[0] in "eE":
        return num * decimal.Decimal(10) ** int(suf[1:])
    return num * decimal.Decimal(SUFFIX[suf])


def instant(v):
    if isinstance(v, datetime.datetime):
        return v
    try:
        return datetime.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return None


def number(v):
    try:
        return float(v) if not isinstance(v, bool) else None
    except (TypeError, ValueError):
        return None


class Loader(yaml.SafeLoader):
    """PyYAML's YAML 1.1 minus the `=` (value) tag, which go-yaml does not resolve."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:value"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def zero(v):
    if v in (None, "", 0, False) and not (v is not None and isinstance(v, float) and v != 0):
        return True
    if isinstance(v, dict):
        return all(zero(x) for x in v.values())
    if isinstance(v, list):
        return len(v) == 0
    return False


def compare(inp, out, path, problems, notes):
    if isinstance(inp, dict):
        if not isinstance(out, dict):
            problems.append("%s: %r became %r" % (path, inp, out))
            return
        for k, v in inp.items():
            if k in out:
                compare(v, out[k], path + "." + str(k), problems, notes)
            elif not zero(v):
                problems.append("%s.%s: dropped %r" % (path, k, v))
        for k, v in out.items():
            if k not in inp and not zero(v):
                problems.append("%s.%s: added %r" % (path, k, v))
        return
    if isinstance(inp, list):
        if not isinstance(out, list) or len(out) != len(inp):
            problems.append("%s: %r became %r" % (path, inp, out))
            return
        for i, (a, b) in enumerate(zip(inp, out)):
            compare(a, b, "%s[%d]" % (path, i), problems, notes)
        return
    if inp == out and type(inp) is type(out):
        return
    if inp is None and zero(out):
        return
    qa, qb = quantity(inp), quantity(out)
    nano = decimal.Decimal("1e-9")
    if isinstance(out, str) and qa is not None and qb is not None and \
            qa.quantize(nano, rounding=decimal.ROUND_CEILING) == qb:  # Quantity rounds up to nano
        notes.append("%s: quantity %r -> %r" % (path, inp, out))
        return
    ta, tb = instant(inp), instant(out)
    if ta is not None and tb is not None and isinstance(out, str):
        if ta == tb:
            notes.append("%s: time %r -> %r" % (path, str(inp), out))
            return
        # metav1.Time keeps whole seconds (MicroTime keeps microseconds).
        if ta.replace(microsecond=0) == tb:
            notes.append("%s: time %r -> %r (fraction dropped)" % (path, str(inp), out))
            return
    na, nb = number(inp), number(out)
    if isinstance(out, int) and na is not None and na == nb:
        # YAML 1.1 floats (2.0, 1e3) decoded into Go integers.
        notes.append("%s: number %r -> %r" % (path, inp, out))
        return
    problems.append("%s: %r became %r" % (path, inp, out))


def docs(path):
    with open(path) as f:
        return [d for d in yaml.load_all(f, Loader=Loader) if d is not None]


def json_docs(path):
    text = open(path).read()
    dec = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        d, i = dec.raw_decode(text, i)
        out.append(d)
    return out


def main(names):
    failed = False
    goldens = sorted(glob.glob(os.path.join(MANIFESTS, "golden", "*.yaml")))
    for g in goldens:
        name = os.path.basename(g)[:-5]
        if names and name not in names:
            continue
        src = docs(os.path.join(MANIFESTS, name + ".yaml"))
        outs = docs(g)
        problems, notes = [], []
        if len(src) != len(outs):
            problems.append("%d documents became %d" % (len(src), len(outs)))
        for i, (a, b) in enumerate(zip(src, outs)):
            compare(a, b, "doc%d" % i, problems, notes)
        j = g[:-5] + ".json"
        if os.path.exists(j) and json_docs(j) != [json.loads(json.dumps(d, default=str)) for d in outs]:
            problems.append("golden JSON and YAML disagree")
        for n in notes:
            print("%s: %s" % (name, n))
        for p in problems:
            print("%s: NOT A ROUND TRIP: %s" % (name, p))
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
