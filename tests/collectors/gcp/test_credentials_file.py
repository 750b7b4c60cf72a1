"""A bad GOOGLE_APPLICATION_CREDENTIALS file (missing, not JSON, not credentials) is named in one
line, exit 2; before, google-auth said "no credentials found" or crashed on a JSON list."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SANSHO = str(Path(sys.executable).with_name("sansho"))


@pytest.mark.parametrize("content,why", [
    (None, "file not found / 認証情報ファイルがありません"),
    ("{bad", "not JSON (line 1, column 2: Expecting property name enclosed in double quotes) / "
             "認証情報ファイルが JSON ではありません"),
    ("[]", "not a Google credentials file (a JSON object with a 'type') / Google の認証情報ファイルではありません"),
    ('{"type": "service_account", "client_email": "x@p.iam.gserviceaccount.com"}',
     "not usable credentials: Service account info was not in the expected format, missing fields token_uri. / "
     "認証情報ファイルを使用できません"),
])
def test_a_bad_credentials_file_is_named(tmp_path, content, why):
    path = tmp_path / "adc.json"
    if content is not None:
        path.write_text(content)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "CLOUDSDK_"))}
    env.update(GOOGLE_APPLICATION_CREDENTIALS=str(path), NO_GCE_CHECK="true", CLOUDSDK_CONFIG=str(tmp_path / "gc"))
    r = subprocess.run([SANSHO, "collect", "gcp", "--projects", "p", "-o", str(tmp_path / "out.json")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert (r.returncode, r.stderr) == (2, f"sansho: error: GOOGLE_APPLICATION_CREDENTIALS={path}: {why}\n")
