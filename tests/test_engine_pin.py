"""The Rego engine is installed by hash: requirements/engine.txt pins the version pyproject.toml
names with a sha256 for every file of it on PyPI, and the README's commands (and .ci/run's copy
of the test command) install it with --require-hashes before the editable install."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "requirements" / "engine.txt"
# gordon-to-regorus 0.13.0 on PyPI: five wheels (Linux x86_64/aarch64, macOS x86_64/arm64, Windows) and the sdist
FILES_ON_PYPI = 6


def test_the_engine_is_pinned_by_hash():
    text = ENGINE.read_text()
    requirement = re.sub(r"\\\n\s*", " ", "\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))
    name_version, *options = requirement.split()
    assert name_version == "gordon-to-regorus==0.13.0"
    hashes = [o.removeprefix("--hash=sha256:") for o in options]
    assert all(o.startswith("--hash=sha256:") for o in options) and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    assert len(set(hashes)) == FILES_ON_PYPI
    # the same pin as the package's own dependency, and the one installed here
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"gordon-to-regorus==0.13.0"' in pyproject
    assert metadata.version("gordon-to-regorus") == "0.13.0"


def test_readme_and_ci_install_it_with_require_hashes_first():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in block.splitlines() if ln and not ln.startswith("#")]
    assert len(commands) == 2
    pin = ".venv/bin/pip install -q --require-hashes -r requirements/engine.txt && .venv/bin/pip install -q -e "
    assert all(pin in c for c in commands), commands
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln and not ln.startswith("#")]
    assert ci[-1] == commands[1]  # .ci/run ends with the README's test command, verbatim
