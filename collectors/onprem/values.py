"""Cell parsers shared by the row models: one function per value format.

A CSV cell is always text; a YAML value may already be a bool, int, date, list or mapping.
Both go through the same parser, so a register reads the same in either format. An empty cell
or a missing key is ``None`` ("not read"): no parser ever supplies a passing default.

Each parser raises :class:`PydanticCustomError` with one of the codes of
:mod:`.messages`; the row model turns that into an error naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "はい", "有", "あり"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "いいえ", "無", "なし"})
NEVER_WORDS = frozenset({"never", "なし"})
EMPTY_LIST_WORDS = frozenset({"none", "なし"})
LIST_SEPARATOR = ";"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLASH_DATE_RE = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$")
_INT_RE = re.compile(r"^\d+$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")


def err(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def _as_text(v: Any) -> str:
    if isinstance(v, bool):
        raise err("yaml_bool_text", value=v)
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if not isinstance(v, str):
        raise err("text", value=v)
    return v.strip()


def parse_text(v: Any) -> str | None:
    if _blank(v):
        return None
    return _as_text(v)


def parse_required_text(v: Any) -> str:
    if _blank(v):
        raise err("required")
    return _as_text(v)


def parse_bool(v: Any) -> bool | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        word = v.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise err("bool", value=v)


def parse_date(v: Any) -> dt.date | None:
    if _blank(v):
        return None
    if isinstance(v, dt.datetime):
        raise err("datetime", value=v.isoformat())
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        s = v.strip()
        if _DATE_RE.match(s):
            try:
                return dt.date.fromisoformat(s)
            except ValueError:
                pass
        elif _SLASH_DATE_RE.match(s):
            raise err("date_slash", value=v)
        elif "T" in s or " " in s:
            head = s.replace("T", " ").split(" ", 1)[0]
            if _DATE_RE.match(head):
                raise err("datetime", value=v)
    raise err("date", value=v)


def parse_date_or_never(v: Any) -> dt.date | str | None:
    if isinstance(v, str) and v.strip().lower() in NEVER_WORDS:
        return "never"
    try:
        return parse_date(v)
    except PydanticCustomError as e:
        if e.type == "date":
            raise err("date_or_never", value=v) from None
        raise


def parse_int(v: Any) -> int | None:
    if _blank(v):
        return None
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    if isinstance(v, str) and _INT_RE.match(v.strip()):
        return int(v.strip())
    raise err("int", value=v)


def parse_country(v: Any) -> str | None:
    if _blank(v):
        return None
    s = _as_text(v)
    if not _COUNTRY_RE.match(s):
        raise err("country", value=v)
    return s.upper()


def _norm_word(s: str) -> str:
    return re.sub(r"[\s\-]+", "_", s.strip().lower())


def choice(values: Iterable[str], aliases: dict[str, str] | None = None,
           bools: tuple[str, str] | None = None) -> Callable[[Any], str | None]:
    """A parser for one of ``values`` (case, spaces and hyphens are not significant).

    ``bools`` = (value for true, value for false) lets a YAML ``yes``/``no``, which YAML reads
    as a boolean, stand for a choice such as an attestation's answer.
    """
    canon = {_norm_word(c): c for c in values}
    for alias, target in (aliases or {}).items():
        canon[_norm_word(alias)] = target
    shown = ", ".join(values)

    def parse(v: Any) -> str | None:
        if _blank(v):
            return None
        if isinstance(v, bool):
            if bools is not None:
                return bools[0] if v else bools[1]
            raise err("yaml_bool_text", value=v)
        s = _as_text(v)
        got = canon.get(_norm_word(s))
        if got is None:
            raise err("choice", value=s, choices=shown)
        return got

    return parse


def split_list(v: Any) -> list[Any] | None:
    """A list from a YAML list or a ';'-separated cell; 'none' is the empty list (read, none)."""
    if _blank(v):
        return None
    if isinstance(v, list):
        return v
    if isinstance(v, str):
        if v.strip().lower() in EMPTY_LIST_WORDS:
            return []
        return [part.strip() for part in v.split(LIST_SEPARATOR) if part.strip()]
    if isinstance(v, int | float | dt.date) and not isinstance(v, bool):
        return [v]
    raise err("list", value=v)


def list_of(item: Callable[[Any], Any]) -> Callable[[Any], list[Any] | None]:
    def parse(v: Any) -> list[Any] | None:
        items = split_list(v)
        if items is None:
            return None
        out = []
        for x in items:
            parsed = item(x)
            if parsed is not None:
                out.append(parsed)
        return out

    return parse


# Annotated types for the row models. The BeforeValidator does all the work and returns a value
# of the annotated type, so pydantic's own (lax) check that follows never converts anything.
Text = Annotated[str | None, BeforeValidator(parse_text)]
RequiredText = Annotated[str, BeforeValidator(parse_required_text)]
Bool = Annotated[bool | None, BeforeValidator(parse_bool)]
Date = Annotated[dt.date | None, BeforeValidator(parse_date)]
DateOrNever = Annotated[dt.date | str | None, BeforeValidator(parse_date_or_never)]
Int = Annotated[int | None, BeforeValidator(parse_int)]
Country = Annotated[str | None, BeforeValidator(parse_country)]
CountryList = Annotated[list[str] | None, BeforeValidator(list_of(parse_country))]
TextList = Annotated[list[str] | None, BeforeValidator(list_of(parse_text))]
