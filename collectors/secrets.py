"""Keep secrets out of ``raw`` evidence, reasons and logs, for every cloud collector.

Cloud documents rarely carry a secret, but some do: in Azure a storage account key in an
auditing setting, a SAS URL, a connection string; in GCP a customer-supplied disk key
(``diskEncryptionKey.rawKey``), a service account key's ``privateKeyData``, an API key's
``keyString``, a VPN tunnel's ``sharedSecret``, a password in a startup script. An error message
may echo a request. Fields whose *name* says secret are dropped; strings that *look* like a
secret (SAS signatures, connection-string keys, bearer tokens, PEM private keys, passwords in
URLs, Google API keys and OAuth access tokens) are cut.
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
    # GCP: customer-supplied encryption keys, service account and API keys, HMAC secrets
    "rawkey", "rsaencryptedkey", "privatekeydata", "keystring", "apikey", "clientkey", "secretkey",
})
_SECRET_SUFFIXES = ("password", "secret", "connectionstring", "sastoken", "accesskey", "privatekey")

# SAS query strings (sig=...), connection-string keys, bearer tokens (JWTs).
_PATTERNS = [
    (re.compile(r"([?&](?:sig|se|sv|sp|spr|srt|ss|st|skoid|sktid|skt|ske|sks|skv)=)[^&\s\"']*", re.I), r"\1" + REDACTED),
    (re.compile(r"((?:AccountKey|SharedAccessKey|Password|Pwd|SharedSecret)\s*=\s*)[^;\s\"']+", re.I), r"\1" + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\1" + REDACTED),
    (re.compile(r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|$)", re.S), REDACTED),
    (re.compile(r"([a-z][a-z0-9+.-]*://[^/\s:@\"']*:)[^@\s\"'/]+@", re.I), r"\1" + REDACTED + "@"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), REDACTED),  # Google API key
    (re.compile(r"\bya29\.[0-9A-Za-z_.-]+"), REDACTED),  # Google OAuth access token
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
