"""``sansho scan --save``: whether to record a scan, and recording it after the report is out.

The report is written before the store is opened: the verdict must never be lost to a
database that is down or full. A store that cannot be written is still an error (exit 2,
one line) so CI notices a history with a hole, and the line tells what the scan's own exit
code was. Whether saving is wanted and where to are settled before the scan runs, so a
missing store never costs a long live collection.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sansho.policies.config import HistoryConfig
from sansho.policies.errors import InputError


@dataclass(frozen=True)
class SavePlan:
    url: str  # resolved SQLAlchemy URL
    inputs: list[str]


def plan_save(save: bool | None, history: str | None, configured: HistoryConfig | None,
              config_path: Path | None, inputs: list[str]) -> SavePlan | None:
    """None when the scan is not to be recorded. ``--save``/``--no-save`` decide when given;
    otherwise ``--history`` means save, and so does a ``history:`` section with ``save: true``."""
    from .store import NO_HISTORY, configured_url

    wanted = save if save is not None else bool(history) or bool(configured and configured.save)
    if not wanted:
        return None
    url = configured_url(history, configured.url if configured else None, config_path, default=True)
    if url is None:
        raise InputError(NO_HISTORY)
    return SavePlan(url, inputs)


def record(plan: SavePlan, result, lang: str, exit_code: int, selection: dict | None = None,
           batches: tuple | None = None) -> int:
    """Save the scan (with the --family/--controls filter it ran with); print one line on
    stderr; return the new scan id. ``batches`` is (findings, resources, rows in all) for a scan
    judged a chunk at a time, whose ``result`` holds none of them (``HistoryStore.save_rows``)."""
    from sansho.policies.output import tool_version

    from .records import SavedScan, describe_selection
    from .store import default_path, open_store, resolve_url

    scan = SavedScan.from_result(result, tool_version=tool_version(), inputs=plan.inputs, selection=selection)
    try:
        with open_store(plan.url) as store:
            scan_id = store.save(scan) if batches is None else store.save_rows(scan, *batches)
            label = store.label
    except InputError as e:
        raise InputError(f"{e} (the report was written; the scan alone would exit {exit_code} / "
                         f"レポートは出力済みです。判定結果の終了コードは {exit_code} です)") from None
    default = plan.url == resolve_url(str(default_path()))
    how = describe_selection(selection)
    if lang == "ja":
        where = f"{label}、既定の保存先。sansho.yaml の history.url で変更できます" if default else label
        partial = f"。{how} で絞り込んだスキャンのため、報告書と証跡には使われません" if how else ""
        sys.stderr.write(f"履歴にスキャン #{scan_id} を保存しました ({where}){partial}\n")
    else:
        where = f"{label}, the default store; set history.url in sansho.yaml to choose another" if default else label
        partial = (f"; filtered with {how}: reports and evidence use complete scans only, so this one is left out "
                   "of them") if how else ""
        sys.stderr.write(f"saved scan #{scan_id} to the history ({where}){partial}\n")
    return scan_id
