"""Signed evidence: a DSSE envelope over an evidence bundle's manifest.

A manifest of SHA-256 hashes proves a bundle unchanged only to someone who recorded the
manifest's hash elsewhere; whoever can rewrite the files can rewrite the manifest too. A
signature closes that gap: the bundle carries ``manifest.dsse.json``, a DSSE envelope (the
signing envelope of in-toto attestations, https://github.com/secure-systems-lab/dsse) whose
payload is the manifest itself, signed with the producer's private key. An auditor who holds
the producer's public key checks it offline with ``sansho evidence verify --key``.

Why DSSE with a key file (securesystemslib, maintained by the in-toto / TUF projects) and not
Sigstore keyless signing: keyless signing needs an OIDC identity and the public Fulcio and Rekor
services at signing and verification time, which neither a hospital's closed network nor this
project's CI can reach. A DSSE envelope is plain JSON that cosign, in-toto and securesystemslib
all read, and it can later carry a second signature (a Sigstore one, or a timestamp authority's)
without changing the bundle format.

Keys are ordinary PEM files (Ed25519 recommended, ECDSA P-256/P-384 and RSA accepted), e.g.
``openssl genpkey -algorithm ed25519 -out sansho-signing.pem`` and
``openssl pkey -in sansho-signing.pem -pubout -out sansho-signing.pub``. An encrypted private key
takes its password from ``SANSHO_SIGNING_KEY_PASSWORD``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sansho.policies.errors import InputError, first_line

SIGNATURE = "manifest.dsse.json"
PAYLOAD_TYPE = "application/vnd.sansho.evidence-manifest+json"
PASSWORD_ENV = "SANSHO_SIGNING_KEY_PASSWORD"


def load_signer(path: Path) -> Any:
    """A securesystemslib signer from a PEM private key file; one clear line on any problem."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    data = _read(path, "signing key / 署名鍵")
    password = os.environ.get(PASSWORD_ENV)
    try:
        key = load_pem_private_key(data, password.encode("utf-8") if password else None)
    except TypeError:
        raise InputError(f"{path}: the private key is encrypted: set {PASSWORD_ENV} / "
                         f"秘密鍵が暗号化されています: {PASSWORD_ENV} を設定してください") from None
    except (ValueError, Exception) as e:  # cryptography raises ValueError or UnsupportedAlgorithm
        raise InputError(f"{path}: not a PEM private key ({first_line(e, 200)}) / PEM 形式の秘密鍵ではありません") from None
    try:
        return CryptoSigner(key)
    except (ValueError, TypeError) as e:
        raise InputError(f"{path}: unsupported key type ({first_line(e, 200)}); use Ed25519, ECDSA P-256/P-384 or RSA / "
                         "対応していない鍵の種類です") from None


def load_public_key(path: Path) -> Any:
    """A securesystemslib public key from a PEM file (a public key, or a certificate's key)."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from securesystemslib.signer import SSlibKey

    data = _read(path, "public key / 公開鍵")
    try:
        public = load_pem_public_key(data)
    except (ValueError, Exception) as e:
        raise InputError(f"{path}: not a PEM public key ({first_line(e, 200)}) / PEM 形式の公開鍵ではありません") from None
    try:
        return SSlibKey.from_crypto(public)
    except (ValueError, TypeError) as e:
        raise InputError(f"{path}: unsupported key type ({first_line(e, 200)}) / 対応していない鍵の種類です") from None


def sign(manifest: bytes, signer: Any) -> bytes:
    """The DSSE envelope (JSON bytes) whose payload is ``manifest``."""
    from securesystemslib.dsse import Envelope

    envelope = Envelope(payload=manifest, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(signer)
    return (json.dumps(envelope.to_dict(), indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """What the signature says: ``valid`` with the key ID that signed, or why it does not hold."""

    valid: bool
    keyid: str | None = None
    problem: str | None = None


def check(envelope_bytes: bytes, manifest: bytes, key: Any) -> SignatureCheck:
    """Whether ``envelope_bytes`` is a DSSE envelope over exactly ``manifest``, signed by ``key``."""
    from securesystemslib.dsse import Envelope
    from securesystemslib.exceptions import VerificationError

    try:
        doc = json.loads(envelope_bytes.decode("utf-8"))
        envelope = Envelope.from_dict(doc)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as e:
        return SignatureCheck(False, problem=f"{SIGNATURE} is not a DSSE envelope ({first_line(e, 200)})")
    if envelope.payload_type != PAYLOAD_TYPE:
        return SignatureCheck(False, problem=f"{SIGNATURE} signs a {envelope.payload_type!r}, not a sansho manifest")
    if envelope.payload != manifest:
        return SignatureCheck(False, problem=f"{SIGNATURE} signs a different manifest.json")
    try:
        accepted = envelope.verify([key], 1)
    except VerificationError as e:
        return SignatureCheck(False, problem=f"the signature does not verify with the given key ({first_line(e, 200)})")
    return SignatureCheck(True, keyid=next(iter(accepted)))


def _read(path: Path, what: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file ({what})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the {what}: {e.strerror or e}") from None
    if len(data) > 1024 * 1024:
        raise InputError(f"{path}: too large for a key file / 鍵ファイルとして大きすぎます")
    return data

