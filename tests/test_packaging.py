"""The wheel must carry every subpackage: a folder left out of `packages` works in an editable
checkout and breaks for every user who installs the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_folder_is_a_listed_package():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(cfg["packages"])
    found = set()
    for dotted, folder in cfg["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([dotted, *rel.parts]))
    assert found == listed, f"missing from packages: {sorted(found - listed)}; listed but absent: {sorted(listed - found)}"


def test_pulumi_folder_is_not_importable():
    assert not (ROOT / "pulumi" / "__init__.py").exists()
