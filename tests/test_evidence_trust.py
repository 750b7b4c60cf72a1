"""Evidence an auditor can trust: signed manifests (DSSE), honest wording when a bundle is only
hashed, and a verifier that streams, caps and refuses what sansho never writes."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sansho.reports import evidence as ev
from sansho.reports import signing

from .support.cli import run
from .test_evidence import _rewrite, resources, scan, store_path  # noqa: F401 - fixtures

__all__ = ["resources"]


def _keypair(folder, name):
    key = ed25519.Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    return _keypair(folder, "producer"), _keypair(folder, "someone-else")


@pytest.fixture(scope="module")
def signed(store_path, keys, tmp_path_factory):  # noqa: F811
    (private, _), _ = keys
    out = tmp_path_factory.mktemp("signed") / "bundle.zip"
    r = run("evidence", "--framework", "mhlw6", "--period", "2026Q4", "-o", str(out), "--history", str(store_path),
            "--sign-key", str(private), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert ", signed). Record this SHA-256 of manifest.json:" in r.stderr
    return out


@pytest.fixture(scope="module")
def unsigned(store_path, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("unsigned") / "bundle.zip"
    r = run("evidence", "--framework", "mhlw6", "-o", str(out), "--history", str(store_path))
    assert r.returncode == 0, r.stderr
    return out


def test_a_signed_bundle_verifies_with_the_producers_key(signed, keys):
    (_, public), _ = keys
    envelope = json.loads(zipfile.ZipFile(signed).read(signing.SIGNATURE))
    assert envelope["payloadType"] == signing.PAYLOAD_TYPE and len(envelope["signatures"]) == 1
    r = run("evidence", "verify", str(signed), "--key", str(public))
    assert r.returncode == 0, r.stdout
    assert r.stdout.strip().endswith(f"signed by key {envelope['signatures'][0]['keyid']} / 署名を確認しました")
    r = run("evidence", "verify", str(signed))
    assert r.returncode == 0
    assert r.stdout.strip().endswith("signed, but no --key given: integrity only / "
                                     "署名付きですが --key が指定されていないため整合性のみ確認")


def test_rewriting_files_and_manifest_together_is_caught_only_by_the_signature(signed, keys, tmp_path):
    (_, public), _ = keys
    manifest = json.loads(zipfile.ZipFile(signed).read(ev.MANIFEST))
    victim = next(f for f in manifest["files"] if "karte-virginia" in f["path"])
    forged_doc = zipfile.ZipFile(signed).read(victim["path"]).replace(b"us-east-1", b"ap-northeast-1")
    victim["sha256"] = ev.sha256(forged_doc)
    forged = tmp_path / "forged.zip"
    _rewrite(signed, forged, change={victim["path"]: lambda d: forged_doc,
                                     ev.MANIFEST: lambda d: json.dumps(manifest).encode()})
    r = run("evidence", "verify", str(forged))  # the hashes all match the rewritten manifest
    assert r.returncode == 0 and "integrity only" in r.stdout
    r = run("evidence", "verify", str(forged), "--key", str(public))
    assert (r.returncode, r.stdout) == (1, f"{forged}: bad signature (署名が一致しません): "
                                           f"{signing.SIGNATURE} signs a different manifest.json\n")


def test_a_signature_by_another_key_or_none_fails(signed, unsigned, keys):
    _, (_, other) = keys
    r = run("evidence", "verify", str(signed), "--key", str(other))
    assert r.returncode == 1
    assert r.stdout.startswith(f"{signed}: bad signature (署名が一致しません): the signature does not verify with "
                               "the given key")
    r = run("evidence", "verify", str(unsigned), "--key", str(other))
    assert (r.returncode, r.stdout) == (1, f"{unsigned}: not signed (署名がありません): the bundle has no "
                                           f"{signing.SIGNATURE}\n")


def test_unsigned_verify_says_integrity_only(unsigned):
    r = run("evidence", "verify", str(unsigned))
    assert r.returncode == 0
    assert r.stdout.strip().endswith("unsigned — integrity only: a rewritten manifest would not be noticed; give "
                                     "--manifest-sha256 or sign bundles (--sign-key) / 署名なし — 整合性のみ確認")


def test_bad_keys_are_one_line(store_path, tmp_path):  # noqa: F811
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key", encoding="utf-8")
    r = run("evidence", "--framework", "mhlw6", "-o", str(tmp_path / "b.zip"), "--history", str(store_path),
            "--sign-key", str(junk))
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith(f"sansho: error: {junk}: not a PEM private key (")
    assert not (tmp_path / "b.zip").exists()
    r = run("evidence", "verify", str(tmp_path / "b.zip"), "--key", str(tmp_path / "missing.pub"))
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {tmp_path / 'missing.pub'}: no such file "
                                           "(public key / 公開鍵)\n")


@pytest.mark.parametrize("value", ["abc", "g" * 64, "0" * 63, ""])
def test_a_malformed_recorded_hash_is_a_usage_error(unsigned, value):
    r = run("evidence", "verify", str(unsigned), "--manifest-sha256", value)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"sansho: error: --manifest-sha256: {value!r} is not a SHA-256 (64 hexadecimal digits) / "
                        "SHA-256 の値ではありません\n")


def test_an_unzipped_and_rezipped_bundle_still_verifies(unsigned, tmp_path):
    folder = tmp_path / "unpacked"
    subprocess.run(["unzip", "-q", str(unsigned), "-d", str(folder)], check=True)
    rezipped = tmp_path / "rezipped.zip"
    subprocess.run(["zip", "-q", "-r", str(rezipped), "."], cwd=folder, check=True)
    assert any(n.endswith("/") for n in zipfile.ZipFile(rezipped).namelist())  # zip -r adds folder entries
    r = run("evidence", "verify", str(rezipped))
    assert r.returncode == 0, r.stdout
    assert r.stdout.startswith(f"{rezipped}: intact / 改ざんなし")


def test_symlinks_and_bad_crcs_are_named(unsigned, tmp_path):
    linked = tmp_path / "linked.zip"
    _rewrite(unsigned, linked)
    with zipfile.ZipFile(linked, "a") as zf:
        info = zipfile.ZipInfo("evidence/link.json")
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    r = run("evidence", "verify", str(linked))
    assert (r.returncode, r.stdout) == (1, f"{linked}: symlink entry (シンボリックリンク): evidence/link.json\n")

    names = zipfile.ZipFile(unsigned).namelist()
    target = next(n for n in names if "karte-virginia" in n)
    data = bytearray(unsigned.read_bytes())
    with zipfile.ZipFile(unsigned) as zf:
        info = zf.getinfo(target)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 2] ^= 0xFF  # one byte of the compressed stream: the CRC no longer matches
    crc = tmp_path / "crc.zip"
    crc.write_bytes(bytes(data))
    r = run("evidence", "verify", str(crc))
    assert r.returncode == 1, r.stderr
    [line] = r.stdout.splitlines()
    assert line.startswith(f"{crc}: unreadable (読めません): {target}: ")


def test_a_zip_bomb_is_refused_without_inflating_it(unsigned, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    _rewrite(unsigned, bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as zf, \
            zf.open("evidence/zeros.json", "w") as f:
        for _ in range(64):
            f.write(bytes(1024 * 1024))  # 64 MiB of zeros deflate to ~64 KiB: a ratio of ~1000
    r = run("evidence", "verify", str(bomb))
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].startswith(f"{bomb}: suspicious compression ratio (圧縮率が異常です): "
                                               "evidence/zeros.json (67108864 bytes from ")
    monkeypatch.setattr(ev, "MAX_TOTAL_BYTES", 1024 * 1024)
    with pytest.raises(ev.NotABundle, match="over the 1048576 byte limit"):
        ev.verify(bomb)
