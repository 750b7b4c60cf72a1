"""Package discovery for the one ``sansho`` namespace.

The repository's top-level folders map into ``sansho.*`` (see ../README and docs/architecture.md).
pyproject.toml cannot discover packages under such a mapping, so the list is found here, from the
folders themselves: a new subpackage can never be left out of the wheel by a hand-kept list.
"""

from setuptools import find_packages, setup

PACKAGE_DIR = {
    "sansho.policies": "policies",
    "sansho.collectors": "collectors",
    "sansho.reports": "reports",
    "sansho.rego": "rego",
}


def packages() -> list[str]:
    found = []
    for namespace, folder in PACKAGE_DIR.items():
        found.append(namespace)
        found += [f"{namespace}.{sub}" for sub in find_packages(folder)]
    return found


setup(package_dir=PACKAGE_DIR, packages=packages())
