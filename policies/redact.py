"""Credentials are never printed: every URL sansho shows (history stores, the OPA server) goes
through :func:`redact_url` first.

SQLAlchemy's ``render_as_string(hide_password=True)`` hides ``user:password@`` but not a
password in the query string (``?password=…``, which psycopg accepts), and urllib keeps both; so
both are handled here, for any scheme.
"""

from __future__ import annotations

import re

HIDDEN = "***"

# Query parameters whose value is a credential (compared lower case, without - and _).
_SECRET_PARAMS = frozenset({
    "password", "passwd", "pwd", "pass", "sslpassword", "secret", "clientsecret", "token", "accesstoken",
    "apikey", "key", "sig", "signature", "auth", "authorization", "credentials", "sastoken",
})
_SECRET_SUFFIXES = ("password", "secret", "token")


def _secret_param(name: str) -> bool:
    n = re.sub(r"[-_.]", "", name.lower())
    return n in _SECRET_PARAMS or n.endswith(_SECRET_SUFFIXES)


def redact_url(url: str) -> str:
    """``url`` with the password of its user info and every credential-named query parameter
    replaced by ``***``; anything that is not a URL comes back unchanged."""
    head, qmark, query = url.partition("?")
    scheme, sep, rest = head.partition("://")
    if sep and "@" in rest:
        # The user info ends at the last '@' before the path; a password may hold '/' or '@' that
        # the user did not encode, so the last '@' of the whole head is taken.
        userinfo, _, hostpart = rest.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        if colon and "/" not in user:
            head = f"{scheme}://{user}:{HIDDEN}@{hostpart}"
    if qmark:
        query, hash_, fragment = query.partition("#")
        parts = []
        for item in re.split(r"([&;])", query):
            name, eq, _value = item.partition("=")
            parts.append(f"{name}={HIDDEN}" if eq and _secret_param(name) else item)
        query = "".join(parts) + hash_ + fragment
    return head + qmark + query
