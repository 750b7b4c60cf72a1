"""Render docs/guideline-coverage.md from docs/guideline-coverage.yaml.

The YAML is the record (one row per requirement of the seed texts); the Markdown is its reading
copy, written only by this script so the two cannot drift. tests/test_guideline_coverage.py checks
that the committed .md is exactly what :func:`render` writes.

    .venv/bin/python scripts/guideline_coverage.py          # rewrite the .md
    .venv/bin/python scripts/guideline_coverage.py --check  # exit 1 if the .md is stale
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
YAML_PATH = ROOT / "docs" / "guideline-coverage.yaml"
MD_PATH = ROOT / "docs" / "guideline-coverage.md"
STATUSES = ("covered", "partly", "missing")
STATUS_LABEL = {"covered": "covered 充足", "partly": "partly 一部", "missing": "missing 未対応"}
UNVERIFIED = "番号未確認"
SEED_TITLES = {
    "000_a4193eb345f72405.txt": "第6.0版 企画管理編 p.28 (委託先の選定・契約 / contractor selection and contract)",
    "001_9f88f3070fd2d771.txt": "第6.0版 各編間相関表(案) (cross-reference table, draft)",
    "002_950bf81c1abcb6f6.txt": "解説記事 (overview article; headline measures and the provider guideline's outline)",
    "003_c11edd5a803ab133.txt": "第6.0版 システム運用編(案) 3.3–3.4 (責任分界 / responsibility split)",
    "004_890aa54ae85e9df7.txt": "旧版(第4・5版) 8.4.2–10 (contract end, scanning, the rulebook's contents)",
}
# The issue #17 work items still being built; a row's `planned` must name one of these. Empty:
# every item is merged and judged in the rows (judged against main at the YAML's commit).
PLANNED: tuple[str, ...] = ()
# Duties the issue #17 controls check that are not in the seed texts (so no row carries them): the
# duty, the controls, and where the duty comes from. Listed on the page; they leave the count alone.
BEYOND_SEEDS = (
    ("二要素認証(令和9年度までの導入・更新時)/ two-factor authentication by 令和9年度",
     ("SAN-IAM-003", "SAN-IAM-012"), "システム運用編 14 (item 番号未確認)"),
    ("不要なアカウント(使用していないアカウント)の削除 / removing unused accounts",
     ("SAN-IAM-013",), "サイバーセキュリティ対策チェックリスト 2-(5)"),
    ("パスワード履歴と使い回しの禁止 / password history and no reuse across systems",
     ("SAN-IAM-014", "SAN-IAM-015"), "チェックリスト 2-⑧, which refers to システム運用編 8 ⑤"),
    ("不要なソフトウェア・サービスの停止 / stopping unneeded software and services",
     ("SAN-OPS-007",), "チェックリスト 2-⑫, which refers to システム運用編 8 (番号未確認)"),
)
COUNTS_LINE = "**{total} requirements — covered {covered} / partly {partly} / missing {missing}**"

HEADER = """\
# Guideline coverage / ガイドライン要求事項の対応状況

<!-- Rendered by scripts/guideline_coverage.py from docs/guideline-coverage.yaml. Do not edit by hand. -->

{counts}

Every concrete requirement (a 遵守事項, or a 「〜すること」 duty a system or an organisation can be
checked against) in the guideline texts the project was built from, the sansho controls that check
it, and whether they check all of it. The machine-readable copy is
[guideline-coverage.yaml](guideline-coverage.yaml); it is the record, this page is rendered from it.

ガイドラインの原文(シード)に含まれる具体的な要求事項(遵守事項、及び確認可能な「〜すること」)ごとに、
それを確認する sansho の管理策と、対応の状況(充足・一部・未対応)を示す。

How to read it / 読み方:

- **Place in 第6.0版** — 編, chapter and 遵守事項 item. Rows from the earlier edition (旧版 第4・5版)
  or the overview article are placed where the catalog's source records place the same text.
  **{unverified}** marks a number the project's sources do not confirm (PROVIDER-GUIDELINE-NOTES,
  GUIDELINE-NOTES, or a catalog record with `verified: false`); a row with no chapter is one whose
  第6.0版 place no source shows. No number here is filled in from memory.
- **covered** — the controls check the whole requirement (automated, or an attestation whose text
  asks for it). **partly** — the gap column says what is not checked. **missing** — no control.
- **Planned** — the issue #17 work item meant to close the gap; empty when nobody has it yet.
  Every issue #17 item is now merged, so no row names one.
- The count is by duty, not by page: the earlier edition's list of rulebook contents (旧版 10 C) is
  counted item by item where an item is a checkable duty, and the bullets of one 遵守事項 are
  counted separately when they are separate duties (企画管理編 7 ⑦, システム運用編 11 ①). Left out:
  the fragment 「及び管理の状況」 that opens `000` (the end of 企画管理編 7 ⑥ c, whose text the
  seed does not hold), headings and statements of scope (旧版 8.4.3, 10 C (1) ① 総則), the 補足
  9.4 (the same duties as 9.1), 10 C (2) ① f) and ③ (quality control and preservation, carried
  by the rows for media, malware and backups), and the overview article's measures that other
  rows already carry (security officer, access control, cyber-attack response, backup, disposal).
- Seed files are cited by name for traceability only; nothing in the project reads them.

Judged against main at {base}, which includes the issue #17 controls (the 第6.0版 duties and the
provider guideline's SAN-PRV-001–010); the rows name them where they check a seed requirement.
"""


def load(path: Path = YAML_PATH) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["requirements"]


def counts(rows: list[dict]) -> Counter:
    c = Counter(r["status"] for r in rows)
    return Counter({s: c.get(s, 0) for s in STATUSES})


def counts_line(rows: list[dict]) -> str:
    c = counts(rows)
    return COUNTS_LINE.format(total=len(rows), **c)


def place(r: dict) -> str:
    parts = [p for p in (r["volume"], r["chapter"], r["item"]) if p]
    text = " ".join(parts) if parts else "—"
    return f"{text} ({UNVERIFIED})" if not r["verified"] else text


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _controls(r: dict) -> str:
    return ", ".join(r["controls"]) or "—"


def render(rows: list[dict], base: str) -> str:
    out = [HEADER.format(counts=counts_line(rows), unverified=UNVERIFIED, base=base)]
    c = counts(rows)
    out.append("## Summary by seed / シード別の集計\n")
    out.append("| seed | text | requirements | covered | partly | missing |")
    out.append("|---|---|---:|---:|---:|---:|")
    for seed, title in SEED_TITLES.items():
        sub = [r for r in rows if r["seed"] == seed]
        sc = counts(sub)
        out.append(f"| `{seed}` | {title} | {len(sub)} | {sc['covered']} | {sc['partly']} | {sc['missing']} |")
    out.append(f"| **all** | | **{len(rows)}** | **{c['covered']}** | **{c['partly']}** | **{c['missing']}** |")
    out.append("")
    for seed, title in SEED_TITLES.items():
        sub = [r for r in rows if r["seed"] == seed]
        if not sub:
            continue
        out.append(f"## `{seed}` — {title}\n")
        out.append("| id | 第6.0版 | where in the seed | requirement / 要求事項 | quote | controls | status | gap / planned |")
        out.append("|---|---|---|---|---|---|---|---|")
        for r in sub:
            req = f"{r['requirement']['ja']}<br>{r['requirement']['en']}"
            gap = r["gap"] or ""
            if r["planned"]:
                gap = f"{gap}<br>planned: {r['planned']}" if gap else f"planned: {r['planned']}"
            if r["note"]:
                gap = f"{gap}<br><small>{r['note']}</small>" if gap else f"<small>{r['note']}</small>"
            out.append(
                f"| {r['id']} | {_cell(place(r))} | {_cell(r['seed_ref'])} | {_cell(req)} | 「{_cell(r['quote'])}」 "
                f"| {_controls(r)} | {STATUS_LABEL[r['status']]} | {_cell(gap)} |")
        out.append("")
    open_rows = [r for r in rows if r["status"] != "covered"]
    out.append("## Checked beyond the seeds / シード外で確認している義務\n")
    beyond = "; ".join(f"{duty} ({', '.join(ids)}; {source})" for duty, ids, source in BEYOND_SEEDS)
    out.append(f"The issue #17 controls also check duties that no seed text states, so no row carries them "
               f"and the count above does not include them: {beyond}. / シードの外(第6.0版本文・"
               "サイバーセキュリティ対策チェックリスト)に根拠がある義務で、上の件数には含まない。")
    out.append("")
    out.append("## Still open / 未対応・一部対応\n")
    out.append("### Meant to be closed by the planned issue #17 work / 計画中の作業で対応予定\n")
    planned = [(item, [f"{r['id']} ({r['status']})" for r in open_rows if r["planned"] == item]) for item in PLANNED]
    planned = [(item, ids) for item, ids in planned if ids]
    for item, ids in planned:
        out.append(f"- **{item}**: {', '.join(ids)}")
    if not planned:
        out.append("None: every issue #17 work item is merged and judged in the rows above. What is still open "
                   "is listed below and nobody has it yet. / 計画中の作業はない。残る項目は下記のとおり担当なし。")
    out.append("")
    out.append("### Nobody's yet / 担当なし\n")
    for r in open_rows:
        if not r["planned"]:
            out.append(f"- {r['id']} ({r['status']}) {place(r)} — {r['requirement']['ja']} / {r['requirement']['en']}")
    out.append("")
    return "\n".join(out)


def base_of(path: Path = YAML_PATH) -> str:
    """The commit the rows were judged against, as the YAML's header names it."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Judged against main at "):
            return line.removeprefix("# Judged against main at ").rstrip(".")
    raise SystemExit(f"{path}: no '# Judged against main at <commit>.' line")


def main(argv: list[str]) -> int:
    text = render(load(), base_of())
    if "--check" in argv:
        if MD_PATH.read_text(encoding="utf-8") != text:
            print(f"{MD_PATH.relative_to(ROOT)} is stale: run .venv/bin/python scripts/guideline_coverage.py")
            return 1
        return 0
    MD_PATH.write_text(text, encoding="utf-8")
    print(f"{MD_PATH.relative_to(ROOT)}: {counts_line(load())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
