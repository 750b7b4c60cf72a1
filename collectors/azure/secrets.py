"""Keep secrets out of ``raw`` evidence, reasons and logs.

Resource Manager documents rarely carry a secret, but some do (a storage account key in an
auditing setting, a SAS URL, a connection string), and an error message may echo a request.
Fields whose *name* says secret are dropped; strings that *look* like a secret are cut.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "***"

# Field names (compared lower case, without separators) whose value is a secret.
_SECRET_NAMES = frozenset({
    "password", "administratorloginpassword", "secret", "clientsecret", "accountkey", "storageaccountaccesskey",
    "accesskey", "primarykey", "secondarykey", "primaryconnectionstring", "secondaryconnectionstring",
    "connectionstring", "sastoken", "sasurl", "token", "accesstoken", "refreshtoken", "sharedaccesskey",
    "key1", "key2", "certificatepassword", "privatekey",
})
_SECRET_SUFFIXES = ("password", "secret", "connectionstring", "sastoken", "accesskey", "privatekey")

# SAS query strings (sig=...), connection-string keys, bearer tokens (JWTs).
_PATTERNS = [
    (re.compile(r"([?&](?:sig|se|sv|sp|spr|srt|ss|st|skoid|sktid|skt|ske|sks|skv)=)[^&\s\"']*", re.I), r"\1" + REDACTED),
    (re.compile(r"((?:AccountKey|SharedAccessKey|Password|Pwd|SharedSecret)\s*=\s*)[^;\s\"']+", re.I), r"\1" + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\1" + REDACTED),
]


def is_secret_name(name: str) -> bool:
    n = re.sub(r"[^a-z0-9]", "", name.lower())
    return n in _SECRET_NAMES or n.endswith(_SECRET_SUFFIXES)


def scrub_text(text: str, extra: tuple[str, ...] = ()) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    for s in extra:
        if s and s in text:
            text = text.replace(s, REDACTED)
    return text


def scrub(doc: Any, extra: tuple[str, ...] = ()) -> Any:
    """A copy of ``doc`` with secret-named fields removed and secret-looking strings cut."""
    if isinstance(doc, dict):
        return {k: scrub(v, extra) for k, v in doc.items() if not is_secret_name(str(k))}
    if isinstance(doc, list):
        return [scrub(v, extra) for v in doc]
    if isinstance(doc, str):
        return scrub_text(doc, extra)
    return doc
