"""The wheel must carry every module and data file: a folder left out works in an editable
checkout and breaks for every user who installs the wheel. setup.py discovers the packages;
these tests build the real wheel and import every module from it, apart from the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"policies": "sansho/policies", "collectors": "sansho/collectors", "reports": "sansho/reports",
           "rego": "sansho/rego"}
# data the tool reads at run time (importlib.resources), by suffix
DATA_SUFFIXES = {".yaml", ".json", ".rego", ".mako", ".html", ".css", ".js", ".j2", ".typed"}


def _tracked(folder: str) -> list[Path]:
    return [p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (whl,) = out.glob("sansho-*.whl")
    return whl


def test_wheel_carries_every_module_and_data_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"{FOLDERS[folder]}/{p.relative_to(ROOT / folder).as_posix()}"
                for folder in FOLDERS for p in _tracked(folder)
                if p.suffix == ".py" or p.suffix in DATA_SUFFIXES or p.name == "py.typed"}
    assert expected - names == set(), f"left out of the wheel: {sorted(expected - names)}"
    assert not any(n.startswith(("pulumi/", "tests/")) for n in names)


def test_every_module_imports_from_the_wheel(wheel: Path, tmp_path: Path):
    zipfile.ZipFile(wheel).extractall(tmp_path)
    modules = sorted(
        ".".join(p.relative_to(tmp_path).with_suffix("").parts).removesuffix(".__init__")
        for p in tmp_path.rglob("*.py")
        # __main__ runs the CLI; Alembic's env.py runs only inside a migration (it reads
        # alembic.context.config), and the migrations test imports it there
        if p.name != "__main__.py" and not p.match("*/migrations/env.py"))
    code = (
        "import importlib, sys\n"
        # the editable install's finder would serve the checkout instead of the wheel
        "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in type(f).__module__.lower()\n"
        "                    and 'editable' not in getattr(f, '__name__', '').lower()]\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "for name in sys.argv[1:]:\n"
        "    m = importlib.import_module(name)\n"
        f"    assert m.__file__.startswith({str(tmp_path)!r}), (name, m.__file__)\n"
        "print(len(sys.argv) - 1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.strip()) == len(modules) > 100


def test_pulumi_folder_is_not_importable():
    assert not (ROOT / "pulumi" / "__init__.py").exists()
