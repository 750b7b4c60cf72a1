"""Terraform HCL directories through checkov's parser and graph.

``TFParser.parse_hcl_module`` reads the directory with its local modules, ``*.tfvars`` and
``--var-file`` files; ``TerraformLocalGraph.build_graph(render_variables=True)`` resolves
variables, locals and module inputs into each resource block. On top of that this module adds what
verdicts need and checkov does not give: the provider region and ``default_tags`` in effect for
each resource (aliases, ``providers = {}`` maps, variables), the joins of split-off resources to
their bucket / vault / cluster through references (including ``var.x`` and ``module.m.output``
chains), ``count`` expressions checkov cannot evaluate, and module calls whose source is not
available.

checkov needs an absolute directory path: with a relative one it does not connect module inputs
to the module's variables, and every module resource keeps ``var.*`` unresolved.
"""

from __future__ import annotations

import ast
import copy
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import Unresolved, display_path, merge_default_tags
from .normalize import provider_of, supported_types
from .tfaws import TfRes
from .tfexpr import NON_NULL, Undecidable, evaluate_count

log = logging.getLogger(__name__)

REFERENCE = re.compile(
    r"(?:\$\{)?\s*(?P<ref>"
    r"module\.[\w-]+(?:\[[^\]]*\])?\.[\w-]+"
    r"|var\.[\w-]+"
    r"|local\.[\w-]+"
    r"|data\.[\w-]+\.[\w-]+(?:\[[^\]]*\])?"
    r"|(?:aws|azurerm|google)_[\w]+\.[\w-]+(?:\[[^\]]*\])?"
    r")"
)
_LOOKS_LIKE_REF = re.compile(
    r"^(?:\$\{)?\s*(?:module|var|local|data|(?:aws|azurerm|google)_\w+|each|count|self)\.[\w.\[\]\"'*-]+\s*}?$")
_INDEX = re.compile(r"\[[^\]]*\]$")


@dataclass
class HclResult:
    resources: list[TfRes]
    links: HclLinks
    problems: list[tuple[str, str]]  # (file, reason): parse errors and modules that were not loaded
    module_calls: dict[str, tuple[str, int | None]]  # instance prefix → (file, line) of the module block


def prefix_of(tfm: Any) -> str:
    """The module-instance address (``module.a.module.b``) of a checkov TFModule chain."""
    if tfm is None:
        return ""
    parent = prefix_of(tfm.nested_tf_module)
    seg = f"module.{tfm.name}"
    if tfm.foreach_idx is not None:
        idx = tfm.foreach_idx
        seg += f"[{idx}]" if isinstance(idx, int) else f'["{idx}"]'
    return f"{parent}.{seg}" if parent else seg


def _join(prefix: str, rest: str) -> str:
    return f"{prefix}.{rest}" if prefix else rest


def _parent(prefix: str) -> str:
    parts = re.findall(r"module\.[\w-]+(?:\[[^\]]*\])?", prefix)
    return ".".join(parts[:-1])


def _is_block(v: Any) -> bool:
    return isinstance(v, dict) and bool(v) and all(isinstance(x, list) for k, x in v.items() if not k.startswith("__"))


def clean(v: Any) -> Any:
    """checkov's HCL form (attributes as ``[value]``, blocks as ``[{…}]``) → plain values."""
    if isinstance(v, list) and v and all(_is_block(x) for x in v):
        return [clean_block(x) for x in v]
    if isinstance(v, list) and len(v) == 1:
        return clean_value(v[0])
    return clean_value(v)


def clean_block(b: dict[str, Any]) -> dict[str, Any]:
    return {k: clean(x) for k, x in b.items() if not k.startswith("__")}


def clean_value(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip()
        if "${" in s or _LOOKS_LIKE_REF.match(s):
            return Unresolved(s)
        return v
    if isinstance(v, list):
        return [clean_value(x) for x in v]
    if isinstance(v, dict):
        return {k: clean_value(x) for k, x in v.items()}
    return v


def _unwrap(v: Any) -> Any:
    while isinstance(v, list) and len(v) == 1:
        v = v[0]
    return v


def _as_text(v: Any) -> str | None:
    v = _unwrap(v)
    if isinstance(v, Unresolved):
        return v.expr
    return v if isinstance(v, str) else None


class HclLinks:
    """Reference resolution over the rendered graph (implements :class:`tfaws.Links`)."""

    def __init__(self, graph: Any, by_addr: dict[str, TfRes], vertex_of: dict[str, int]):
        self.g = graph
        self.by_addr = by_addr
        self.vertex_of = vertex_of  # address → vertex index
        self.outputs: dict[tuple[str, str], Any] = {}
        self.variables: dict[tuple[str, str], Any] = {}
        self.locals: dict[tuple[str, str], Any] = {}
        self.modules: dict[str, Any] = {}  # instance prefix → module vertex
        self.data: dict[str, Any] = {}
        for v in graph.vertices:
            scope = prefix_of(v.source_module_object)
            bt = v.block_type
            if bt == "output":
                self.outputs[(scope, v.name)] = (v.config.get(v.name) or {}).get("value")
            elif bt == "variable":
                self.variables[(scope, v.name)] = v.attributes
            elif bt == "locals":
                self.locals[(scope, v.name)] = v.attributes.get(v.name)
            elif bt == "module":
                self.modules[_join(scope, f"module.{v.name}")] = v
            elif bt == "data":
                self.data[_join(scope, f"data.{v.name}")] = v

    def var_value(self, scope: str, name: str) -> tuple[bool, Any, str]:
        """(found, value, scope the value is written in) of ``var.name`` seen from ``scope``.

        Inside a module the call's argument is the authority: checkov does not always connect
        module arguments to the module's variables (e.g. when an argument reads another module's
        output), while the module block itself is rendered in its parent's scope.
        """
        if scope:
            call = self.modules.get(scope)
            if call is not None and name in call.attributes and name not in ("source", "version", "providers"):
                return True, _unwrap(call.attributes.get(name)), _parent(scope)
        attrs = self.variables.get((scope, name))
        if attrs is not None and "default" in attrs:
            return True, _unwrap(attrs.get("default")), _parent(scope) if scope else scope
        return False, None, scope

    def resolve(self, text: str, scope: str, depth: int = 0) -> str | Any | None:
        """An address (``module.x.aws_s3_bucket.this``) a reference leads to, or a literal value."""
        if depth > 12:
            return None
        m = REFERENCE.search(text)
        if not m:
            return None
        ref = m.group("ref")
        if ref.startswith("module."):
            mm = re.match(r"module\.([\w-]+(?:\[[^\]]*\])?)\.([\w-]+)", ref)
            assert mm
            inst = _join(scope, f"module.{mm.group(1)}")
            value = self.outputs.get((inst, mm.group(2)))
            t = _as_text(value)
            return self.resolve(t, inst, depth + 1) if t else None
        if ref.startswith("var."):
            found, value, where = self.var_value(scope, ref[4:])
            if not found:
                return None
            t = _as_text(value)
            if t is not None and REFERENCE.search(t):
                return self.resolve(t, where, depth + 1)
            return ("literal", value)
        if ref.startswith("local."):
            value = _unwrap(self.locals.get((scope, ref[6:])))
            t = _as_text(value)
            if t is not None and REFERENCE.search(t):
                return self.resolve(t, scope, depth + 1)
            return ("literal", value)
        if ref.startswith("data."):
            addr = _join(scope, _INDEX.sub("", ref))
            return addr if addr in self.data else None
        base = _join(scope, ref)
        if base in self.by_addr:
            return base
        plain = _INDEX.sub("", base)
        for cand in (plain, f"{plain}[0]"):
            if cand in self.by_addr:
                return cand
        return None

    def target(self, res: TfRes, path: tuple[str, ...], value: Any, types: tuple[str, ...]) -> TfRes | None:
        scope = res.extra.get("scope", "")
        if isinstance(value, Unresolved) and value.scope is not None:
            scope = value.scope
        text = value.expr if isinstance(value, Unresolved) else value if isinstance(value, str) else None
        if text is not None and REFERENCE.search(text):
            # checkov renders a module argument into the module's resources as the text written in
            # the parent scope, so a reference that is not found in the module is tried upwards.
            scopes = [scope]
            while scopes[-1]:
                scopes.append(_parent(scopes[-1]))
            hit = None
            for sc in scopes:
                hit = self.resolve(text, sc)
                if hit is not None:
                    break
            if isinstance(hit, str) and hit in self.by_addr and self.by_addr[hit].type in types:
                return self.by_addr[hit]
            if isinstance(hit, tuple):
                text = hit[1] if isinstance(hit[1], str) else None
        if text is not None and not REFERENCE.search(text):
            found = self._by_name(text, types)
            if found is not None:
                return found
        # Fall back on checkov's own edges (it also links S3 buckets referenced by name).
        idx = self.vertex_of.get(res.address)
        if idx is not None:
            label = ".".join(path)
            for e in self.g.out_edges.get(idx, []):
                if e.label.split(".")[0] != path[0] or not re.sub(r"\.\d+", "", e.label).startswith(label):
                    continue
                dest = self.g.vertices[e.dest]
                addr = _join(prefix_of(dest.source_module_object), dest.name)
                if addr in self.by_addr and self.by_addr[addr].type in types:
                    return self.by_addr[addr]
        return None

    def _by_name(self, text: str, types: tuple[str, ...]) -> TfRes | None:
        name = text
        if name.startswith("arn:aws:s3:::"):
            name = name[len("arn:aws:s3:::"):]
        elif name.startswith("arn:aws:backup:"):
            name = name.rsplit(":", 1)[-1]
        elif name.startswith(("/subscriptions/", "projects/")):
            name = name.rstrip("/").rsplit("/", 1)[-1]  # an Azure resource ID or a GCP resource name
        hits = [r for r in self.by_addr.values() if r.type in types and name and name in (
            r.attrs.get("bucket"), r.attrs.get("name"), r.attrs.get("cluster_identifier"), r.attrs.get("arn"))]
        return hits[0] if len(hits) == 1 else None

    def policy_document(self, data_addr: str) -> dict[str, Any] | None:
        """An ``aws_iam_policy_document`` data source as a policy JSON document."""
        v = self.data.get(data_addr)
        if v is None or not v.name.startswith("aws_iam_policy_document."):
            return None
        cfg = clean_block(next(iter((v.config.get("aws_iam_policy_document") or {}).values()), {}))
        out = []
        for st in cfg.get("statement") or []:
            if not isinstance(st, dict):
                continue
            principal: Any = None
            for p in st.get("principals") or []:
                ids = p.get("identifiers") if isinstance(p, dict) else None
                ids = ids if isinstance(ids, list) else [ids]
                if isinstance(p, dict) and (p.get("type") == "*" or (p.get("type") == "AWS" and "*" in ids)):
                    principal = "*"
                elif isinstance(p, dict) and principal is None:
                    principal = {str(p.get("type")): ids}
            cond: dict[str, dict[str, Any]] = {}
            for c in st.get("condition") or []:
                if isinstance(c, dict):
                    vals = c.get("values")
                    vals = [str(x).lower() if isinstance(x, bool) else x
                            for x in (vals if isinstance(vals, list) else [vals])]
                    cond.setdefault(str(c.get("test")), {})[str(c.get("variable"))] = vals
            item = {"Effect": st.get("effect", "Allow"), "Action": st.get("actions") or [],
                    "Principal": principal, "Condition": cond}
            if st.get("not_actions"):
                item["NotAction"] = st["not_actions"]
            if st.get("resources"):
                item["Resource"] = st["resources"]  # identity policies (SAN-IAM-011) name what they allow
            out.append(item)
        return {"Statement": out}


_VAR_ONLY = re.compile(r"^(?:\$\{)?\s*var\.([\w-]+)\s*}?$")


def _substitute_vars(v: Any, scope: str, links: HclLinks, depth: int = 0) -> Any:
    """Module attributes still reading ``var.x``: take the value from the module call."""
    if isinstance(v, Unresolved) and v.scope is None:
        m = _VAR_ONLY.match(v.expr)
        if not m or depth > 8:
            return v
        found, value, where = links.var_value(scope, m.group(1))
        if not found:
            return v
        value = clean(value) if isinstance(value, list) else clean_value(value)
        if isinstance(value, Unresolved):
            if where and _VAR_ONLY.match(value.expr):
                return _substitute_vars(value, where, links, depth + 1)
            return Unresolved(value.expr, where)
        return value
    if isinstance(v, dict):
        return {k: _substitute_vars(x, scope, links, depth) for k, x in v.items()}
    if isinstance(v, list):
        return [_substitute_vars(x, scope, links, depth) for x in v]
    return v


def _policy_of(raw: Any, scope: str, links: HclLinks) -> dict[str, Any] | Unresolved | None:
    """The policy document of a ``policy`` attribute, read from its *unrendered* text.

    checkov renders ``jsonencode({...})`` into a Python repr with booleans capitalised, so the
    original expression is used: ``jsonencode`` of a literal, a ``data.aws_iam_policy_document``
    reference, or JSON text (heredoc, ``file()`` is not followed).
    """
    text = _unwrap(raw)
    if text is None:
        return None
    if isinstance(text, dict):
        return text
    if not isinstance(text, str):
        return Unresolved(repr(text))
    s = text.strip()
    m = re.fullmatch(r"\$\{\s*jsonencode\((.*)\)\s*\}", s, re.S)
    if m:
        try:
            doc = ast.literal_eval(m.group(1))
        except (ValueError, SyntaxError):
            return Unresolved(s)
        return doc if isinstance(doc, dict) else Unresolved(s)
    m = re.fullmatch(r"\$\{\s*(data\.aws_iam_policy_document\.[\w-]+)(?:\[[^\]]*\])?\.json\s*\}", s)
    if m:
        doc = links.policy_document(_join(scope, m.group(1)))
        return doc if doc is not None else Unresolved(s)
    try:
        doc = json.loads(s)
    except ValueError:
        return Unresolved(s)
    return doc if isinstance(doc, dict) else Unresolved(s)


def _region_text(v: Any) -> tuple[str | None, str | None]:
    v = _unwrap(v)
    if isinstance(v, str) and not ("${" in v or _LOOKS_LIKE_REF.match(v.strip())):
        return v, None
    return None, f"region {v} could not be resolved"


class ProviderRegions:
    """The provider configuration in effect for a resource, and what it gives: region, default tags."""

    def __init__(self, graph: Any, links: HclLinks):
        self.providers: dict[tuple[str, str], Any] = {}
        for v in graph.vertices:
            if v.block_type == "provider":
                self.providers[(prefix_of(v.source_module_object), v.name)] = v
        self.links = links

    def _block(self, scope: str, name: str) -> tuple[Any, str, str]:
        """(provider vertex or None, the configuration's name, its scope) for ``name`` seen from
        ``scope``, following module ``providers = {}`` maps and the inheritance of default ones."""
        while True:
            p = self.providers.get((scope, name))
            if p is not None or not scope:
                return p, name, scope
            call = self.links.modules.get(scope)
            mapping = {}
            if call is not None:
                raw = call.attributes.get("providers")
                raw = _unwrap(raw)
                if isinstance(raw, dict):
                    mapping = {k: _as_text(x) or "" for k, x in raw.items()}
            if name in mapping:
                name = re.sub(r"[${}\s]", "", mapping[name])
            elif "." in name:  # an aliased configuration is never inherited, only passed
                return None, name, scope
            scope = _parent(scope)

    def region(self, scope: str, name: str) -> tuple[str | None, str | None]:
        """(region, why not) for provider configuration ``name`` (``aws``, ``aws.osaka``, ``google``) seen from
        ``scope``. A ``google`` block without ``region`` gives its ``zone``'s region."""
        seen = name
        p, name, where = self._block(scope, name)
        if p is not None:
            if "region" not in p.attributes:
                if name.startswith("google") and "zone" in p.attributes:
                    zone, why = _region_text(p.attributes.get("zone"))
                    return (re.sub(r"-[a-z]$", "", zone), None) if zone else (None, why)
                env = "GOOGLE_REGION" if name.startswith("google") else "AWS_REGION or the profile"
                return None, f"provider {name} sets no region ({env} decides at apply time)"
            return _region_text(p.attributes.get("region"))
        if where:
            return None, f"provider {seen} is not passed to {where}"
        if name == "aws":
            return None, "no provider \"aws\" block sets a region (AWS_REGION decides at apply time)"
        if name == "google":
            return None, "no provider \"google\" block sets a region (GOOGLE_REGION decides at apply time)"
        return None, f"provider configuration {name} is not defined"

    def default_tags(self, scope: str, name: str) -> dict[str, Any] | Unresolved | None:
        """The ``default_tags { tags = … }`` of the AWS provider configuration in effect: a map (values
        :class:`Unresolved` where not resolved), :class:`Unresolved` for a map not resolved as a
        whole, ``None`` when it sets none (or there is no block: then the region is unread)."""
        p, _, where = self._block(scope, name)
        if p is None:
            return None
        body: Any = next(iter(p.config.values()), {}) if isinstance(p.config, dict) else {}
        blocks = clean(body.get("default_tags")) if isinstance(body, dict) and "default_tags" in body else []
        tags: Any = None
        for b in blocks if isinstance(blocks, list) else []:
            if isinstance(b, dict) and "tags" in b:
                tags = b["tags"]
        if where:
            tags = _substitute_vars(tags, where, self.links)
        if tags is None or isinstance(tags, (dict, Unresolved)):
            return tags
        return Unresolved(repr(tags))


def load_directory(directory: Path, var_files: list[Path], exclude: list[str] | None = None) -> HclResult:
    from .checkov_import import without_builtin_checks

    without_builtin_checks("checkov.terraform")
    from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph
    from checkov.terraform.tf_parser import TFParser

    root = directory.resolve()
    errors: dict[str, Exception] = {}
    parser = TFParser()
    excluded = [re.escape(os.path.relpath(f, root)) for f in exclude or []]
    module, _ = parser.parse_hcl_module(str(root), "terraform", parsing_errors=errors,
                                        vars_files=[str(p.resolve()) for p in var_files] or None,
                                        excluded_paths=excluded or None)
    problems: list[tuple[str, str]] = []
    for f, e in errors.items():
        m = re.search(r"\bline (\d+)", str(e))
        problems.append((f"{display_path(f)}:{m.group(1)}" if m else display_path(f), _parse_error_text(e)))
    problems += _unread_files(root, parser.loaded_files_map, errors, exclude or [])

    # What rendering destroys: the count / for_each expressions and the policy texts.
    originals: dict[tuple[str, str], dict[str, Any]] = {}
    for b in module.blocks:
        if b.block_type in ("resource", "data"):
            keep: dict[str, Any] = {k: copy.deepcopy(b.attributes.get(k)) for k in ("count", "for_each", "policy")
                    if k in b.attributes}
            if keep:
                key_name = b.name if b.block_type == "resource" else f"data.{b.name}"
                originals[(prefix_of(b.source_module_object), key_name)] = keep

    graph = TerraformLocalGraph(module)
    graph.build_graph(render_variables=True)

    by_addr: dict[str, TfRes] = {}
    vertex_of: dict[str, int] = {}
    resource_vertices = []
    for i, v in enumerate(graph.vertices):
        if v.block_type != "resource":
            continue
        rtype = v.name.split(".", 1)[0]
        if rtype not in supported_types() and not rtype.startswith("aws_"):
            continue
        scope = prefix_of(v.source_module_object)
        addr = _join(scope, v.name)
        body: object = next(iter((v.config.get(rtype) or {}).values()), {})
        attrs = clean_block(body) if isinstance(body, dict) else {}
        res = TfRes(address=addr, type=rtype, attrs=attrs, file=display_path(v.path),
                    line=v.attributes.get("__start_line__"), region=None,
                    extra={"scope": scope, "end": v.attributes.get("__end_line__")})
        by_addr[addr] = res
        vertex_of[addr] = i
        resource_vertices.append((v, res))

    links = HclLinks(graph, by_addr, vertex_of)
    regions = ProviderRegions(graph, links)

    def lookup(scope: str) -> Any:
        def inner(kind: str, name: str) -> Any:
            if kind == "var":
                found, value, _ = links.var_value(scope, name)
                if not found:
                    raise Undecidable(f"var.{name} has no value")
            else:
                if (scope, name) not in links.locals:
                    raise Undecidable(f"local.{name} is not known")
                value = _unwrap(links.locals[(scope, name)])
            t = _as_text(value)
            if t is not None and REFERENCE.search(t):
                return NON_NULL
            if isinstance(value, Unresolved):
                raise Undecidable(f"{kind}.{name} = {value} could not be resolved")
            return value
        return inner

    for _, res in resource_vertices:
        if res.extra["scope"]:
            res.attrs = _substitute_vars(res.attrs, res.extra["scope"], links)

    dropped: set[str] = set()
    for v, res in resource_vertices:
        scope = res.extra["scope"]
        base_name = _INDEX.sub("", v.name)
        orig = originals.get((scope, base_name), {})
        if "count" in orig:
            try:
                n = evaluate_count(orig["count"], lookup(scope))
                if n <= 0:
                    dropped.add(res.address)
            except Undecidable as e:
                res.exists_error = f"count = {_unwrap(orig['count'])} could not be evaluated ({e})"
        elif "for_each" in orig and not _INDEX.search(v.name):
            res.exists_error = f"for_each = {_unwrap(orig['for_each'])} could not be evaluated"
        if "policy" in orig:
            res.policy = _policy_of(orig["policy"], scope, links)
        family = provider_of(res.type)
        region_attr = res.attrs.get("region")
        if family == "azurerm":
            pass  # every azurerm resource carries its own `location`, read by the Azure normalizer
        elif family == "aws" and isinstance(region_attr, str):
            res.region = region_attr  # AWS provider v6: a per-resource region
        else:
            res.region, res.region_error = regions.region(scope, _provider_name(res, family))
        if family == "aws":
            res.extra["tags"] = merge_default_tags(regions.default_tags(scope, _provider_name(res, family)),
                                                   res.get("tags"))
    for a in dropped:
        by_addr.pop(a, None)

    # Module calls whose source was not loaded (remote source not downloaded, wrong path).
    loaded_scopes = {prefix_of(v.source_module_object) for v in graph.vertices}
    calls: dict[str, tuple[str, int | None]] = {}
    for inst, mv in links.modules.items():
        calls[inst] = (display_path(mv.path), mv.attributes.get("__start_line__"))
        if inst not in loaded_scopes and not any(s.startswith(inst + ".") for s in loaded_scopes):
            src = _unwrap(mv.attributes.get("source"))
            problems.append((f"{display_path(mv.path)}:{mv.attributes.get('__start_line__')}",
                             f"module \"{mv.name}\": source {src!r} is not available locally (remote modules are "
                             "not downloaded; run `terraform init` or scan a plan), so its resources were not "
                             "scanned"))
    return HclResult(list(by_addr.values()), links, problems, calls)


def _provider_name(res: TfRes, family: str | None) -> str:
    """The provider configuration a resource names (``aws.osaka``), or its type's default one."""
    pname = _as_text(res.attrs.get("provider")) or family or "aws"
    return re.sub(r"[${}\s]", "", pname)


# Top-level blocks and how many labels Terraform requires; checkov drops a block with too few
# labels and ignores extra ones without an error, so the headers are checked here.
_BLOCK_LABELS = {"resource": 2, "data": 2, "module": 1, "provider": 1, "variable": 1, "output": 1}
_BLOCK_HEADER = re.compile(r"^(resource|data|module|provider|variable|output)((?:\s+(?:\"[^\"]*\"|[A-Za-z_][\w-]*))*)"
                           r"\s*\{")
_LABEL = re.compile(r"\"[^\"]*\"|[A-Za-z_][\w-]*")


def _unread_files(root: Path, loaded: dict[str, Any], errors: dict[str, Exception],
                  exclude: list[str]) -> list[tuple[str, str]]:
    """What checkov's HCL parser left out without an error: Terraform files under the directory
    it neither loaded nor reported (``*.tf.json`` is never read), and blocks whose labels it
    dropped. Each is reported as a file that could not be parsed, never silently skipped."""
    out: list[tuple[str, str]] = []
    skip = {str(Path(f).resolve()) for f in exclude}
    seen = {str(Path(f).resolve()) for f in (*loaded, *errors)}
    for f in sorted([*root.rglob("*.tf"), *root.rglob("*.tf.json")]):
        if ".terraform" in f.relative_to(root).parts or not f.is_file() or str(f.resolve()) in skip:
            continue
        if str(f.resolve()) not in seen:
            why = "not read by checkov's HCL parser"
            if f.name.endswith(".tf.json"):
                why += ": Terraform JSON syntax (.tf.json) is not supported; write it as .tf, or scan a plan"
            out.append((display_path(f), why))
            continue
        if str(f.resolve()) in errors or f.name.endswith(".tf.json"):
            continue
        text = f.read_text(encoding="utf-8-sig", errors="replace")
        for n, line in enumerate(text.splitlines(), start=1):
            m = _BLOCK_HEADER.match(line)
            if m is None:
                continue
            labels = len(_LABEL.findall(m.group(2)))
            want = _BLOCK_LABELS[m.group(1)]
            if labels != want:
                out.append((f"{display_path(f)}:{n}", f"invalid HCL: a {m.group(1)} block needs {want} label(s), "
                            f"found {labels} at line {n}"))
                break
    return out


def _parse_error_text(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    text = text.replace("Token('$END', '')", "end of file")
    return f"invalid HCL: {text}"
