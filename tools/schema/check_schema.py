#!/usr/bin/env python3
"""Validate pkg/api/schema/*.schema (format: pkg/api/schema/README.md).

Re-parses every schema file independently of the generator and checks that
  - every line is well formed (package / type / kind / field lines, known flags);
  - every type name referenced by a field resolves to an emitted type, a special or a scalar;
  - inline (`-`) fields name struct types, and flattening them yields no duplicate JSON names;
  - JSON names and non-zero protobuf numbers are unique within a type;
  - flag combinations are consistent (key= needs patch=, listkeys= needs list=map, ...).

Usage: tools/schema/check_schema.py [schema_dir]      (default: pkg/api/schema)
Exit status 0 when everything checks out. Python 3 standard library only.
"""

import glob
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

SCALARS = {"string", "bool", "int32", "int64", "float64", "bytes"}
SPECIALS = {"Time", "MicroTime", "Duration", "Quantity", "IntOrString", "RawExtension",
            "FieldsV1", "Any"}
FLAG_VALUES = {
    "patch": {"merge", "replace", "retainKeys", "merge,retainKeys"},
    "list": {"atomic", "map", "set"},
    "map": {"atomic", "granular"},
    "struct": {"atomic", "granular"},
}
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
QNAME_RE = re.compile(r"^[a-z][a-z0-9]*(\.[A-Za-z0-9_]+)+$")


class Type:
    def __init__(self, full, file, line, flags):
        self.full, self.file, self.line, self.flags = full, file, line, flags
        self.kind = False
        self.fields = []   # (name, type, proto, flags dict, line)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "pkg", "api", "schema")
    files = sorted(glob.glob(os.path.join(d, "*.schema")))
    errors = []

    def err(f, n, msg):
        errors.append("%s:%d: %s" % (os.path.basename(f), n, msg))

    types = {}
    refs = []   # (file, line, package, type expr, is_inline)
    if not files:
        print("check_schema: no *.schema files in %s" % d, file=sys.stderr)
        return 1
    for f in files:
        pkg = None
        cur = None
        prev_kind = None   # the line before was a `type` line
        with open(f, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        else:
            err(f, len(lines), "file does not end with a newline")
        if not lines or not lines[0].startswith("# derived mechanically from "):
            err(f, 1, "missing 'derived mechanically' header")
        for n, raw in enumerate(lines, 1):
            after_type, prev_kind = prev_kind, None
            if raw.startswith("#") or raw.strip() == "":
                if raw.strip() == "":
                    err(f, n, "blank line")
                continue
            if raw != raw.rstrip():
                err(f, n, "trailing whitespace")
            tok = raw.split()
            if not raw.startswith(" "):
                if tok[0] == "package":
                    if len(tok) != 2 or not QNAME_RE.match(tok[1]):
                        err(f, n, "bad package line")
                    pkg = tok[1]
                    cur = None
                elif tok[0] == "type":
                    if pkg is None:
                        err(f, n, "type before package")
                        continue
                    if len(tok) < 2 or not NAME_RE.match(tok[1]):
                        err(f, n, "bad type line")
                        continue
                    tflags = {}
                    for fl in tok[2:]:
                        k, _, v = fl.partition("=")
                        if k != "struct" or v not in FLAG_VALUES["struct"] or k in tflags:
                            err(f, n, "bad type flag %r" % fl)
                        tflags[k] = v
                    full = pkg + "." + tok[1]
                    if full in types:
                        err(f, n, "duplicate type %s" % full)
                    cur = types[full] = Type(full, f, n, tflags)
                    prev_kind = True
                elif tok[0] == "kind":
                    if not after_type or len(tok) != 2 or cur is None or \
                            cur.full != pkg + "." + tok[1]:
                        err(f, n, "kind line must directly follow its own type line")
                    else:
                        cur.kind = True
                else:
                    err(f, n, "unknown line %r" % raw)
                continue
            # field line
            if not raw.startswith("  ") or raw.startswith("   "):
                err(f, n, "field lines are indented by exactly two spaces")
            if cur is None:
                err(f, n, "field outside a type")
                continue
            if len(tok) < 3:
                err(f, n, "field line needs name, type and protobuf number")
                continue
            name, typ, proto = tok[0], tok[1], tok[2]
            if name != "-" and not re.match(r"^[A-Za-z_$][A-Za-z0-9_$.-]*$", name):
                err(f, n, "bad JSON name %r" % name)
            if not re.match(r"^(0|[1-9][0-9]*)$", proto):
                err(f, n, "bad protobuf number %r" % proto)
                continue
            flags = {}
            for fl in tok[3:]:
                k, eq, v = fl.partition("=")
                if not eq:
                    if k not in ("omitempty", "optional", "inline") or k in flags:
                        err(f, n, "bad flag %r" % fl)
                    flags[k] = True
                    continue
                if k in flags:
                    err(f, n, "repeated flag %r" % k)
                if k in FLAG_VALUES:
                    if v not in FLAG_VALUES[k]:
                        err(f, n, "bad %s= value %r" % (k, v))
                elif k in ("key",):
                    if not NAME_RE.match(v):
                        err(f, n, "bad key= %r" % v)
                elif k == "listkeys":
                    if not all(NAME_RE.match(x) for x in v.split(",")):
                        err(f, n, "bad listkeys= %r" % v)
                else:
                    err(f, n, "unknown flag %r" % fl)
                flags[k] = v
            order = ["omitempty", "optional", "inline", "patch", "key", "list", "listkeys",
                     "map", "struct"]
            got = [fl.partition("=")[0] for fl in tok[3:]]
            if got != sorted(got, key=lambda x: order.index(x) if x in order else 99):
                err(f, n, "flags out of canonical order")
            if (name == "-") != ("inline" in flags):
                err(f, n, "'-' and 'inline' go together")
            if "key" in flags and "patch" not in flags:
                err(f, n, "key= without patch=")
            if ("listkeys" in flags) != (flags.get("list") == "map"):
                err(f, n, "listkeys= goes with list=map")
            base = typ.lstrip("*")
            if "list" in flags and not base.startswith("[]"):
                # upstream quirk kept verbatim: meta/v1 Status.details has +listType=atomic
                if not (cur.full.endswith("meta.v1.Status") and name == "details"):
                    err(f, n, "list= on a non-list type")
            if "map" in flags and not base.startswith("map[string]"):
                err(f, n, "map= on a non-map type")
            cur.fields.append((name, typ, int(proto), flags, n))
            refs.append((f, n, pkg, typ, name == "-"))

    # Reference resolution.
    def resolve(pkg, expr):
        """Returns ('scalar'|'special'|'struct', name) or None."""
        e = expr
        while True:
            if e.startswith("*"):
                e = e[1:]
            elif e.startswith("[]"):
                e = e[2:]
            elif e.startswith("map[string]"):
                e = e[len("map[string]"):]
            else:
                break
        if e in SCALARS:
            return ("scalar", e)
        if e in SPECIALS:
            return ("special", e)
        if NAME_RE.match(e):
            full = pkg + "." + e
        elif QNAME_RE.match(e):
            full = e
        else:
            return None
        return ("struct", full) if full in types else None

    for f, n, pkg, typ, inline in refs:
        r = resolve(pkg, typ)
        if r is None:
            err(f, n, "unresolved type %r" % typ)
        elif inline and (r[0] != "struct" or typ != typ.lstrip("*[]").lstrip()
                         or typ.startswith("map[")):
            err(f, n, "inline field must name a struct type, got %r" % typ)
    pkg_of = {t.full: t.full.rsplit(".", 1)[0] for t in types.values()}

    # Per type: unique names and protobuf numbers, including flattened inline fields.
    def flat_names(t, seen_stack):
        out = []
        for name, typ, proto, flags, n in t.fields:
            if name == "-":
                r = resolve(pkg_of[t.full], typ)
                if r is None or r[0] != "struct":
                    continue
                if r[1] in seen_stack:
                    err(t.file, n, "recursive inline of %s" % r[1])
                    continue
                out.extend(flat_names(types[r[1]], seen_stack + (r[1],)))
            else:
                out.append(name)
        return out

    for t in types.values():
        names = flat_names(t, (t.full,))
        dup = sorted({x for x in names if names.count(x) > 1})
        if dup:
            err(t.file, t.line, "%s: duplicate JSON names %s" % (t.full, ", ".join(dup)))
        protos = [p for _, _, p, _, _ in t.fields if p]
        dupp = sorted({x for x in protos if protos.count(x) > 1})
        if dupp:
            err(t.file, t.line, "%s: duplicate protobuf numbers %s" % (t.full, dupp))

    for e in errors:
        print("check_schema: " + e, file=sys.stderr)
    nfields = sum(len(t.fields) for t in types.values())
    nkinds = sum(1 for t in types.values() if t.kind)
    print("check_schema: %d files, %d types (%d kinds), %d fields, %d references: %s"
          % (len(files), len(types), nkinds, nfields, len(refs),
             "OK" if not errors else "%d errors" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
