"""Run the installed `sansho` command as a user would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SANSHO = str(Path(sys.executable).with_name("sansho"))


def run(*args: str, cwd: Path | None = None, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SANSHO_LANG", "SANSHO_DEBUG", "SANSHO_CHUNK")}
    env.update(env_extra or {})
    return subprocess.run([SANSHO, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
