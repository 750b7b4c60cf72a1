"""The ``sansho`` command line: one module per command group, registered here.

Heavy libraries (pydantic models, regorus, the renderers) are imported inside the commands
that use them, so ``sansho --help`` stays fast. Shared options live in :mod:`.options`, which
imports nothing back.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from . import catalog, checklist, collect, history, judge, outputs, report

app = typer.Typer(
    name="sansho",
    help="3省2ガイドライン (医療情報システムの安全管理に関するガイドライン 第6.0版) compliance checks "
    "for cloud, IaC and on-prem estates. / 医療情報を扱うシステムを3省2ガイドラインに照らして点検します。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        from ..output import tool_version

        typer.echo(f"sansho {tool_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    pass


# the order of `sansho --help`
for _group in (judge, collect, catalog, history, report, outputs, checklist):
    _group.register(app)


def main() -> None:
    """Entry point: every user-facing error is one line (each line of a multi-line error prefixed)
    and exit 2, never a traceback. Usage errors too: typer's boxed message becomes
    ``sansho: error: <what> (see `sansho <command> --help`)``."""
    from ..errors import InputError

    try:
        code = app(standalone_mode=False)  # typer returns typer.Exit's code instead of exiting
    except typer.TyperException as e:  # click's usage errors (bad option, missing argument, bad value)
        if type(e).__name__ == "NoArgsIsHelpError":  # `sansho`, `sansho collect`: typer printed the help
            sys.exit(2)
        ctx = getattr(e, "ctx", None)
        see = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        sys.stderr.write(f"sansho: error: {' '.join(e.format_message().split())}{see}\n")
        sys.exit(2)
    except typer.Abort:
        sys.stderr.write("sansho: aborted\n")
        sys.exit(1)
    except InputError as e:
        lines = str(e).splitlines() or [""]
        sys.stderr.write("".join(f"sansho: error: {line}\n" for line in lines))
        sys.exit(2)
    except ImportError as e:  # an optional extra missing where no command checked for it first
        from ..errors import missing_extra

        missing = missing_extra(e)
        if missing is None:
            _internal(e)
        sys.stderr.write(f"sansho: error: {missing}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("sansho: interrupted\n")
        sys.exit(130)
    except Exception as e:  # a bug of ours: still one line, with a way to see more
        _internal(e)
    sys.exit(code if isinstance(code, int) else 0)


def _internal(e: Exception) -> None:
    if os.environ.get("SANSHO_DEBUG"):
        raise e
    sys.stderr.write(f"sansho: internal error: {type(e).__name__}: {e} (set SANSHO_DEBUG=1 for a traceback)\n")
    sys.exit(3)


if __name__ == "__main__":
    main()
