"""Infrastructure as code → the normalized inventory, through checkov's parsers.

``load(paths)`` detects what each path is (a Terraform directory, a ``terraform show -json`` plan,
a CloudFormation template in YAML or JSON, a ``pulumi stack export`` or ``pulumi preview --json``
document), reads it, and returns the normalized resources, the
inputs that could not be scanned with the reason, and the inline ``sansho:ignore`` suppressions.
checkov is imported only here, inside :func:`load`: ``sansho --help`` must stay fast.

See docs/iac.md for what is read from which resource type and the defaults assumed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sansho.policies.model import Resource

from .common import MAX_BYTES, display_path, is_parse_failure, sniff
from .suppress import Block, InlineSuppression, attach, directives

__all__ = ["IacLoad", "InlineSuppression", "load", "MAX_BYTES", "file_of", "line_of"]

TEMPLATE_SUFFIXES = {".yaml", ".yml", ".json", ".template"}
SKIP_DIRS = {".terraform", ".git", "node_modules", ".venv"}


@dataclass
class IacLoad:
    resources: list[Resource] = field(default_factory=list)
    not_scanned: list[tuple[str, str]] = field(default_factory=list)  # (file[:line], reason)
    suppressions: list[InlineSuppression] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)  # inputs read (directories and files)

    @property
    def unparsed(self) -> list[tuple[str, str]]:
        """The files that could not be parsed (syntax errors, files checkov's parser skipped, binary
        or oversized files): (file[:line], reason), the first reason of each file."""
        out: dict[str, tuple[str, str]] = {}
        for where, why in self.not_scanned:
            if is_parse_failure(why):
                out.setdefault(file_of(where), (where, why))
        return list(out.values())

    def valid_suppressions(self) -> list[InlineSuppression]:
        return [s for s in self.suppressions if s.problem is None]

    def invalid_suppressions(self) -> list[InlineSuppression]:
        return [s for s in self.suppressions if s.problem is not None]

    def config_suppressions(self) -> list[Any]:
        """The valid ones as :class:`sansho.policies.config.Suppression` (ids escaped for fnmatch)."""
        from sansho.policies.config import Suppression

        return [Suppression(control=s.control, resource=_fnmatch_escape(s.resource), reason=s.reason or "",
                            expires=s.until) for s in self.valid_suppressions() if s.until is not None]


def file_of(where: str) -> str:
    """``dir/main.tf:5`` → ``dir/main.tf``."""
    head, sep, tail = where.rpartition(":")
    return head if sep and tail.isdigit() else where


def line_of(where: str) -> int | None:
    head, sep, tail = where.rpartition(":")
    return int(tail) if sep and tail.isdigit() else None


def _fnmatch_escape(s: str) -> str:
    return "".join(f"[{c}]" if c in "[]*?" else c for c in s)


def detect(path: Path) -> str:
    """``terraform``, ``plan``, ``cloudformation``, ``pulumi-state``, ``pulumi-preview``, or
    ``unknown`` for one file."""
    suffix = path.suffix.lower()
    if suffix == ".tf":
        return "terraform"
    if suffix in (".tfvars",) or path.name.endswith(".tfvars.json"):
        return "tfvars"
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "unknown"
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            if "format_version" in doc and ("planned_values" in doc or "resource_changes" in doc
                                            or "terraform_version" in doc):
                return "plan"
            if _cfn_doc(doc):
                return "cloudformation"
            if "deployment" in doc and "version" in doc:
                return "pulumi-state"
            if _pulumi_preview_doc(doc):
                return "pulumi-preview"
            return "unknown"
        # Malformed JSON: say which kind it tried to be, so the parse error reaches the user.
        if "AWSTemplateFormatVersion" in text or '"AWS::' in text:
            return "cloudformation"
        if '"format_version"' in text and '"planned_values"' in text:
            return "plan"
        if '"deployment"' in text and '"manifest"' in text:
            return "pulumi-state"
        if '"steps"' in text and '"op"' in text:
            return "pulumi-preview"
        return "json-invalid"
    if "AWSTemplateFormatVersion" in text or "Type: AWS::" in text or "Type: 'AWS::" in text \
            or 'Type: "AWS::' in text:
        return "cloudformation"
    return "unknown"


def _pulumi_preview_doc(doc: dict[str, Any]) -> bool:
    # "steps" alone is too common a key to claim a JSON file found while walking a directory.
    steps = doc.get("steps")
    if "changeSummary" in doc:
        return True
    return isinstance(steps, list) and (not steps or (isinstance(steps[0], dict) and "op" in steps[0]))


def _cfn_doc(doc: dict[str, Any]) -> bool:
    if "AWSTemplateFormatVersion" in doc:
        return True
    res = doc.get("Resources")
    return isinstance(res, dict) and any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::") for r in res.values())


def _expand(paths: list[Path], out: IacLoad) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Terraform directories, and (file, kind) of the other inputs."""
    tf_dirs: list[Path] = []
    files: list[tuple[Path, str]] = []

    def add_file(f: Path, explicit: bool) -> None:
        why = sniff(f)
        if why:
            out.not_scanned.append((display_path(f), why))
            return
        kind = detect(f)
        if kind == "terraform":
            if f.parent.resolve() not in [d.resolve() for d in tf_dirs]:
                tf_dirs.append(f.parent)
        elif kind in ("plan", "cloudformation", "pulumi-state", "pulumi-preview"):
            files.append((f, kind))
        elif explicit:
            reason = {"tfvars": "a variables file: pass it with --var-file",
                      "json-invalid": "malformed JSON"}.get(kind, "not a Terraform directory, Terraform plan JSON or "
                                                                  "CloudFormation template")
            out.not_scanned.append((display_path(f), reason))

    for p in paths:
        if not p.exists():
            out.not_scanned.append((display_path(p), "no such file or directory"))
        elif p.is_dir():
            if any(p.glob("*.tf")):
                tf_dirs.append(p)
                continue
            for f in sorted(p.rglob("*")):
                if any(part in SKIP_DIRS for part in f.relative_to(p).parts):
                    continue
                if f.is_dir() and any(f.glob("*.tf")) and not any(
                        f.resolve().is_relative_to(d.resolve()) for d in tf_dirs):
                    tf_dirs.append(f)
                elif f.is_file() and f.suffix.lower() in TEMPLATE_SUFFIXES:
                    add_file(f, explicit=False)
        else:
            add_file(p, explicit=True)
    return tf_dirs, files


def load(paths: list[Path], var_files: list[Path] | None = None, *, today: dt.date | None = None,
         cfn_region: str | None = None) -> IacLoad:
    """Read IaC inputs into normalized resources.

    ``var_files`` are Terraform ``-var-file`` files applied to every Terraform directory.
    ``cfn_region`` is the region CloudFormation stacks deploy to (a template does not say; None →
    region unknown → UNKNOWN location verdicts). ``today`` dates the suppression expiry check.
    """
    today = today or dt.date.today()
    var_files = list(var_files or [])
    out = IacLoad()
    for vf in var_files:
        if not vf.is_file():
            out.not_scanned.append((display_path(vf), "variables file not found"))
    var_files = [vf for vf in var_files if vf.is_file()]
    # checkov logs parse errors (some on the root logger) that we report ourselves, one line each.
    previous_disable = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        return _load(paths, var_files, today, cfn_region, out)
    finally:
        logging.disable(previous_disable)


def _load(paths: list[Path], var_files: list[Path], today: dt.date, cfn_region: str | None, out: IacLoad) -> IacLoad:
    tf_dirs, files = _expand([Path(p) for p in paths], out)
    if tf_dirs or any(kind == "cloudformation" for _, kind in files):  # plans and Pulumi exports are JSON
        from sansho.policies.errors import require

        require("checkov", "sansho iac on Terraform and CloudFormation")
    group_blocks: list[tuple[str, list[Block]]] = []
    sup_files: dict[str, Path] = {}
    groups: list[tuple[str, list[Resource]]] = []

    for d in tf_dirs:
        from .terraform import load_terraform_dir

        try:
            res, problems, blks, files_read = load_terraform_dir(d, var_files)
        except Exception as e:  # checkov itself failed on this directory: report it, keep going
            out.not_scanned.append((display_path(d), f"Terraform could not be read: {type(e).__name__}: {e}"))
            continue
        groups.append((display_path(d), res))
        out.not_scanned += problems
        group_blocks.append((display_path(d), blks))
        sup_files.update(files_read)
        unparsed = {file_of(w) for w, why in problems if is_parse_failure(why)}
        if not (unparsed and set(files_read) <= unparsed):  # a directory none of whose files parsed was not read
            out.scanned.append(display_path(d))

    for f, kind in files:
        try:
            if kind == "plan":
                from .plan import load_plan

                file_res, problems, blks = load_plan(f)
            elif kind.startswith("pulumi-"):
                from .pulumi import load_export

                file_res, problems, blks = load_export(f, kind)
            else:
                from .cloudformation import load_template

                file_res, problems, blks = load_template(f, cfn_region)
        except Exception as e:  # pragma: no cover - a parser bug must not take the scan down
            out.not_scanned.append((display_path(f), f"could not be read: {type(e).__name__}: {e}"))
            continue
        out.not_scanned += problems
        if file_res is None:
            continue
        groups.append((display_path(f), file_res))
        group_blocks.append((display_path(f), blks))
        sup_files[display_path(f)] = f
        out.scanned.append(display_path(f))

    renamed = _qualify(groups)
    out.resources = [r for _, rs in groups for r in rs]
    blocks = [Block(b.file, b.start, b.end, tuple(renamed.get((g, i), i) for i in b.ids))
              for g, blks in group_blocks for b in blks]
    found = []
    lines_of: dict[str, list[str]] = {}
    for disp, real in sup_files.items():
        ds = directives(real, disp)
        if ds:
            found += ds
            lines_of[disp] = real.read_text(encoding="utf-8", errors="replace").splitlines()
    if found:
        from sansho.policies.catalog import load_catalog

        known = {c.id for c in load_catalog()}
        out.suppressions = attach(found, blocks, lines_of, known, today)
    return out


def _qualify(groups: list[tuple[str, list[Resource]]]) -> dict[tuple[str, str], str]:
    """Ids must be unique in a scan. Two Terraform roots (envs/prod, envs/stg) or two templates
    often use the same addresses; those ids are prefixed with their input (``envs/prod:aws_s3_bucket.x``).
    Returns (input, old id) → new id, for the suppression blocks."""
    owners: dict[str, set[str]] = {}
    for name, rs in groups:
        for r in rs:
            owners.setdefault(r.id, set()).add(name)
    renamed: dict[tuple[str, str], str] = {}
    for name, rs in groups:
        for r in rs:
            if len(owners[r.id]) > 1:
                new = f"{name}:{r.id}"
                renamed[(name, r.id)] = new
                r.id = new
    return renamed
