"""Inline suppressions in IaC: ``# sansho:ignore <CONTROL_ID> reason="..." until=YYYY-MM-DD``.

A directive applies to the resource whose block it is on (header line or any line inside the
block) or directly above (only comments and blank lines between). Above a Terraform ``module``
call it applies to every resource of that module instance. The directive is returned as data with
a ``problem`` when it must not mute: ``expired``, ``no reason``, ``no expiry``, ``bad date``,
``unknown control`` or ``no resource`` (nothing it could apply to).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

DIRECTIVE = re.compile(r"(?:#|//)\s*sansho:ignore\b\s*(?P<rest>.*)$")
CONTROL = re.compile(r"^(?P<control>[A-Za-z]+-[A-Za-z]+-\d+)\b")
REASON = re.compile(r"""reason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
UNTIL = re.compile(r"\buntil\s*=\s*(?P<until>\S+)")
COMMENT_LINE = re.compile(r"^\s*(#|//|/\*|\*|$)")


@dataclass(frozen=True)
class InlineSuppression:
    control: str
    resource: str  # the resource id (Terraform address or CloudFormation logical ID)
    reason: str | None
    until: dt.date | None
    file: str
    line: int
    problem: str | None = None  # None: valid, mutes; otherwise why it does not


@dataclass(frozen=True)
class Directive:
    control: str
    reason: str | None
    until: dt.date | None
    until_text: str | None
    file: str
    line: int


@dataclass(frozen=True)
class Block:
    """A resource (or module call) block in a file: what a directive can attach to."""

    file: str
    start: int
    end: int | None
    ids: tuple[str, ...]  # resource ids it stands for


def directives(path: Path, display: str) -> list[Directive]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        m = DIRECTIVE.search(line)
        if not m:
            continue
        rest = m.group("rest").strip()
        cm = CONTROL.match(rest)
        control = cm.group("control").upper() if cm else ""
        rm = REASON.search(rest)
        reason = (rm.group("dq") if rm and rm.group("dq") is not None else rm.group("sq") if rm else None)
        reason = reason.strip() if reason else None
        um = UNTIL.search(rest)
        until_text = um.group("until").strip("\"'") if um else None
        until = None
        if until_text:
            try:
                until = dt.date.fromisoformat(until_text)
            except ValueError:
                until = None
        out.append(Directive(control, reason or None, until, until_text, display, n))
    return out


def attach(found: list[Directive], blocks: list[Block], lines_of: dict[str, list[str]],
           known_controls: set[str] | None, today: dt.date) -> list[InlineSuppression]:
    by_file: dict[str, list[Block]] = {}
    for b in blocks:
        by_file.setdefault(b.file, []).append(b)
    out: list[InlineSuppression] = []
    for d in found:
        target = _target(d, by_file.get(d.file, []), lines_of.get(d.file, []))
        problem = None
        if not d.control:
            problem = "no control"
        elif known_controls is not None and d.control not in known_controls:
            problem = "unknown control"
        elif not d.reason:
            problem = "no reason"
        elif d.until_text is None:
            problem = "no expiry"
        elif d.until is None:
            problem = "bad date"
        elif d.until < today:
            problem = "expired"
        if target is None:
            out.append(InlineSuppression(d.control, "", d.reason, d.until, d.file, d.line, problem or "no resource"))
            continue
        for rid in target.ids:
            out.append(InlineSuppression(d.control, rid, d.reason, d.until, d.file, d.line, problem))
    return out


def _target(d: Directive, blocks: list[Block], lines: list[str]) -> Block | None:
    # Inside (or on the header line of) a block: the innermost one.
    def last_line(b: Block) -> int:
        # A YAML mapping "ends" where the next key starts: trailing comments belong to what follows.
        end = b.end if b.end is not None else b.start
        while end > b.start and end - 1 < len(lines) and COMMENT_LINE.match(lines[end - 1]):
            end -= 1
        return end

    inside = [b for b in blocks if b.start <= d.line <= last_line(b)]
    if inside:
        start = max(b.start for b in inside)
        return _merge([b for b in inside if b.start == start])
    # Directly above: the next block, with only comments / blank lines in between.
    after = [b for b in blocks if b.start > d.line]
    if not after:
        return None
    start = min(b.start for b in after)
    between = lines[d.line:start - 1]
    if all(COMMENT_LINE.match(x) for x in between):
        return _merge([b for b in after if b.start == start])
    return None


def _merge(same: list[Block]) -> Block:
    """One block line in a module used twice stands for the resources of both instances."""
    ids: list[str] = []
    for b in same:
        ids += [i for i in b.ids if i not in ids]
    return Block(same[0].file, same[0].start, same[0].end, tuple(ids))
