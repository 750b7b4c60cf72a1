"""`sansho evidence verify` on a bundle whose zip entry CRC was corrupted: a bad manifest is an
input error (exit 2, one line); a bad evidence file is named as unreadable (exit 1)."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path

import pytest

from sansho.policies.engine.core import Engine
from sansho.policies.model import ObjectStorage
from sansho.reports import evidence as ev
from sansho.reports import framework as fwv
from sansho.reports.history.records import SavedScan

from .support.cli import run


@pytest.fixture(scope="module")
def bundle(catalog, tmp_path_factory) -> Path:
    result = Engine(catalog).scan([ObjectStorage(id="arn:aws:s3:::karte", provider="aws", region="ap-northeast-1",
                                                 encrypted=True, raw={"Name": "karte"})],
                                  [catalog["SAN-ENC-001"]], today=dt.date(2026, 11, 1))
    saved = SavedScan.from_result(result, tool_version="0.1.0")
    saved.id = 1
    out = tmp_path_factory.mktemp("bundle") / "bundle.zip"
    ev.write(ev.build(fwv.build(catalog, "mhlw6", saved), catalog, "0.1.0", "2026Q4", "en"), out)
    return out


def corrupt_crc(src: Path, dst: Path, entry: str) -> None:
    """Flip the CRC-32 that the central directory records for ``entry``."""
    data = bytearray(src.read_bytes())
    i = data.find(b"PK\x01\x02")
    while i >= 0:
        name_len = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + name_len].decode() == entry:
            crc = struct.unpack_from("<I", data, i + 16)[0]
            struct.pack_into("<I", data, i + 16, crc ^ 0xFFFFFFFF)
        i = data.find(b"PK\x01\x02", i + 4)
    dst.write_bytes(bytes(data))


def test_bad_crc_on_the_manifest_is_exit_2(bundle, tmp_path):
    bad = tmp_path / "bad.zip"
    corrupt_crc(bundle, bad, "manifest.json")
    r = run("evidence", "verify", str(bad))
    assert (r.returncode, r.stdout, r.stderr) == (2, "", (
        f"sansho: error: {bad}: manifest.json cannot be read (Bad CRC-32 for file 'manifest.json') / "
        "マニフェストを読めません\n"))


def test_bad_crc_on_an_evidence_file_names_it(bundle, tmp_path):
    entry = next(n for n in zipfile.ZipFile(bundle).namelist() if n.startswith("evidence/"))
    bad = tmp_path / "bad.zip"
    corrupt_crc(bundle, bad, entry)
    r = run("evidence", "verify", str(bad))
    assert (r.returncode, r.stdout) == (1, f"{bad}: unreadable (読めません): {entry}: Bad CRC-32 for file '{entry}'\n")
