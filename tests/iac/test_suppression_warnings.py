"""An inline suppression that does not mute is reported once, however many resources its block
makes (count, for_each, a module used twice)."""

from __future__ import annotations

import json

from tests.support.cli import run

MAIN_TF = '''provider "aws" {
  region = "ap-northeast-1"
}

# sansho:ignore SAN-ENC-001 reason="test buckets" until=2020-01-01
resource "aws_s3_bucket" "b" {
  count  = 3
  bucket = "b-${count.index}"
}
'''


def test_an_expired_suppression_over_a_counted_block_is_one_warning(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    out = tmp_path / "findings.json"
    r = run("iac", ".", "--format", "json", "-o", str(out), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert r.stderr == "sansho: warning: main.tf:5: sansho:ignore SAN-ENC-001 does not mute (expired) / 抑止は無効です\n"
    notes = [n for n in json.loads(out.read_text())["notes"] if "inline suppression" in n]
    assert notes == ["1 inline suppression(s) do not mute / 無効なインライン抑止 1 件: main.tf:5 SAN-ENC-001 (expired)"]
