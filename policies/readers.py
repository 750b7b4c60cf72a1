"""Strict readers for the YAML and JSON files users give sansho: inventories, ``sansho.yaml``,
on-prem registers and cloud exports.

What a plain ``yaml.safe_load`` / ``json.loads`` lets through, and these refuse with one line that
names the file and, where it can, the line:

* YAML anchors and aliases. A 520-byte file of nested aliases ("billion laughs") expands to
  gigabytes once it is turned into Python objects or JSON; none of sansho's files needs them, so
  the first anchor or alias stops the read before anything is built.
* Duplicate keys. Both parsers silently keep the last value, so a second ``encrypted: true``
  would hide the first ``encrypted: false``.
* Nesting deeper than :data:`MAX_DEPTH` levels of lists and mappings. The JSON inventory reader
  (pydantic's) stops at about the same depth; without a cap a 100,000-deep file ends in a
  RecursionError.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_DEPTH = 200
"""Levels of nested lists and mappings a file may have (pydantic's JSON reader allows 201)."""


class StrictYAMLError(yaml.MarkedYAMLError):
    """A YAML construct sansho refuses; ``code`` and ``params`` let a caller word it itself."""

    def __init__(self, code: str, problem: str, mark: Any, **params: Any):
        super().__init__(problem=problem, problem_mark=mark)
        self.code, self.params = code, params


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without anchors, aliases or duplicate keys, and with a depth cap.

    ``what`` words the file in messages (``an inventory``, ``sansho.yaml``, ``a register``)."""

    what = "this file"

    def __init__(self, stream: Any, what: str | None = None):
        super().__init__(stream)
        if what is not None:
            self.what = what
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise StrictYAMLError("yaml_alias", f"YAML aliases and anchors are not accepted in {self.what}",
                                  event.start_mark, what=self.what)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise StrictYAMLError("yaml_depth", f"nested more than {MAX_DEPTH} levels deep",
                                      event.start_mark, depth=MAX_DEPTH)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def duplicate_key(self, key: Any, key_node: yaml.Node) -> StrictYAMLError:
        return StrictYAMLError("yaml_duplicate_key", f"duplicate key {key!r} (a key may appear once in a mapping)",
                               key_node.start_mark, key=key)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        raise self.duplicate_key(key, key_node)
                    seen.add(key)
                except TypeError:  # unhashable: the base class says so, with its position
                    pass
        return super().construct_mapping(node, deep=deep)


def yaml_problem(e: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line and the one-line reason of a YAML error."""
    if isinstance(e, StrictYAMLError) and e.problem_mark is not None:
        return e.problem_mark.line + 1, str(e.problem)
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None)
    if not problem:
        return (mark.line + 1 if mark is not None else None), (str(e).splitlines() or [type(e).__name__])[0]
    context, context_mark = getattr(e, "context", None), getattr(e, "context_mark", None)
    text = f"malformed YAML: {problem}"
    if context:
        started = f" that starts on line {context_mark.line + 1}" if context_mark is not None and (
            mark is None or context_mark.line != mark.line) else ""
        text += f" ({context}{started})"
    return (mark.line + 1 if mark is not None else None), text


def load_yaml(text: str | bytes, path: Path | str, what: str) -> Any:
    """One YAML document through :class:`StrictLoader`; any problem is an :class:`InputError`
    ``<path>:<line>: <reason>``."""
    loader = StrictLoader(text, what)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as e:
        line, reason = yaml_problem(e)
        raise InputError(f"{path}:{line}: {reason}" if line else f"{path}: {reason}") from None
    except RecursionError:  # pragma: no cover - the depth cap comes first
        raise InputError(f"{path}: nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise DuplicateKey(k)
            seen.add(k)
    return d


def strict_json_decoder() -> json.JSONDecoder:
    """The decoder :func:`load_json` uses (:class:`DuplicateKey` on a repeated key), for a reader
    that decodes one value at a time (``raw_decode``)."""
    return json.JSONDecoder(object_pairs_hook=_pairs)


def load_json(data: str | bytes, path: Path | str) -> Any:
    """``json.loads`` that refuses duplicate keys and over-deep nesting (:class:`InputError`);
    malformed JSON still raises ``json.JSONDecodeError`` for the caller to word."""
    try:
        return json.loads(data, object_pairs_hook=_pairs)
    except DuplicateKey as e:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        line = _duplicate_line(text, e.key)
        where = f"{path}:{line}" if line else str(path)
        raise InputError(f"{where}: duplicate key {e.key!r} in a JSON object (a key may appear once)") from None
    except RecursionError:
        raise InputError(f"{path}: nested more than {MAX_DEPTH} levels deep") from None


def depth_error(path: Path | str, message: str) -> InputError | None:
    """pydantic's JSON reader says ``recursion limit exceeded at line L column C``: the same
    one line as the other readers give."""
    m = re.search(r"recursion limit exceeded at line (\d+)", message)
    if m is None:
        return None
    return InputError(f"{path}:{m.group(1)}: nested more than {MAX_DEPTH} levels deep")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]', re.S)
_COLON = re.compile(r"\s*:")


def _duplicate_line(text: str, key: str) -> int | None:
    """The line of the second ``key`` in the first object that holds it twice (error path only)."""
    stack: list[set[str] | None] = []  # per open bracket: the keys seen (objects) or None (lists)
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok in ("{", "["):
            stack.append(set() if tok == "{" else None)
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif stack and stack[-1] is not None and _COLON.match(text, m.end()):
            try:
                name = json.loads(tok)
            except ValueError:
                continue
            if name in stack[-1] and name == key:
                return text.count("\n", 0, m.start()) + 1
            stack[-1].add(name)
    return None
