"""Import checkov's parsers without its ~1,000 built-in checks.

``import checkov.terraform.tf_parser`` first runs the package's ``__init__``, and checkov's
package ``__init__`` modules import every built-in check (Terraform: 992 modules). ``sansho iac``
runs none of them, and importing them costs a sixth of a run on a 500-resource corpus. The
package module is registered without running its ``__init__``; the names that ``__init__``
re-exports for checkov's own modules (``checkov.terraform`` re-exports
``checkov.terraform.modules``) are copied in, so the parser and the graph see what they import.

checkov is pinned exactly (pyproject, ``iac`` extra), so what these ``__init__`` modules hold is
known; ``tests/iac`` run against this path. Inside a checkov run (sansho's checks loaded with
``--external-checks-dir``) the packages are already imported for real and nothing changes.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

# package → the module whose public names its __init__ re-exports besides the checks
_REEXPORTS: dict[str, str | None] = {
    "checkov.terraform": "checkov.terraform.modules",
    "checkov.cloudformation": None,
}


def without_builtin_checks(package: str) -> None:
    if package in sys.modules:
        return
    parent_name, _, child = package.rpartition(".")
    parent = importlib.import_module(parent_name)
    spec = importlib.util.find_spec(package)
    if spec is None:  # pragma: no cover - checkov is pinned; the import below then fails as usual
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    setattr(parent, child, module)
    source = _REEXPORTS[package]
    if source is not None:
        names = importlib.import_module(source)
        public = getattr(names, "__all__", None) or [n for n in vars(names) if not n.startswith("_")]
        module.__dict__.update({n: getattr(names, n) for n in public})
