"""Guideline fidelity of the control catalog: what each control cites, and its Japanese text.

A control's primary source is 第6.0版 (or the METI/MIC provider guideline) by 編, chapter and
遵守事項 item, as the 第6.0版 Q&A cites clauses (「システム運用編 14 ⑥」, 「企画管理編 7 ⑥ h」). The
earlier edition and the overview article only ever appear as labelled secondary references, and a
citation never shows the repository's own file names.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from sansho.policies.catalog import (
    SEED_FILES,
    UNVERIFIED_MARK,
    Control,
    Text,
    catalog_dir,
    join_japanese,
)

MHLW6 = "医療情報システムの安全管理に関するガイドライン 第6.0版"
PROVIDER = "医療情報を取り扱う情報システム・サービスの提供事業者における安全管理ガイドライン 第1.1版"
COMMENTARY_SEED = "002_950bf81c1abcb6f6.txt"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# 「… 第6.0版 システム運用編 14 ⑥」, 「… 企画管理編 7 ⑥ h」, 「… システム運用編 3.3」 (a numbered section),
# or a bare chapter when the item could not be verified (then the record says so).
MHLW6_CITATION = re.compile(
    rf"^{MHLW6} (概説編|経営管理編|企画管理編|システム運用編) (?P<section>\d+(?:\.\d+)*)"
    rf"(?: (?P<item>[{CIRCLED}](?: [a-z])?))?(?P<mark> {re.escape(UNVERIFIED_MARK)})?$")
PROVIDER_CITATION = re.compile(rf"^{PROVIDER} \d+(?:\.\d+)*(?: \S+)?(?: {re.escape(UNVERIFIED_MARK)})?$")
JA = (r"[\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
      r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff9f]")
STRAY_SPACE = re.compile(rf"{JA}[ \t]+{JA}")
# Project wording: write-once storage is 書換え・削除不能 (a log that is 追記不能 could take no new
# entries), and the guideline writes 書換え. Verbatim quotes of the guideline keep its own words.
FORBIDDEN = ("追記不能", "書き換え")


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string in a JSON-like value, with where it sits."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{path}[{i}]")]
    return []


def _sample_doc() -> dict[str, Any]:
    return yaml.safe_load((catalog_dir() / "SAN-LOC-001.yaml").read_text(encoding="utf-8"))


def test_every_primary_citation_is_6_0_by_volume_chapter_and_item(catalog):
    for c in catalog:
        s = c.source
        assert s.role == "primary" and s is c.sources[0], c.id
        citation = s.cite()
        if s.edition == "第6.0版":
            m = MHLW6_CITATION.match(citation)
            assert m, f"{c.id}: {citation!r} is not 第6.0版 編 + chapter + item"
            # The item may be missing only for a numbered section (3.3) or a number marked unverified.
            assert m["item"] or "." in m["section"] or not s.verified, f"{c.id}: {citation!r} names no item"
        else:
            assert s.edition == "提供事業者GL 第1.1版", f"{c.id}: primary source is {s.edition}"
            assert PROVIDER_CITATION.match(citation), f"{c.id}: {citation!r}"


def test_no_page_numbers_in_citations(catalog):
    for c in catalog:
        for s in c.sources:
            citation = s.cite()
            assert "p." not in citation and not re.search(r"\d+\s*(ページ|頁)", citation), f"{c.id}: {citation!r}"
            assert not re.search(r"\bp\.?\s*\d", s.section + " " + (s.item or "")), f"{c.id}: {s.section} {s.item}"


def test_the_overview_article_is_never_the_primary_source(catalog):
    for c in catalog:
        assert c.source.seed != COMMENTARY_SEED and c.source.edition != "解説記事", c.id
        for s in c.sources:
            if s.seed == COMMENTARY_SEED or s.edition == "解説記事":
                assert s.role == "commentary", f"{c.id}: the overview article cited as {s.role}"


def test_the_earlier_edition_is_only_a_labelled_secondary_reference(catalog):
    for c in catalog:
        for s in c.sources[1:]:
            assert s.role in ("secondary", "commentary"), c.id
        for s in c.sources:
            if s.edition == "旧版(第4・5版)":
                assert s.role == "secondary", c.id
                assert "旧版(第4・5版)" in s.cite(), c.id


def test_citations_never_print_a_seed_file_name(catalog):
    for c in catalog:
        summary = c.summary()
        citations = [s.cite() for s in c.sources] + [summary["source"]["citation"]]
        citations += [s["citation"] for s in summary["sources"]]
        for citation in citations:
            assert ".txt" not in citation and "[0" not in citation, f"{c.id}: {citation!r}"
            assert not any(seed.split(".")[0] in citation for seed in SEED_FILES), f"{c.id}: {citation!r}"


def test_summary_keeps_the_primary_source_and_adds_all_sources(catalog):
    c = catalog["SAN-BKP-005"]
    summary = c.summary()
    assert summary["source"] == summary["sources"][0]
    assert summary["source"]["citation"] == c.source.cite()
    assert [s["role"] for s in summary["sources"]] == [s.role for s in c.sources]
    assert summary["sources"][1]["edition"] == "旧版(第4・5版)"
    assert summary["source"]["document"] == MHLW6 and summary["source"]["seed"]  # kept as data, not printed


def test_unverified_numbers_carry_a_note_and_are_marked_in_the_citation(catalog):
    unverified = 0
    for c in catalog:
        for s in c.sources:
            if s.verified:
                assert UNVERIFIED_MARK not in s.cite(), c.id
            else:
                unverified += 1
                assert s.note and s.note.strip(), f"{c.id}: unverified record without a note"
                assert s.cite().endswith(UNVERIFIED_MARK), c.id
    assert unverified  # the catalog does have numbers it could not verify; they must stay visible


def test_provider_guideline_records_say_that_2_0_is_current(catalog):
    for c in catalog:
        for s in c.sources:
            if s.edition == "提供事業者GL 第1.1版":
                assert s.note and "第2.0版" in s.note and "UNVERIFIED" in s.note, c.id


def test_no_space_between_two_japanese_characters(catalog):
    for c in catalog:
        for path, text in _strings(c.summary()):
            if path.endswith((".en", ".document", ".citation")):
                continue  # citations separate their parts with spaces: 「… 第6.0版 システム運用編 14 ⑥」
            assert not STRAY_SPACE.search(text), f"{c.id}{path}: {STRAY_SPACE.search(text)[0]!r} in {text!r}"
    for fw in catalog.frameworks.values():
        for req in fw.requirements:
            assert not STRAY_SPACE.search(req.title.ja), f"{fw.id} {req.id}: {req.title.ja!r}"


def test_japanese_text_drops_folding_spaces_but_keeps_spaces_next_to_latin():
    assert Text(ja="作成した 資源へ", en="x").ja == "作成した資源へ"
    assert Text(ja="作成した\u0020\u0020資源へ。 次に「鍵」 と", en="x").ja == "作成した資源へ。次に「鍵」と"
    assert Text(ja="MFA デバイス、S3 バケット、1 世代", en="x").ja == "MFA デバイス、S3 バケット、1 世代"
    assert join_japanese("システム運用編 14 ⑥") == "システム運用編 14 ⑥"
    doc = _sample_doc()
    doc["description"]["ja"] = yaml.safe_load("ja: >-\n  医療情報を\n  保存する\n")["ja"]
    assert Control.model_validate(doc).description.ja == "医療情報を保存する"


def test_no_forbidden_wording(catalog):
    for c in catalog:
        for path, text in _strings(c.summary()):
            if path.endswith(".quote"):
                continue  # the guideline's own words, verbatim (相関表 18 ①: 「追記不能設定がなされた記録媒体」)
            for word in FORBIDDEN:
                assert word not in text, f"{c.id}{path}: {word} in {text!r}"
    for fw in catalog.frameworks.values():
        for req in fw.requirements:
            assert not any(w in req.title.ja for w in FORBIDDEN), f"{fw.id} {req.id}"
    for path in sorted(catalog_dir().glob("SAN-*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("quote:"):
                assert not any(w in line for w in FORBIDDEN), f"{path.name}:{n}: {line.strip()}"


def test_ven_001_uses_the_guidelines_name_for_the_certifications(catalog):
    title = catalog["SAN-VEN-001"].title.ja
    assert "セキュリティクラウド認証等" in title and "クラウドセキュリティ認証" not in title


def test_fixed_quotes_stay_the_guidelines_own_words(catalog):
    # SAN-NET-006 once spliced two bullets of システム運用編 18 ① into one sentence; it quotes one bullet.
    assert catalog["SAN-NET-006"].source.quote == "他の情報機器への波及の調査等被害の確認のための業務システムの停止"
    # The earlier edition's text masks a word in ⑦ d) (「アクセスxxの完全性」): it is never filled in.
    for cid in ("SAN-LOG-002", "SAN-LOG-003"):
        quotes = [s.quote or "" for s in catalog[cid].sources]
        assert "アクセスxxの完全性とアクセス禁止" in quotes and not any("アクセスログの完全性" in q for q in quotes)


def _primary_key(c) -> list[str]:
    s = c.source
    return [s.volume or "", *s.section.split(" "), *(s.item.split(" ") if s.item else [])]


def test_mhlw6_lists_every_control_under_its_primary_citation(catalog):
    by_control: dict[str, list[list[str]]] = {}
    for req in catalog.frameworks["mhlw6"].requirements:
        for cid in req.controls:
            by_control.setdefault(cid, []).append(req.id.split(" "))
    for c in catalog:
        if c.source.edition != "第6.0版":
            continue
        key = _primary_key(c)
        reqs = by_control.get(c.id, [])
        # the requirement is the cited item, one of its bullets, or an enclosing item or chapter
        assert any(r[:len(key)] == key or key[:len(r)] == r for r in reqs), (
            f"{c.id}: primary cites {' '.join(key)}, mhlw6 lists it under {[' '.join(r) for r in reqs]}")


def test_a_single_source_record_is_the_primary_one():
    doc = _sample_doc()
    doc["source"] = doc["source"][0]
    control = Control.model_validate(doc)
    assert len(control.sources) == 1 and control.source.role == "primary"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda s: s[0].update(role="secondary"), "first source is the primary one"),
    (lambda s: s[1].update(role="primary"), "only the first"),
    (lambda s: s[0].update(edition="旧版(第4・5版)", volume=None, seed=None), "primary source cites"),
    (lambda s: s[0].update(verified=False, note=None), "needs a note"),
    (lambda s: s[0].update(seed="004_890aa54ae85e9df7.txt"), "is a text of 旧版"),
    (lambda s: s[0].update(seed=COMMENTARY_SEED), "is a text of 解説記事"),
    (lambda s: s[0].update(section="p.28"), "chapter number"),
    (lambda s: s[0].pop("volume"), "names its 編"),
    (lambda s: s[0].update(document="x"), "document"),
])
def test_a_bad_source_record_is_rejected(edit, message):
    doc = _sample_doc()
    edit(doc["source"])
    with pytest.raises(ValidationError, match=message):
        Control.model_validate(doc)
