"""Meta-tests over the framework files (policies/catalog/frameworks/*.yaml): requirement → controls,
one direction, and the reverse lookup the catalog derives from them."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from sansho.policies.catalog import Catalog, catalog_dir, load_catalog, load_framework
from sansho.policies.errors import InputError

FRAMEWORK_DIR = catalog_dir() / "frameworks"


def test_the_four_frameworks_load_in_order(catalog):
    assert list(catalog.frameworks) == ["mhlw6", "ismap", "soc2", "iso27001"]
    assert sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml")) == sorted(catalog.frameworks)
    for fw in catalog.frameworks.values():
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", fw.name.ja), fw.id
        for req in fw.requirements:
            assert req.title.ja.strip() and req.title.en.strip(), (fw.id, req.id)


@pytest.mark.parametrize("path", sorted(FRAMEWORK_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_requirement_names_existing_controls(path, catalog):
    fw = load_framework(path)
    ids = [r.id for r in fw.requirements]
    assert len(ids) == len(set(ids))
    for req in fw.requirements:
        assert req.controls, f"{fw.id} {req.id}: no control"
        unknown = [cid for cid in req.controls if cid not in catalog]
        assert not unknown, f"{fw.id} {req.id}: unknown controls {unknown}"


def test_every_control_serves_a_mhlw6_requirement(catalog):
    covered = {cid for req in catalog.frameworks["mhlw6"].requirements for cid in req.controls}
    missing = [c.id for c in catalog if c.check in ("automated", "attestation") and c.id not in covered]
    assert not missing, f"controls under no 第6.0版 requirement: {missing}"


def test_mhlw6_cites_the_guideline_structure(catalog):
    for req in catalog.frameworks["mhlw6"].requirements:
        assert re.match(r"^(概説編|経営管理編|企画管理編|システム運用編) ", req.id), req.id


def test_records_no_longer_carry_crosswalks():
    for path in sorted(catalog_dir().glob("SAN-*.yaml")):
        assert "crosswalks" not in yaml.safe_load(path.read_text(encoding="utf-8")), path.name


def test_reverse_lookup_is_derived_from_the_framework_files(catalog):
    assert catalog.crosswalks("SAN-LOC-001") == {
        "mhlw6": ["企画管理編 7 ⑥ h"], "ismap": ["18.1.1"], "soc2": [], "iso27001": ["A.5.23", "A.5.31", "A.5.34"],
    }
    assert catalog.crosswalks("SAN-BKP-008") == {
        "mhlw6": ["システム運用編 12 ④"], "ismap": ["12.3.1", "17.1.2"], "soc2": ["A1.2", "A1.3"],
        "iso27001": ["A.5.30", "A.8.13"],
    }
    # Every (framework, requirement, control) triple appears exactly once in the reverse view.
    forward = {(fw.id, req.id, cid) for fw in catalog.frameworks.values() for req in fw.requirements
               for cid in req.controls}
    reverse = {(fw, req, c.id) for c in catalog for fw, reqs in catalog.crosswalks(c.id).items() for req in reqs}
    assert forward == reverse
    assert catalog["SAN-LOC-001"].summary()["crosswalks"] == catalog.crosswalks("SAN-LOC-001")


def _catalog_copy(tmp_path):
    d = tmp_path / "catalog"
    shutil.copytree(catalog_dir(), d, ignore=shutil.ignore_patterns("examples"))
    return d


def _edit(path, edit):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("fw", "edit", "message"), [
    ("soc2", lambda d: d.update(extra="x"), r"soc2\.yaml: .*extra.*"),
    ("soc2", lambda d: d["requirements"][0].update(controls=[]), r"soc2\.yaml: field 'requirements\[0\]\.controls': List should have at least 1 item"),
    ("iso27001", lambda d: d["requirements"][0].update(id="A.9.1"),
     r"iso27001\.yaml: .*'A\.9\.1' is not an ISO/IEC 27001:2022 Annex A control"),
    ("ismap", lambda d: d["requirements"].append(dict(d["requirements"][0])), r"ismap\.yaml: .*listed twice"),
    ("mhlw6", lambda d: d.update(id="mhlw5"), r"mhlw6\.yaml: field 'id' is 'mhlw5'"),
])
def test_a_bad_framework_file_is_one_clear_error(tmp_path, fw, edit, message):
    d = _catalog_copy(tmp_path)
    _edit(d / "frameworks" / f"{fw}.yaml", edit)
    with pytest.raises(InputError, match=message):
        load_catalog.__wrapped__(str(d))


def test_an_unknown_control_in_a_framework_is_an_error(tmp_path):
    d = _catalog_copy(tmp_path)
    _edit(d / "frameworks" / "soc2.yaml", lambda doc: doc["requirements"][0]["controls"].append("SAN-ENC-999"))
    with pytest.raises(InputError, match=r"framework soc2: requirement 'CC1\.3' names unknown control SAN-ENC-999"):
        load_catalog.__wrapped__(str(d))


def test_a_catalog_without_frameworks_still_loads(catalog):
    bare = Catalog(list(catalog))
    assert bare.frameworks == {}
    assert bare.crosswalks("SAN-LOC-001") == {}
    assert bare["SAN-LOC-001"].summary()["crosswalks"] == {}
    # the other catalog's controls keep their own derived view
    assert catalog["SAN-LOC-001"].summary()["crosswalks"]["ismap"] == ["18.1.1"]


def test_sarif_rules_carry_the_derived_crosswalks(catalog):
    import datetime as dt

    from sansho.policies.engine.core import Engine
    from sansho.policies.model import ObjectStorage
    from sansho.reports import sarif

    result = Engine(catalog).scan([ObjectStorage(id="b", provider="aws", region="us-east-1")], [catalog["SAN-LOC-001"]],
                                  today=dt.date(2026, 11, 1))
    rule = sarif.render(result, catalog, "ja", "0.1.0")["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "SAN-LOC-001"
    assert rule["properties"]["crosswalks"] == catalog.crosswalks("SAN-LOC-001")
