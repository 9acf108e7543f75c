#!/usr/bin/env python3
"""Derive kapi's API schema files (pkg/api/schema/*.schema) from upstream Go sources.

Reads the Go struct declarations of k8s.io/api and k8s.io/apimachinery straight out of their
git mirrors (no work tree needed: files are read with `git show <tag>:<path>`) and writes one
line-based schema file per Go package, in the format documented in pkg/api/schema/README.md.

Everything is mechanical: field order, JSON names, omitempty, protobuf numbers, patch strategy
and merge keys come from the struct tags; optional/list/map/struct markers and the `kind` marker
come from the `+...` comment markers. Named non-struct types are resolved to their structural
type at the use site. Anything the script does not understand is an error, never a guess.

Usage:
  tools/schema/gen_schema.py                 # regenerate pkg/api/schema/*.schema
  tools/schema/gen_schema.py --check         # fail if the checked-in files are stale
Options: --api-repo, --apimachinery-repo, --tag, --out (see --help).
Python 3 standard library only.
"""

import argparse
import os
import re
import subprocess
import sys

SCRIPT_REL = "tools/schema/gen_schema.py"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

API_MODULE = "k8s.io/api"
MACH_MODULE = "k8s.io/apimachinery"

# (output file, import path, files to emit structs from; None = all package files)
API_GROUPS = [
    "core/v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "policy/v1", "discovery/v1",
    "events/v1", "coordination/v1", "networking/v1", "certificates/v1", "scheduling/v1", "storage/v1", "node/v1", "rbac/v1", "authorization/v1",
    "authentication/v1", "apidiscovery/v2", "apidiscovery/v2beta1",
]
META_PATH = MACH_MODULE + "/pkg/apis/meta/v1"
RUNTIME_PATH = MACH_MODULE + "/pkg/runtime"


def outputs():
    # group_version.go: apidiscovery uses metav1.GroupVersionKind.
    outs = [("meta.v1.schema", META_PATH, ["types.go", "watch.go", "group_version.go"])]
    for gv in API_GROUPS:
        outs.append((gv.replace("/", ".") + ".schema", API_MODULE + "/" + gv, None))
    outs.append(("runtime.schema", RUNTIME_PATH, ["types.go"]))
    return outs


# Types with custom encodings: (import path, Go name) -> schema name. Never emitted as types.
SPECIALS = {
    (META_PATH, "Time"): "Time",
    (META_PATH, "MicroTime"): "MicroTime",
    (META_PATH, "Duration"): "Duration",
    (META_PATH, "FieldsV1"): "FieldsV1",
    (MACH_MODULE + "/pkg/api/resource", "Quantity"): "Quantity",
    (MACH_MODULE + "/pkg/util/intstr", "IntOrString"): "IntOrString",
    (RUNTIME_PATH, "RawExtension"): "RawExtension",
    (RUNTIME_PATH, "Object"): "RawExtension",
    ("k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1", "JSON"): "Any",
}

BUILTINS = {
    "string": "string", "bool": "bool",
    "int": "int32", "int32": "int32", "uint32": "int32",
    "int64": "int64", "uint64": "int64",
    "float32": "float64", "float64": "float64",
    "byte": "__byte__", "uint8": "__byte__",
}

# Files never read (generated code, registration, docs, tests).
SKIP_FILE_RE = re.compile(
    r"(^zz_generated|^generated\.pb\.go$|_swagger_doc_generated\.go$|^register\.go$|^doc\.go$|_test\.go$)")


class SchemaError(Exception):
    pass


def die(msg):
    raise SchemaError(msg)


# ----------------------------------------------------------------------------------------------
# Source access


class Repo:
    def __init__(self, module, gitdir, tag):
        self.module, self.gitdir, self.tag = module, gitdir, tag

    def git(self, *args):
        r = subprocess.run(["git", "-C", self.gitdir] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if r.returncode != 0:
            die("git %s failed in %s: %s" % (" ".join(args), self.gitdir,
                                               r.stderr.decode(errors="replace").strip()))
        return r.stdout.decode("utf-8")

    def ls(self, d):
        out = self.git("ls-tree", "--name-only", self.tag, d.rstrip("/") + "/")
        return [os.path.basename(p) for p in out.splitlines() if p]

    def show(self, path):
        return self.git("show", "%s:%s" % (self.tag, path))


# ----------------------------------------------------------------------------------------------
# Go parsing (gofmt-formatted declaration files only; line based)


class Comment:
    def __init__(self, start, end, lines):
        self.start, self.end, self.lines = start, end, lines


class Field:
    def __init__(self, name, gotype, tag, comments, line):
        self.name = name          # None for an embedded field
        self.gotype = gotype      # Go type expression text
        self.tag = tag            # raw struct tag text (without backquotes) or ""
        self.comments = comments  # comment lines directly above (markers)
        self.line = line


class Decl:
    def __init__(self, name, kind, file, line, comments, imports):
        self.name = name
        self.kind = kind          # struct | named | alias | interface | generic
        self.file = file
        self.line = line
        self.comments = comments  # closest + second-closest comment blocks (gengo semantics)
        self.imports = imports    # alias -> import path for the declaring file
        self.fields = []
        self.underlying = None    # Go type text for named/alias
        self.error = None         # syntax we could not parse (fatal only when used)


def strip_comment_prefix(line):
    s = line.strip()
    assert s.startswith("//")
    return s[2:].strip()


def parse_imports(lines):
    imports = {}
    i = 0

    def add(spec):
        spec = spec.strip()
        if not spec or spec.startswith("//"):
            return
        m = re.match(r'^(?:([A-Za-z_][A-Za-z0-9_]*|\.|_)\s+)?"([^"]+)"', spec)
        if not m:
            die("cannot parse import spec %r" % spec)
        alias, path = m.group(1), m.group(2)
        if alias in (".", "_"):
            return
        if alias is None:
            alias = path.rsplit("/", 1)[-1]
        imports[alias] = path

    while i < len(lines):
        l = lines[i]
        if l.startswith("import ("):
            i += 1
            while not lines[i].startswith(")"):
                add(lines[i])
                i += 1
        elif l.startswith("import "):
            add(l[len("import "):])
        i += 1
    return imports


def split_tag(rest):
    """Split a field line (leading tab removed) into (decl text, tag text)."""
    if "`" in rest:
        a = rest.index("`")
        b = rest.index("`", a + 1)
        tail = rest[b + 1:].strip()
        if tail and not tail.startswith("//"):
            die("unexpected text after struct tag: %r" % rest)
        return rest[:a].strip(), rest[a + 1:b]
    if "//" in rest:
        rest = rest[:rest.index("//")]
    return rest.strip(), ""


JSON_METHOD_RE = re.compile(
    r"^func \(\w+ \*?([A-Za-z_]\w*)\) (MarshalJSON|UnmarshalJSON)\(")


def parse_go_file(text, filename):
    """Returns (imports, decls, names of types with custom JSON methods)."""
    lines = text.split("\n")
    imports = parse_imports(lines)
    decls = []
    custom_json = {m.group(1) for m in map(JSON_METHOD_RE.match, lines) if m}
    blocks = []   # top-level // comment blocks: Comment
    cur = None
    in_block_comment = False
    i = 0
    n = len(lines)

    def type_comments(lineno):
        closest = next((b for b in blocks if b.end == lineno - 1), None)
        if closest is None:
            return []
        second = next((b for b in blocks if b.end == closest.start - 2), None)
        return (second.lines if second else []) + closest.lines

    while i < n:
        l = lines[i]
        lineno = i + 1
        if in_block_comment:
            if "*/" in l:
                in_block_comment = False
            i += 1
            continue
        if l.startswith("/*"):
            cur = None
            if "*/" not in l[2:]:
                in_block_comment = True
            i += 1
            continue
        if l.startswith("//"):
            if cur is None:
                cur = Comment(lineno, lineno, [])
                blocks.append(cur)
            cur.end = lineno
            cur.lines.append(strip_comment_prefix(l))
            i += 1
            continue
        cur = None
        if l.startswith("type ("):
            d = Decl("(group)", "unsupported", filename, lineno, [], imports)
            d.error = "%s:%d: grouped type declarations are not supported" % (filename, lineno)
            decls.append(d)
            i += 1
            continue
        m = re.match(r"^type\s+([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\s*(=)?\s*(.*)$", l)
        if not m:
            i += 1
            continue
        name, generic, is_alias, rest = m.group(1), m.group(2), m.group(3), m.group(4)
        d = Decl(name, None, filename, lineno, type_comments(lineno), imports)
        decls.append(d)
        rest_nc = rest.split("//")[0].strip()
        if generic:
            d.kind = "generic"
        if rest_nc in ("struct{}", "struct {}"):
            d.kind = d.kind or "struct"
            i += 1
            continue
        if rest_nc in ("struct {", "struct{"):
            d.kind = d.kind or "struct"
            i = parse_struct_body(lines, i + 1, d, filename)
            continue
        if rest_nc.startswith("interface"):
            d.kind = d.kind or "interface"
            if rest_nc.endswith("{"):
                while not lines[i].startswith("}"):
                    i += 1
            i += 1
            continue
        if rest_nc.endswith("{"):
            d.kind = "unsupported"
            d.error = "%s:%d: cannot parse type declaration %r" % (filename, lineno, l)
            i += 1
            continue
        d.kind = d.kind or ("alias" if is_alias else "named")
        d.underlying = rest_nc
        i += 1
    return imports, decls, custom_json


def parse_struct_body(lines, i, d, filename):
    """Parse struct fields from line index i; returns the index after the closing brace."""
    comments = []
    last_comment_line = None
    in_block_comment = False
    while True:
        if i >= len(lines):
            die("%s: unterminated struct %s" % (filename, d.name))
        l = lines[i]
        lineno = i + 1
        if l.startswith("}"):
            return i + 1
        s = l.strip()
        if in_block_comment:
            if "*/" in s:
                in_block_comment = False
            i += 1
            continue
        if s.startswith("/*"):
            comments, last_comment_line = [], None
            if "*/" not in s[2:]:
                in_block_comment = True
            i += 1
            continue
        if s.startswith("//"):
            if last_comment_line != lineno - 1:
                comments = []
            comments.append(strip_comment_prefix(s))
            last_comment_line = lineno
            i += 1
            continue
        if not s:
            i += 1
            continue
        if not l.startswith("\t") or l.startswith("\t\t"):
            d.error = d.error or "%s:%d: unexpected struct body line %r" % (filename, lineno, l)
            i += 1
            continue
        fc = comments if last_comment_line == lineno - 1 else []
        comments, last_comment_line = [], None
        try:
            decl, tag = split_tag(l[1:])
        except SchemaError as e:
            d.error = d.error or "%s:%d: %s" % (filename, lineno, e)
            i += 1
            continue
        if (decl.endswith("{") or "," in decl.split("[")[0]
                or re.search(r"\bstruct\s*\{|\bfunc\s*\(|\bchan\b", decl)):
            d.error = d.error or "%s:%d: unsupported field syntax %r" % (filename, lineno, l)
            i += 1
            continue
        parts = decl.split(None, 1)
        if len(parts) == 1:
            d.fields.append(Field(None, parts[0], tag, fc, lineno))
        else:
            d.fields.append(Field(parts[0], parts[1].strip(), tag, fc, lineno))
        i += 1


# ----------------------------------------------------------------------------------------------
# Packages


class Package:
    def __init__(self, path, repo, reldir, openapi, files):
        self.path = path
        self.repo = repo
        self.reldir = reldir
        self.openapi = openapi
        self.files = files          # files parsed for declarations
        self.decls = {}             # name -> Decl
        self.order = []             # Decls in file order
        self.custom_json = set()    # types with their own MarshalJSON/UnmarshalJSON
        for f in files:
            _, decls, cj = parse_go_file(repo.show(reldir + "/" + f), reldir + "/" + f)
            self.custom_json |= cj
            for d in decls:
                if d.name in self.decls and d.kind != "unsupported":
                    die("%s: duplicate declaration of %s" % (path, d.name))
                self.decls[d.name] = d
                self.order.append(d)


class Universe:
    def __init__(self, api_repo, mach_repo):
        self.repos = {API_MODULE: api_repo, MACH_MODULE: mach_repo}
        self.pkgs = {}
        self.emit = {}   # import path -> set of emitted struct names

    def locate(self, path):
        for mod, repo in self.repos.items():
            if path.startswith(mod + "/"):
                rel = path[len(mod) + 1:]
                if mod == API_MODULE:
                    openapi = "io.k8s.api." + rel.replace("/", ".")
                else:
                    openapi = "io.k8s.apimachinery." + rel.replace("/", ".")
                return repo, rel, openapi
        die("import path %s is outside k8s.io/api and k8s.io/apimachinery" % path)

    def package(self, path):
        if path not in self.pkgs:
            repo, rel, openapi = self.locate(path)
            files = [f for f in repo.ls(rel) if f.endswith(".go") and not SKIP_FILE_RE.search(f)]
            if not files:
                die("package %s has no Go source files at %s" % (path, repo.tag))
            self.pkgs[path] = Package(path, repo, rel, openapi, files)
        return self.pkgs[path]


# ----------------------------------------------------------------------------------------------
# Type resolution


def split_map(expr):
    """'map[K]V' -> (K, V) with bracket matching."""
    assert expr.startswith("map[")
    depth = 0
    for j in range(3, len(expr)):
        c = expr[j]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return expr[4:j], expr[j + 1:]
    die("unbalanced map type %r" % expr)


class Resolver:
    def __init__(self, uni):
        self.uni = uni

    def resolve(self, expr, pkg, imports, where, stack=()):
        expr = expr.strip()
        if expr.startswith("*"):
            inner = self.resolve(expr[1:], pkg, imports, where, stack)
            if inner == "__byte__":
                die("%s: pointer to byte" % where)
            return "*" + inner
        if expr.startswith("[]"):
            inner = self.resolve(expr[2:], pkg, imports, where, stack)
            return "bytes" if inner == "__byte__" else "[]" + inner
        if expr.startswith("["):
            die("%s: array types are not supported: %r" % (where, expr))
        if expr.startswith("map["):
            k, v = split_map(expr)
            kr = self.resolve(k, pkg, imports, where, stack)
            if kr != "string":
                die("%s: map key %r resolves to %r, not string" % (where, k, kr))
            vr = self.resolve(v, pkg, imports, where, stack)
            if vr == "__byte__":
                die("%s: map of byte" % where)
            return "map[string]" + vr
        if re.fullmatch(r"interface\s*\{\s*\}|any", expr):
            return "RawExtension"
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)", expr)
        if m:
            alias, name = m.group(1), m.group(2)
            if alias not in imports:
                die("%s: unknown package qualifier %r in %r" % (where, alias, expr))
            return self.named(imports[alias], name, pkg, where, stack)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", expr):
            if expr in BUILTINS:
                return BUILTINS[expr]
            return self.named(pkg.path, expr, pkg, where, stack)
        die("%s: cannot parse Go type %r" % (where, expr))

    def named(self, path, name, frompkg, where, stack):
        if (path, name) in SPECIALS:
            return SPECIALS[(path, name)]
        key = (path, name)
        if key in stack:
            die("%s: recursive named type %s.%s" % (where, path, name))
        if not name[0].isupper():
            die("%s: reference to unexported type %s.%s" % (where, path, name))
        if path.startswith(MACH_MODULE + "/") or path.startswith(API_MODULE + "/"):
            tpkg = self.uni.package(path)
        else:
            die("%s: unknown type %s.%s (package not in the mirrors and not a special)"
                % (where, path, name))
        d = tpkg.decls.get(name)
        if d is None:
            die("%s: unknown type %s.%s" % (where, path, name))
        if d.error:
            die("%s: type %s.%s: %s" % (where, path, name, d.error))
        if d.kind == "struct":
            if name not in self.uni.emit.get(path, ()):
                why = (" (it has custom JSON marshalling)" if name in tpkg.custom_json
                       else "")
                die("%s: struct %s.%s is referenced but not emitted%s"
                    % (where, path, name, why))
            return name if path == frompkg.path else tpkg.openapi + "." + name
        if d.kind == "interface":
            return "RawExtension"
        if d.kind in ("named", "alias"):
            return self.resolve(d.underlying, tpkg, d.imports, where, stack + (key,))
        die("%s: unsupported type %s.%s (%s)" % (where, path, name, d.kind))

    def named_decl(self, expr, pkg, imports):
        """The Decl of a field's named (non-struct) type, looking through one pointer."""
        expr = expr.strip().lstrip("*")
        m = re.fullmatch(r"(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)", expr)
        if not m or expr in BUILTINS:
            return None
        path = imports.get(m.group(1)) if m.group(1) else pkg.path
        if path is None or (path, m.group(2)) in SPECIALS:
            return None
        d = self.uni.package(path).decls.get(m.group(2))
        if d is not None and d.kind in ("named", "alias"):
            return d
        return None


# ----------------------------------------------------------------------------------------------
# Tags and markers

TAG_RE = re.compile(r'([A-Za-z_][A-Za-z0-9_]*):"((?:[^"\\]|\\.)*)"')


def parse_tag(tag):
    out = {}
    pos = 0
    tag = tag.strip()
    while pos < len(tag):
        m = TAG_RE.match(tag, pos)
        if not m:
            die("cannot parse struct tag %r" % tag)
        out[m.group(1)] = m.group(2)
        pos = m.end()
        while pos < len(tag) and tag[pos] == " ":
            pos += 1
    return out


def markers(comments):
    """'+name=value' markers in comment lines, as a list of (name, value)."""
    out = []
    for c in comments:
        m = re.match(r"^\+([A-Za-z0-9_:.\-]+)(?:=(.*))?$", c.strip())
        if m:
            out.append((m.group(1), (m.group(2) or "").strip()))
    return out


def marker_values(ms, name):
    return [v for k, v in ms if k == name]


def one_marker(ms, name, where):
    vs = marker_values(ms, name)
    if len(vs) > 1 and len(set(vs)) > 1:
        die("%s: conflicting +%s markers %r" % (where, name, vs))
    if vs and (not vs[0] or " " in vs[0]):
        die("%s: malformed +%s marker %r" % (where, name, vs[0]))
    return vs[0] if vs else None


# ----------------------------------------------------------------------------------------------
# Emission


def emit_field(res, pkg, d, f, warnings):
    where = "%s:%d (%s.%s)" % (d.file, f.line, d.name, f.name or f.gotype)
    tags = parse_tag(f.tag)
    jt = tags.get("json")
    json_name, json_opts = None, []
    if jt is not None:
        parts = jt.split(",")
        json_name, json_opts = parts[0], parts[1:]
        if json_name == "-" and not json_opts:
            return None
        for o in json_opts:
            if o not in ("omitempty", "inline", "string", "omitzero"):
                die("%s: unknown json tag option %r" % (where, o))
        if "string" in json_opts or "omitzero" in json_opts:
            die("%s: json option %r is not representable" % (where, jt))
    inline = False
    if f.name is None:
        # Go flattens an embedded struct without a JSON name; an embedded struct with a JSON
        # name (e.g. `ListMeta `json:"metadata"``) is an ordinary field.
        inline = not json_name
        name = json_name
    else:
        if not f.name[0].isupper():
            return None          # unexported
        if "inline" in json_opts:
            die("%s: ',inline' on a named field" % where)
        name = json_name or f.name
    proto = 0
    if "protobuf" in tags:
        items = tags["protobuf"].split(",")
        if len(items) < 2 or not items[1].isdigit():
            die("%s: cannot read protobuf number from %r" % (where, tags["protobuf"]))
        proto = int(items[1])

    gotype = f.gotype
    typ = res.resolve(gotype, pkg, d.imports, where)
    if typ == "__byte__":
        die("%s: bare byte field" % where)
    if inline and typ.lstrip("*") in ("string", "bool", "int32", "int64", "float64", "bytes"):
        die("%s: embedded non-struct %r" % (where, gotype))

    ms = markers(f.comments)
    # Type-level list/map markers on a named (non-struct) field type apply at the use site.
    nd = res.named_decl(gotype, pkg, d.imports)
    tms = markers(nd.comments) if nd is not None else []

    flags = []
    if "omitempty" in json_opts:
        flags.append("omitempty")
    if any(k == "optional" for k, _ in ms):
        flags.append("optional")
    if inline:
        flags.append("inline")
    patch = tags.get("patchStrategy")
    key = tags.get("patchMergeKey")
    mp, mk = one_marker(ms, "patchStrategy", where), one_marker(ms, "patchMergeKey", where)
    if (mp is not None and mp != patch) or (mk is not None and mk != key):
        warnings.append("%s: patch markers (%s,%s) differ from tags (%s,%s); using tags"
                        % (where, mp, mk, patch, key))
    if patch:
        for p in patch.split(","):
            if p not in ("merge", "replace", "retainKeys"):
                die("%s: unknown patchStrategy %r" % (where, patch))
        flags.append("patch=" + patch)
    if key:
        flags.append("key=" + key)
    lt = one_marker(ms, "listType", where) or one_marker(tms, "listType", where)
    lk = marker_values(ms, "listMapKey") or marker_values(tms, "listMapKey")
    mt = one_marker(ms, "mapType", where) or one_marker(tms, "mapType", where)
    st = one_marker(ms, "structType", where)
    if lt:
        if lt not in ("atomic", "map", "set"):
            die("%s: unknown listType %r" % (where, lt))
        if not typ.lstrip("*").startswith("[]"):
            # Upstream has e.g. `+listType=atomic` on meta/v1 Status.details (a struct
            # pointer); openapi-gen copies it into the spec, so keep it as declared.
            warnings.append("%s: +listType=%s on non-list type %s (kept)" % (where, lt, typ))
        flags.append("list=" + lt)
    if lk:
        if lt != "map":
            die("%s: +listMapKey without +listType=map" % where)
        flags.append("listkeys=" + ",".join(lk))
    elif lt == "map":
        die("%s: +listType=map without +listMapKey" % where)
    if mt:
        if mt not in ("atomic", "granular"):
            die("%s: unknown mapType %r" % (where, mt))
        flags.append("map=" + mt)
    if st:
        if st not in ("atomic", "granular"):
            die("%s: unknown structType %r" % (where, st))
        flags.append("struct=" + st)
    for flag in flags:
        if " " in flag:
            die("%s: flag with whitespace %r" % (where, flag))
    return "  %s %s %d%s" % ("-" if inline else name, typ, proto,
                             "".join(" " + x for x in flags))


def emit_package(uni, res, path, emit_files, header, warnings):
    pkg = uni.package(path)
    lines = ["# " + header]
    skipped = [d.name for d in selected_structs(uni, path, emit_files)
               if d.name not in uni.emit[path]]
    if skipped:
        lines.append("# not emitted (custom JSON marshalling): " + ", ".join(skipped))
        warnings.append("%s: not emitted (custom JSON marshalling): %s"
                        % (path, ", ".join(skipped)))
    lines.append("package " + pkg.openapi)
    ntypes = 0
    for d in selected_structs(uni, path, emit_files):
        if d.name not in uni.emit[path]:
            continue
        if d.error:
            die(d.error)
        where = "%s:%d (%s)" % (d.file, d.line, d.name)
        tms = markers(d.comments)
        tflags = []
        st = one_marker(tms, "structType", where)
        if st:
            if st not in ("atomic", "granular"):
                die("%s: unknown structType %r" % (where, st))
            tflags.append("struct=" + st)
        for k in ("listType", "mapType", "listMapKey"):
            if marker_values(tms, k):
                die("%s: +%s on a struct type" % (where, k))
        lines.append("type " + d.name + "".join(" " + x for x in tflags))
        ifaces = ",".join(marker_values(tms, "k8s:deepcopy-gen:interfaces")).split(",")
        if "k8s.io/apimachinery/pkg/runtime.Object" in ifaces:
            lines.append("kind " + d.name)
        for f in d.fields:
            l = emit_field(res, pkg, d, f, warnings)
            if l is not None:
                lines.append(l)
        ntypes += 1
    return "\n".join(lines) + "\n", ntypes


def selected_structs(uni, path, emit_files):
    """Exported, non-special structs of the emitted files: in emit_files order, then line."""
    pkg = uni.package(path)
    ds = [d for d in pkg.order
          if d.kind in ("struct", "unsupported", "generic")
          and (emit_files is None or os.path.basename(d.file) in emit_files)]
    for d in ds:
        if d.kind == "unsupported":
            die(d.error)
    ds = [d for d in ds if d.kind == "struct" and d.name[0].isupper()
          and (path, d.name) not in SPECIALS]
    if emit_files is not None:
        ds.sort(key=lambda d: (emit_files.index(os.path.basename(d.file)), d.line))
    return ds


def emitted_structs(uni, path, emit_files):
    """Selected structs, minus those with custom JSON marshalling (not describable here)."""
    pkg = uni.package(path)
    return {d.name for d in selected_structs(uni, path, emit_files)
            if d.name not in pkg.custom_json}


def generate(args):
    api = Repo(API_MODULE, args.api_repo, args.tag)
    mach = Repo(MACH_MODULE, args.apimachinery_repo, args.tag)
    uni = Universe(api, mach)
    res = Resolver(uni)
    outs = outputs()
    for outname, path, files in outs:
        uni.emit[path] = emitted_structs(uni, path, files)
    results = {}
    warnings = []
    for outname, path, files in outs:
        pkg = uni.package(path)
        mod = API_MODULE if path.startswith(API_MODULE + "/") else MACH_MODULE
        src = files if files is not None else [
            f for f in pkg.files
            if any(d.kind == "struct" and d.file.endswith("/" + f) for d in pkg.order)]
        header = ("derived mechanically from %s %s %s struct tags by %s; do not edit"
                  % (mod, args.tag, ", ".join(pkg.reldir + "/" + f for f in src), SCRIPT_REL))
        text, n = emit_package(uni, res, path, files, header, warnings)
        results[outname] = (text, n)
    return results, warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--api-repo", default="/work/.mirror/kubernetes+api/repo",
                    help="git dir of k8s.io/api (default: %(default)s)")
    ap.add_argument("--apimachinery-repo", default="/work/.mirror/kubernetes+apimachinery/repo",
                    help="git dir of k8s.io/apimachinery (default: %(default)s)")
    ap.add_argument("--tag", default="v0.33.0", help="tag of both repos (default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(ROOT, "pkg", "api", "schema"),
                    help="output directory (default: pkg/api/schema)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if any output file differs from what is on disk")
    args = ap.parse_args()
    try:
        results, warnings = generate(args)
    except SchemaError as e:
        print("gen_schema: error: %s" % e, file=sys.stderr)
        return 2
    for w in warnings:
        print("gen_schema: warning: %s" % w, file=sys.stderr)
    stale = []
    for name, (text, n) in sorted(results.items()):
        p = os.path.join(args.out, name)
        old = None
        if os.path.exists(p):
            with open(p, encoding="utf-8") as fh:
                old = fh.read()
        if args.check:
            if old != text:
                stale.append(name)
            continue
        if old != text:
            with open(p, "w", encoding="utf-8") as fh:
                fh.write(text)
        print("%-28s %4d types" % (name, n))
    if args.check:
        if stale:
            print("gen_schema: stale (re-run tools/schema/gen_schema.py): %s" % ", ".join(stale),
                  file=sys.stderr)
            return 1
        print("gen_schema: %d files up to date" % len(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
