"""docs/guideline-coverage.yaml and the .md rendered from it (issue #17's coverage count).

The table says, for every concrete requirement of the seed texts, which controls check it and
whether fully. These tests keep it honest against the catalog: every control it names exists, the
statuses are the three the page explains, the counts at the top of the .md are the YAML's, and the
.md is exactly what scripts/guideline_coverage.py renders. They read only files in the repository
(the seeds themselves are not in a user's clone: rows cite them by name).
"""

from __future__ import annotations

import re
import runpy
from collections import Counter
from pathlib import Path

import pytest
import yaml

from sansho.policies.catalog import SEED_FILES

ROOT = Path(__file__).resolve().parent.parent
YAML_PATH = ROOT / "docs" / "guideline-coverage.yaml"
MD_PATH = ROOT / "docs" / "guideline-coverage.md"
GENERATOR = ROOT / "scripts" / "guideline_coverage.py"
FIELDS = {"id", "volume", "chapter", "item", "verified", "seed", "seed_ref", "quote", "requirement",
          "controls", "status", "gap", "planned", "note"}
VOLUMES = {None, "概説編", "経営管理編", "企画管理編", "システム運用編", "提供事業者GL 第1.1版"}
COUNTS = re.compile(r"^\*\*(\d+) requirements — covered (\d+) / partly (\d+) / missing (\d+)\*\*$", re.M)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))["requirements"]


@pytest.fixture(scope="module")
def generator() -> dict:
    return runpy.run_path(str(GENERATOR))


def test_every_row_has_exactly_the_documented_fields(rows):
    assert rows
    for r in rows:
        assert set(r) == FIELDS, (r.get("id"), set(r) ^ FIELDS)
        assert set(r["requirement"]) == {"ja", "en"} and all(r["requirement"].values()), r["id"]
        assert isinstance(r["verified"], bool), r["id"]


def test_ids_are_unique_and_numbered_in_order(rows):
    ids = [r["id"] for r in rows]
    assert ids == [f"GC-{n:03d}" for n in range(1, len(rows) + 1)]


def test_every_named_control_exists_in_the_catalog(rows, catalog):
    known = {c.id for c in catalog}
    unknown = {(r["id"], c) for r in rows for c in r["controls"] if c not in known}
    assert not unknown


def test_every_status_is_one_of_three_and_agrees_with_the_controls_and_gap(rows):
    for r in rows:
        assert r["status"] in ("covered", "partly", "missing"), r["id"]
        assert len(set(r["controls"])) == len(r["controls"]), r["id"]
        if r["status"] == "covered":
            assert r["controls"] and r["gap"] is None and r["planned"] is None, r["id"]
        elif r["status"] == "partly":
            assert r["controls"] and r["gap"], f"{r['id']}: partly says what is missing"
        else:
            assert not r["controls"] and r["gap"], r["id"]


def test_seed_files_are_the_catalogs_seed_texts(rows):
    assert {r["seed"] for r in rows} <= set(SEED_FILES)
    # Every seed text is gone through; the overview article only where nothing else carries a measure.
    assert {r["seed"] for r in rows} == set(SEED_FILES)


def test_places_are_6_0_volumes_and_unverified_numbers_say_so(rows):
    for r in rows:
        assert r["volume"] in VOLUMES, r["id"]
        if r["volume"] is None:
            assert r["chapter"] is None and r["item"] is None and not r["verified"], r["id"]
            assert "番号未確認" in r["note"], f"{r['id']}: a row with no place says why"
        else:
            assert r["chapter"] and re.fullmatch(r"\d+(\.\d+)*", r["chapter"]), r["id"]
        if r["item"] is not None:
            assert re.fullmatch(r"[①-⑳](?: [a-z])?", r["item"]), (r["id"], r["item"])


def test_quotes_are_short_and_never_a_file_name(rows):
    for r in rows:
        assert 0 < len(r["quote"]) <= 60, (r["id"], len(r["quote"]))
        assert ".txt" not in r["quote"] and not any(s.split(".")[0] in r["quote"] for s in SEED_FILES)


def test_planned_work_is_one_of_the_issue_items_and_only_on_open_rows(rows, generator):
    for r in rows:
        if r["planned"] is not None:
            assert r["planned"] in generator["PLANNED"], (r["id"], r["planned"])
            assert r["status"] != "covered", r["id"]


def test_counts_at_the_top_of_the_md_are_the_yamls(rows):
    text = MD_PATH.read_text(encoding="utf-8")
    first = COUNTS.search(text)
    assert first and text.index(first.group(0)) < text.index("## "), "the counts sit above the first section"
    status = Counter(r["status"] for r in rows)
    assert tuple(map(int, first.groups())) == (len(rows), status["covered"], status["partly"], status["missing"])
    assert sum(map(int, first.groups()[1:])) == int(first.group(1))


def test_md_is_rendered_from_the_yaml(rows, generator):
    expected = generator["render"](rows, generator["base_of"](YAML_PATH))
    assert MD_PATH.read_text(encoding="utf-8") == expected, \
        "docs/guideline-coverage.md is stale: run .venv/bin/python scripts/guideline_coverage.py"
    for r in rows:
        assert f"| {r['id']} |" in expected and ", ".join(r["controls"]) in expected


def test_check_mode_reports_a_stale_md(generator, tmp_path, monkeypatch, capsys):
    stale = tmp_path / "guideline-coverage.md"
    stale.write_text("# edited by hand\n", encoding="utf-8")
    main = generator["main"]
    monkeypatch.setitem(main.__globals__, "MD_PATH", stale)
    monkeypatch.setitem(main.__globals__, "ROOT", tmp_path)
    assert main(["--check"]) == 1
    assert capsys.readouterr().out == (
        "guideline-coverage.md is stale: run .venv/bin/python scripts/guideline_coverage.py\n")
    assert stale.read_text(encoding="utf-8") == "# edited by hand\n"


def test_duties_checked_beyond_the_seeds_name_catalog_controls_and_reach_the_page(generator, catalog):
    known = {c.id for c in catalog}
    beyond = generator["BEYOND_SEEDS"]
    assert beyond and all(ids for _, ids, _ in beyond)
    assert {i for _, ids, _ in beyond for i in ids} <= known
    text = MD_PATH.read_text(encoding="utf-8")
    section = text[text.index("## Checked beyond the seeds"):text.index("## Still open")]
    for duty, ids, source in beyond:
        assert f"{duty} ({', '.join(ids)}; {source})" in section
