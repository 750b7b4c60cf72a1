"""Verifiable evidence bundles: a deterministic zip with ``manifest.json``.

The manifest maps each framework requirement to its controls, each control to its findings
from the saved scan, each finding to the resource document behind it (written as a file in the
bundle, raw provider document included), and lists the attestations. Every file's SHA-256 is in
the manifest; the manifest's own SHA-256 is what the auditor records. The zip is built with fixed
timestamps and sorted entries, so the same scan always gives the same bytes and the same hashes.

``verify`` recomputes every hash and names each file changed, added or removed. It hashes
entries as streams and never extracts; it refuses entry names that would escape a folder
(zip-slip), symlinks and other special entries, and zips that would inflate past a size or
ratio limit. Hashes alone prove integrity only against a manifest hash recorded elsewhere: a
bundle written with a signing key also carries ``manifest.dsse.json`` (:mod:`.signing`), which
``verify`` checks against the producer's public key.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from zlib import error as zlib_error

from sansho.policies.catalog import Catalog
from sansho.policies.errors import InputError, first_line
from sansho.reports.framework import FrameworkView, render_markdown
from sansho.reports.history.records import SavedFinding, SavedScan
from sansho.reports.posture import DEFAULT_MAX_RESOURCES, LISTED, citation, listed_rows

FORMAT = "sansho-evidence/1"
MANIFEST = "manifest.json"
SUMMARY = "summary.md"
# The earliest time a zip can record: a fixed stamp keeps the bytes independent of when it was made.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class NotABundle(Exception):
    """The file is not an evidence bundle at all (exit 2), as opposed to a tampered one (exit 1)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_name(resource_id: str) -> str:
    """A file name for a resource: readable, portable, and unique (a short hash of the full ID)."""
    readable = _SAFE.sub("_", resource_id).strip("._")[:80] or "resource"
    return f"{readable}-{sha256(resource_id.encode('utf-8'))[:10]}.json"


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class Bundle:
    files: dict[str, bytes]  # every entry, manifest.json included

    @property
    def manifest_sha256(self) -> str:
        return sha256(self.files[MANIFEST])


def _scan_ref(scan: SavedScan) -> dict[str, Any]:
    return {"id": scan.id, "scanned_at": scan.scanned_at.isoformat(), "as_of": scan.as_of.isoformat(),
            "period": scan.period, "tool_version": scan.tool_version, "engine": scan.engine,
            "inputs": list(scan.inputs)}


_RANK = {s: i for i, s in enumerate(("FAIL", "ERROR", "UNKNOWN", "MANUAL", "MUTED", "PASS", "NOT_APPLICABLE"))}
_BASIS_RANK = {"observed": 0, "declared": 1, "attested": 2}


def _worst_first(f: SavedFinding) -> tuple[int, int, str, str]:
    return (_RANK.get(f.status, 9), _BASIS_RANK.get(f.basis or "declared", 9), f.resource_kind, f.resource_id)


def build(view: FrameworkView, catalog: Catalog, tool_version: str, period: str | None, lang: str,
          max_resources: int = DEFAULT_MAX_RESOURCES) -> Bundle:
    """The bundle of ``view``. Each control lists its first ``max_resources`` findings (worst
    first) with their resource documents; every FAIL, ERROR and UNKNOWN finding of the
    framework's controls is in ``resources.csv`` and ``resources.xlsx``, hashed like every file."""
    from sansho.reports import resource_list

    scan = view.scan
    tag = str(scan.id) if scan.id is not None else "scan"
    index = scan.resource_index()
    files: dict[str, bytes] = {}

    def file_for(kind: str, rid: str) -> str | None:
        doc = index.get((kind, rid))
        if doc is None:
            return None
        folder = f"attestations/{tag}" if kind == "attestation" else f"evidence/{tag}/{_SAFE.sub('_', kind)}"
        path = f"{folder}/{safe_name(rid)}"
        files.setdefault(path, _json(doc))
        return path

    def finding(f: SavedFinding) -> dict[str, Any]:
        doc = index.get((f.resource_kind, f.resource_id), {})
        # When an item was collected: an attestation on the day it was attested, anything else at scan time.
        collected = doc.get("attested_on") if f.resource_kind == "attestation" else None
        out: dict[str, Any] = {
            "status": f.status, "basis": f.basis, "scan": scan.id,
            "resource": {"kind": f.resource_kind, "id": f.resource_id, "name": doc.get("name")},
            "message": {"ja": f.message_ja, "en": f.message_en}, "rule": f.rule or None,
            "collected_at": collected or scan.scanned_at.isoformat(),
            "evidence_file": file_for(f.resource_kind, f.resource_id),
        }
        if f.evidence:
            out["evidence"] = f.evidence
        if f.suppression:
            out["suppression"] = f.suppression
        return out

    attested: dict[str, list[dict[str, Any]]] = {}
    for d in scan.resources:
        if d.get("kind") == "attestation":
            attested.setdefault(str(d.get("control_id")), []).append(d)
    controls: dict[str, Any] = {}
    for cid, cv in view.controls.items():
        c = cv.control
        attestations = []
        for doc in sorted(attested.get(cid, []), key=lambda d: d["id"]):
            attestations.append({
                "resource_id": doc["id"], "answer": doc.get("answer"), "attested_by": doc.get("attested_by"),
                "attested_on": doc.get("attested_on"), "review_period_days": doc.get("review_period_days"),
                "evidence": doc.get("evidence"), "file": file_for("attestation", doc["id"]),
            })
        controls[cid] = {
            "title": c.title.model_dump(), "check": c.check, "severity": c.severity, "family": c.family,
            "source": citation(catalog, cid), "status": cv.status, "status_basis": list(cv.basis),
            "counts": cv.counts, "counts_by_basis": cv.basis_counts,
            "findings": [finding(f) for f in sorted(cv.findings, key=_worst_first)[:max_resources]],
            "findings_total": cv.total, "attestations": attestations,
        }

    rows = [r for r in listed_rows(scan, catalog, lang) if r.control_id in view.controls]
    files.update(resource_list.bundle_files(rows, lang))
    fw = view.framework
    files[SUMMARY] = render_markdown(view, lang).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "framework": {"id": fw.id, "name": fw.name.model_dump(), "edition": fw.edition},
        "period": period,
        "tool": {"name": "sansho", "version": tool_version},
        "scans": [_scan_ref(scan)],
        "requirements": [
            {"id": rv.requirement.id, "title": rv.requirement.title.model_dump(), "status": rv.status,
             "controls": [c.control.id for c in rv.controls]}
            for rv in view.requirements
        ],
        "controls": controls,
        # each control's "findings" holds its first max_resources_per_control (worst first) of
        # findings_total; every FAIL, ERROR and UNKNOWN finding is in the resources files
        "listing": {"max_resources_per_control": max_resources, "statuses": list(LISTED), "rows": len(rows),
                    "csv": resource_list.CSV_NAME, "xlsx": resource_list.XLSX_NAME},
        "files": [{"path": p, "sha256": sha256(files[p]), "bytes": len(files[p])} for p in sorted(files)],
    }
    files[MANIFEST] = _json(manifest)
    return Bundle(files)


def write(bundle: Bundle, output: Path, signer: Any = None) -> None:
    """Write the bundle; with ``signer`` (:func:`sansho.reports.signing.load_signer`) it also
    carries a DSSE signature over the manifest."""
    from sansho.policies.output import atomic_file

    if signer is not None:
        from .signing import SIGNATURE, sign

        bundle = Bundle({**bundle.files, SIGNATURE: sign(bundle.files[MANIFEST], signer)})

    with atomic_file(output) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(bundle.files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix: the same bytes whichever OS writes the bundle
            zf.writestr(info, bundle.files[name])


# -- verify ----------------------------------------------------------------------------------------

def unsafe(name: str) -> bool:
    """A name that could land outside the folder it is extracted into, or means different things on
    different systems: absolute, drive-qualified, backslashes, or any '..' part."""
    if not name or name.startswith("/") or "\\" in name or "//" in name or re.match(r"^[A-Za-z]:", name) \
            or "\x00" in name:
        return True
    return any(part in ("..", "") for part in PurePosixPath(name).parts) or name.endswith("/")


# What verify will read: an evidence bundle of a very large estate stays far below these, and a
# crafted zip (a "zip bomb") is refused before it is inflated.
MAX_TOTAL_BYTES = 4 * 1024**3  # declared uncompressed size of all entries
MAX_MANIFEST_BYTES = 256 * 1024**2
MAX_RATIO = 200  # uncompressed / compressed size of one entry (JSON deflates ~10-20x)
_CHUNK = 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_S_IFMT, _S_IFREG, _S_IFDIR = 0o170000, 0o100000, 0o040000


@dataclass(frozen=True, slots=True)
class Verdict:
    problems: list[str]
    files: int
    manifest_sha256: str
    signature: str  # "valid", "absent", "unchecked" (signed, no key given) or "invalid"
    signer: str | None = None  # the key ID that signed, when valid

    @property
    def intact(self) -> bool:
        return not self.problems


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a plain file sansho could have written, or None."""
    mode = (info.external_attr >> 16) & _S_IFMT if info.create_system == 3 else 0
    if mode == 0o120000:
        return f"symlink entry (シンボリックリンク): {info.filename}"
    if mode not in (0, _S_IFREG, _S_IFDIR):
        return f"not a regular file (通常ファイルではありません): {info.filename}"
    if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
        return (f"suspicious compression ratio (圧縮率が異常です): {info.filename} "
                f"({info.file_size} bytes from {info.compress_size})")
    return None


def _is_folder(info: zipfile.ZipInfo) -> bool:
    """A directory entry, as `zip -r` adds them: no content, nothing to verify."""
    return info.filename.endswith("/") and info.file_size == 0


def _hash_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """SHA-256 of one entry, read in chunks: memory stays flat whatever the entry's size. zipfile
    never inflates past the declared size and checks the CRC at the end (BadZipFile)."""
    h = hashlib.sha256()
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def check_manifest_sha256(value: str | None) -> str | None:
    """The ``--manifest-sha256`` the user recorded, normalised; a malformed one is a usage error."""
    if value is None:
        return None
    digest = value.strip().lower()
    if not _HEX64.match(digest):
        raise InputError(f"--manifest-sha256: {value!r} is not a SHA-256 (64 hexadecimal digits) / "
                         "SHA-256 の値ではありません")
    return digest


def verify(path: Path, manifest_sha256: str | None = None, key: Any = None) -> Verdict:
    """Check every entry against the manifest, the manifest against the recorded hash, and the
    signature (``manifest.dsse.json``) against ``key`` (a public key from
    :func:`sansho.reports.signing.load_public_key`) when one is given."""
    from . import signing

    recorded = check_manifest_sha256(manifest_sha256)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file / ファイルがありません") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise NotABundle(f"{path}: not an evidence bundle (not a zip file: {e}) / 証跡パッケージではありません") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise NotABundle(f"{path}: entries would inflate to {total} bytes, over the {MAX_TOTAL_BYTES} byte limit "
                             "/ 展開後の容量が上限を超えます")
        problems: list[str] = []
        seen: set[str] = set()
        digests: dict[str, str] = {}
        small: dict[str, bytes] = {}  # the manifest and the signature, read whole
        for info in infos:
            name = info.filename
            if name in seen:
                problems.append(f"duplicate entry (重複): {name}")
                continue
            seen.add(name)
            if _is_folder(info) and not unsafe(name.rstrip("/") or "/"):
                continue
            if unsafe(name):
                problems.append(f"unsafe path (不正なパス): {name}")
                continue
            why = _entry_problem(info)
            if why is not None:
                problems.append(why)
                continue
            try:
                if name in (MANIFEST, signing.SIGNATURE):
                    if info.file_size > MAX_MANIFEST_BYTES:
                        raise NotABundle(f"{path}: {name} is {info.file_size} bytes, over the "
                                         f"{MAX_MANIFEST_BYTES} byte limit / マニフェストが大きすぎます")
                    small[name] = zf.read(info)
                    digests[name] = sha256(small[name])
                else:
                    digests[name] = _hash_entry(zf, info)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, NotImplementedError,
                    zlib_error) as e:
                if name == MANIFEST:  # without the manifest nothing can be checked
                    raise NotABundle(f"{path}: {MANIFEST} cannot be read ({first_line(e)}) / "
                                     "マニフェストを読めません") from None
                problems.append(f"unreadable (読めません): {name}: {first_line(e)}")
    if MANIFEST not in small:
        if MANIFEST in seen:  # present but refused (an unsafe or special entry)
            raise NotABundle(f"{path}: {MANIFEST} cannot be read ({'; '.join(problems)}) / マニフェストを読めません")
        raise NotABundle(f"{path}: not an evidence bundle (no {MANIFEST}) / 証跡パッケージではありません")
    listed = _listed_files(path, small[MANIFEST])
    actual = digests[MANIFEST]
    if recorded is not None and actual != recorded:
        problems.append(f"changed (変更): {MANIFEST} (sha256 {actual}, recorded {recorded})")
    for name, digest in sorted(listed.items()):
        if unsafe(name):
            problems.append(f"unsafe path in the manifest (不正なパス): {name}")
        elif name not in digests and name not in seen:
            problems.append(f"removed (削除): {name}")
        elif name in digests and digests[name] != digest:
            problems.append(f"changed (変更): {name}")
    for name in sorted(digests):
        if name not in (MANIFEST, signing.SIGNATURE) and name not in listed:
            problems.append(f"added (追加): {name}")
    signature, signer = "absent", None
    if signing.SIGNATURE in small:
        signature = "unchecked"
        if key is not None:
            result = signing.check(small[signing.SIGNATURE], small[MANIFEST], key)
            signature, signer = ("valid", result.keyid) if result.valid else ("invalid", None)
            if not result.valid:
                problems.append(f"bad signature (署名が一致しません): {result.problem}")
    elif key is not None:
        problems.append(f"not signed (署名がありません): the bundle has no {signing.SIGNATURE}")
    return Verdict(problems, len(listed), actual, signature, signer)


def _listed_files(path: Path, manifest: bytes) -> dict[str, str]:
    try:
        doc = json.loads(manifest.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise NotABundle(f"{path}: {MANIFEST} is not JSON ({e}) / マニフェストが JSON ではありません") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), list):
        raise NotABundle(f"{path}: {MANIFEST} is not a {FORMAT} manifest / 証跡パッケージのマニフェストではありません")
    listed: dict[str, str] = {}
    for entry in doc["files"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)):
            raise NotABundle(f"{path}: {MANIFEST}: a 'files' entry lacks path or sha256 / マニフェストの形式が不正です")
        listed[entry["path"]] = entry["sha256"].lower()
    return listed
