"""Usage errors are one line, as the README promises: `sansho: error: …` and exit 2, not the
multi-line box typer draws by default. Help and --version still exit 0."""

from __future__ import annotations

import pytest

from .support.cli import run


@pytest.mark.parametrize("args,line", [
    (("scan", "--bogus"), "No such option: --bogus (see `sansho scan --help`)"),
    (("scan", "x.json", "--format", "xml"), "Invalid value for '--format': Value error, 'xml' is not one of 'table', "
     "'json', 'jsonl', 'sarif', 'junit', 'csv'. (see `sansho scan --help`)"),
    (("report",), "Missing option '-o' / '--output'. (see `sansho report --help`)"),
    (("bogus",), "No such command 'bogus'. (see `sansho --help`)"),
    (("evidence", "verify"), "Missing argument 'bundle'. (see `sansho evidence verify --help`)"),
])
def test_usage_errors_are_one_line_exit_2(args, line):
    r = run(*args)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", f"sansho: error: {line}\n")


def test_help_version_and_exit_codes_are_kept():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("sansho ")
    r = run("scan", "--help")
    assert r.returncode == 0 and "Usage: sansho scan" in r.stdout
    r = run()  # no command: the help, exit 2 as before
    assert r.returncode == 2 and "Usage: sansho" in r.stdout + r.stderr
    r = run("evidence", "verify", "missing.zip")
    assert (r.returncode, r.stderr) == (2, "sansho: error: missing.zip: no such file / ファイルがありません\n")
