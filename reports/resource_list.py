"""The full list of failing and unreadable resources, beside a report and inside evidence bundles.

A report lists the first ``--max-resources`` resources of each control and says how many more
there are; this file lists every FAIL, ERROR and UNKNOWN finding, worst first (severity, control,
status, basis, resource), as CSV (UTF-8 with a BOM, which Excel opens correctly) and XLSX. Rows
are streamed: the csv module writes as it goes, and the XLSX is written row by row — by
XlsxWriter in constant-memory mode when it is installed (the ``pdf`` extra; about twice as fast
as openpyxl), else by openpyxl in write-only mode — so an estate of 100k failing resources never
holds a spreadsheet in memory. Both give the same cells, every one a string cell. Text from the
estate is escaped as in every other spreadsheet sansho writes (:mod:`.spreadsheet`, CWE-1236).

Beside a report, both files are written by a forked process while the report renders
(:func:`written_beside`, on Linux): writing the XLSX of 200k rows is the longest step of a big
report, and the two share nothing but the rows, inherited at the fork.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sansho.policies.errors import InputError, first_line

from .posture import Row
from .posture_render import source_at
from .spreadsheet import csv_row, write_only_text_row

CSV_NAME = "resources.csv"
XLSX_NAME = "resources.xlsx"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

COLUMNS = {
    "ja": ["判定", "根拠", "重要度", "管理策", "管理策名", "資源種別", "資源 ID", "資源名", "提供元", "アカウント等",
           "リージョン", "取得元", "内容"],
    "en": ["status", "basis", "severity", "control_id", "title", "resource_kind", "resource_id", "resource_name",
           "provider", "account", "region", "source", "message"],
}
SHEET = {"ja": "不適合・判定不能の資源", "en": "Failing and unknown"}


def side_paths(output: Path) -> tuple[Path, Path]:
    """Where the full list goes beside a report: ``report.html`` → ``report-resources.csv`` / ``.xlsx``."""
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    return output.with_name(f"{stem}-resources.csv"), output.with_name(f"{stem}-resources.xlsx")


def cells(r: Row) -> list[Any]:
    return [r.status, r.basis, r.severity, r.control_id, r.title, r.resource_kind, r.resource_id, r.resource_name,
            r.provider, r.account, r.region, source_at(r), r.message]


def write_csv(rows: Iterable[Row], out: IO[str], lang: str) -> int:
    """Stream the rows to a text file opened with ``newline=""``; returns the number of rows."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS[lang])
    n = 0
    for r in rows:
        w.writerow(csv_row(cells(r)))
        n += 1
    return n


def xlsx_writer() -> str:
    """The library that writes the XLSX here: ``xlsxwriter`` when installed, else ``openpyxl``."""
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "xlsxwriter"


def write_xlsx(rows: Iterable[Row], out: Any, lang: str, *, writer: str | None = None) -> int:
    """Stream the rows into a one-sheet workbook saved to ``out`` (a path or a binary file);
    returns the number of rows. ``writer``: ``xlsxwriter`` or ``openpyxl`` (default: :func:`xlsx_writer`)."""
    if (writer or xlsx_writer()) == "xlsxwriter":
        return _write_xlsxwriter(rows, out, lang)
    return _write_openpyxl(rows, out, lang)


def _write_openpyxl(rows: Iterable[Row], out: Any, lang: str) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET[lang])
    ws.freeze_panes = "A2"
    ws.append(write_only_text_row(ws, COLUMNS[lang]))
    n = 0
    for r in rows:
        ws.append(write_only_text_row(ws, cells(r)))
        n += 1
    wb.save(out)
    return n


def _write_xlsxwriter(rows: Iterable[Row], out: Any, lang: str) -> int:
    """The same sheet with XlsxWriter: rows go to a temporary file as they come (constant memory),
    every string through ``write_string`` (a string cell: never a formula, whatever it starts
    with; an empty string is an empty cell, as openpyxl leaves it)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out) if isinstance(out, Path) else out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    wb.use_zip64()  # a sheet past 2 GB (millions of rows) stays writable, as with openpyxl
    ws = wb.add_worksheet(SHEET[lang])
    ws.freeze_panes(1, 0)
    text, other = ws.write_string, ws.write
    for col, name in enumerate(COLUMNS[lang]):
        text(0, col, name)
    n = 0
    for n, r in enumerate(rows, 1):
        for col, value in enumerate(cells(r)):
            if value.__class__ is str:
                if value:
                    text(n, col, value)
            elif value is not None:
                other(n, col, value)
    wb.close()
    return n


def _write_both(rows: Sequence[Row], tmp: tuple[Path, Path], paths: tuple[Path, Path], lang: str) -> None:
    """The CSV to ``tmp[0]``, then the XLSX to ``tmp[1]``; a failure is one InputError line
    naming the file it was for (``paths``), never the temporary file."""
    for write, to, at in ((_write_csv_file, tmp[0], paths[0]), (write_xlsx, tmp[1], paths[1])):
        try:
            write(rows, to, lang)
        except InputError:
            raise
        except Exception as e:  # noqa: BLE001 -- any failure of a writer is one line naming its file
            raise InputError(_failure(e, at)) from None


def _write_csv_file(rows: Sequence[Row], path: Path, lang: str) -> int:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        return write_csv(rows, fh, lang)


def _failure(e: BaseException, at: Path) -> str:
    os_error = e if isinstance(e, OSError) else next((a for a in e.args if isinstance(a, OSError)), None)
    if os_error is not None:
        return f"{at}: cannot write: {os_error.strerror or first_line(os_error)}"
    return f"{at}: cannot write the full list of resources: {first_line(e)}"


def write_beside(rows: Sequence[Row], output: Path, lang: str) -> tuple[Path, Path]:
    """Write both files beside ``output`` (atomically, as every output); returns their paths."""
    with written_beside(rows, output, lang, concurrent=False) as paths:
        pass
    return paths


@contextlib.contextmanager
def written_beside(rows: Sequence[Row], output: Path, lang: str, *,
                   concurrent: bool | None = None) -> Iterator[tuple[Path, Path]]:
    """Write both files beside ``output`` while the block runs (the report renders meanwhile),
    in a forked process where the platform forks safely (Linux; ``concurrent`` None), else
    here once the block has ended. Both files appear whole, together, once the block ended
    without error and both were written (:func:`~sansho.policies.output.atomic_file`); if
    either fails, neither appears and one :class:`InputError` line names the file. When the
    block fails, the writer is stopped and nothing is left behind."""
    from sansho.policies.output import atomic_file

    if concurrent is None:
        concurrent = sys.platform == "linux" and hasattr(os, "fork")
    csv_path, xlsx_path = side_paths(output)
    with atomic_file(csv_path) as csv_tmp, atomic_file(xlsx_path) as xlsx_tmp:
        paths, tmp = (csv_path, xlsx_path), (csv_tmp, xlsx_tmp)
        job = _Fork(lambda: _write_both(rows, tmp, paths, lang), xlsx_path) if concurrent else None
        try:
            yield csv_path, xlsx_path
        except BaseException:
            if job is not None:
                job.stop()
            raise
        if job is None:
            _write_both(rows, tmp, paths, lang)
        else:
            job.wait()


class _Fork:
    """``work()`` in a forked child; :meth:`wait` turns its failure into one InputError line."""

    def __init__(self, work: Callable[[], None], names: Path):
        self.names = names  # what a failure without a message of its own is said of
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the caller
            code = 1
            try:
                os.close(read)
                try:
                    work()
                    message = b""
                    code = 0
                except BaseException as e:  # noqa: BLE001 -- reported to the parent as one line
                    line = str(e).splitlines()[0] if isinstance(e, InputError) and str(e) else _failure(e, names)
                    message = line.encode("utf-8", "replace")
                with os.fdopen(write, "wb") as fh:
                    fh.write(message)
            finally:
                os._exit(code)
        os.close(write)
        self._read = read

    def _collect(self) -> tuple[str, int]:
        with os.fdopen(self._read, "rb") as fh:
            message = fh.read().decode("utf-8", "replace").strip()
        _, status = os.waitpid(self.pid, 0)
        return message, os.waitstatus_to_exitcode(status)

    def wait(self) -> None:
        message, code = self._collect()
        if code == 0:
            return
        if not message:
            why = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
            message = f"{self.names}: the writer of the full list of resources stopped ({why})"
        raise InputError(message)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._collect()


def _fixed_zip(data: bytes) -> bytes:
    """The XLSX (a zip) with its entries' timestamps fixed and its creation time removed, so
    the same rows give the same bytes (an evidence bundle is reproducible byte for byte)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _without_times(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, body)
    return out.getvalue()


def _without_times(core: bytes) -> bytes:
    import re

    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", core)


def bundle_files(rows: list[Row], lang: str) -> Iterator[tuple[str, bytes]]:
    """The two files as an evidence bundle holds them: (name, bytes), reproducible."""
    text = io.StringIO(newline="")
    write_csv(rows, text, lang)
    yield CSV_NAME, text.getvalue().encode("utf-8")
    raw = io.BytesIO()
    write_xlsx(rows, raw, lang)
    yield XLSX_NAME, _fixed_zip(raw.getvalue())
