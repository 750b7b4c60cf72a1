"""A small, safe evaluator for Terraform ``count`` expressions.

checkov expands ``count`` but cannot evaluate common forms such as
``var.replica == null ? 0 : 1`` and then creates an instance that Terraform would not. Judging a
resource that does not exist is a false finding; silently dropping one that does is a false pass.
So the adapter evaluates the original expression itself, over a whitelist of syntax (literals,
``var.*`` references, comparisons, ``!``/``&&``/``||``, one conditional, ``length()``), and when that
fails, keeps the instance and records that its existence is uncertain.

The expression comes from files under review (pull requests), so it is parsed with :mod:`ast` and
walked node by node; nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any


class Undecidable(Exception):
    pass


class NonNull:
    """A reference to a computed value (a resource attribute, a module output): known to be set."""


NON_NULL = NonNull()

_REF = re.compile(r"\b(var|local)\.([A-Za-z_][\w-]*)")


def _strip(expr: Any) -> str:
    if isinstance(expr, list) and len(expr) == 1:
        expr = expr[0]
    if isinstance(expr, bool):
        raise Undecidable("boolean count")
    if isinstance(expr, int):
        return str(expr)
    if not isinstance(expr, str):
        raise Undecidable(f"unsupported count {expr!r}")
    s = expr.strip()
    if s.startswith("${") and s.endswith("}"):
        s = s[2:-1]
    return s.strip()


def _split_ternary(s: str) -> tuple[str, str, str] | None:
    depth, q, qpos, cpos = 0, None, -1, -1
    for i, ch in enumerate(s):
        if q:
            if ch == q:
                q = None
            continue
        if ch in "\"'":
            q = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch == "?" and qpos < 0:
            qpos = i
        elif depth == 0 and ch == ":" and qpos >= 0 and cpos < 0:
            cpos = i
    if qpos < 0 or cpos < 0:
        return None
    return s[:qpos], s[qpos + 1:cpos], s[cpos + 1:]


def evaluate_count(expr: Any, lookup: Callable[[str, str], Any]) -> int:
    """The integer value of ``expr``; ``lookup(kind, name)`` gives ``var``/``local`` values.

    Raises :class:`Undecidable` when the expression is outside the supported subset.
    """
    s = _strip(expr)
    names: dict[str, Any] = {}

    def sub(m: re.Match[str]) -> str:
        key = f"_r{len(names)}"
        names[key] = lookup(m.group(1), m.group(2))
        return key

    s = _REF.sub(sub, s)
    parts = _split_ternary(s)
    if parts:
        s = f"({parts[1]}) if ({parts[0]}) else ({parts[2]})"
    s = re.sub(r"&&", " and ", s)
    s = re.sub(r"\|\|", " or ", s)
    s = re.sub(r"!(?!=)", " not ", s)
    s = re.sub(r"\bnull\b", "None", s)
    s = re.sub(r"\btrue\b", "True", s)
    s = re.sub(r"\bfalse\b", "False", s)
    try:
        tree = ast.parse(s, mode="eval")
    except SyntaxError as e:
        raise Undecidable(f"cannot parse {expr!r}") from e
    value = _eval(tree.body, names)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Undecidable(f"count {expr!r} is not a number")
    return value


_CMP = {
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
}


def _eval(node: ast.AST, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str, bool, type(None))):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Name) and node.id in ("None", "True", "False"):
        return {"None": None, "True": True, "False": False}[node.id]
    if isinstance(node, ast.IfExp):
        cond = _eval(node.test, names)
        if not isinstance(cond, bool):
            raise Undecidable("condition is not a boolean")
        return _eval(node.body if cond else node.orelse, names)
    if isinstance(node, ast.BoolOp):
        vals = [_eval(v, names) for v in node.values]
        if not all(isinstance(v, bool) for v in vals):
            raise Undecidable("operand is not a boolean")
        return all(vals) if isinstance(node.op, ast.And) else any(vals)
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, names)
        if isinstance(node.op, ast.Not) and isinstance(v, bool):
            return not v
        if isinstance(node.op, ast.USub) and isinstance(v, int) and not isinstance(v, bool):
            return -v
        raise Undecidable("unsupported unary operation")
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP:
        a, b = _eval(node.left, names), _eval(node.comparators[0], names)
        if a is NON_NULL or b is NON_NULL:
            other = b if a is NON_NULL else a
            if other is None and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
                return isinstance(node.ops[0], ast.NotEq)
            raise Undecidable("comparison with a computed value")
        if type(a) is not type(b) and not (a is None or b is None):
            raise Undecidable("comparison between different types")
        try:
            return _CMP[type(node.ops[0])](a, b)
        except TypeError as e:
            raise Undecidable(str(e)) from e
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "length" \
            and len(node.args) == 1 and not node.keywords:
        v = _eval(node.args[0], names)
        if isinstance(v, (list, dict, str)):
            return len(v)
        raise Undecidable("length() of an unknown value")
    raise Undecidable(f"unsupported expression {ast.dump(node)[:60]}")
