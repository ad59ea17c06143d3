"""The Typer app, the shared --db state and error handling that every command module uses.

Every failure is one line on stderr and an exit code per class (``nhsgraph.errors``;
docs/cli.md lists them); a traceback only with NHSGRAPH_DEBUG=1.
"""

from __future__ import annotations

import functools
import os
from typing import Optional

import typer

from nhsgraph.cli.render import err_console
from nhsgraph.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, NhsgraphError, exit_code

EXIT_CODES_HELP = """Exit codes: 0 success; 1 not found or ambiguous; 2 bad argument or option;
3 bad input file (the message names file and line); 4 database missing, not a database or
unreachable; 5 database read-only; 6 optional dependency not installed (names the extra); 7
`check --fail-on breach` found a breach; 70 internal error; 130 interrupted."""

app = typer.Typer(help="nhsgraph: who ran what in the English NHS, when, under which rules, "
                       "and where it says so.\n\n" + EXIT_CODES_HELP,
                  no_args_is_help=True, pretty_exceptions_enable=False)
import_app = typer.Typer(help="Load data: the curated knowledge base, ODS extracts, ONS lookups.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")

JsonOpt = typer.Option(False, "--json", help="Machine-readable output.")


class State:
    db: str | None = None

    def store(self, *, create: bool = True):
        """The store named by --db. ``create=False`` (commands that only read): a database
        that does not exist is an error, not a new empty file."""
        from nhsgraph.store import Store

        return Store.open(self.db, create=create)


state = State()


def date_option(value: str | None, name: str = "--at") -> str | None:
    """A date option, checked here so that the error names the option."""
    if value is None:
        return None
    from nhsgraph.errors import BadDate
    from nhsgraph.model.dates import PartialDate

    try:
        PartialDate.parse(value)
    except BadDate as exc:
        raise BadDate(f"{name}: {exc}") from None
    return value


def known_at_option(value: str | None, name: str = "--known-at") -> str | None:
    """A record-time option (a date or an ISO date-time), checked here so that the error
    names the option."""
    if value is None:
        return None
    from nhsgraph.errors import BadDate
    from nhsgraph.model.dates import record_time

    try:
        record_time(value)
    except BadDate as exc:
        raise BadDate(f"{name}: {exc}") from None
    return value


KnownAtOpt = typer.Option(None, "--known-at", help="Answer as nhsgraph knew it then: leave out "
                          "facts recorded later (a date, or an ISO date-time).")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("nhsgraph")
        except PackageNotFoundError:
            v = "unknown (not installed)"
        print(f"nhsgraph {v}")
        raise typer.Exit(0)


@app.callback()
def _global(db: Optional[str] = typer.Option(
        None, "--db", envvar="NHSGRAPH_DB",
        help="SQLite file path or database URL (postgresql://…). Default ./nhsgraph.db. "
             "Commands that only read refuse a database that does not exist (exit 4); a "
             "read-only file is read where it lies."),
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                     help="Print the version and exit.")):
    state.db = db


EXTRAS = {"extract": ("spacy", "selectolax", "pypdf"),
          "web": ("fastapi", "uvicorn", "jinja2", "python_multipart")}


def need(extra: str) -> None:
    """Refuse (MissingDependency, exit 6) when an extra's packages are not installed."""
    from importlib.util import find_spec

    from nhsgraph.errors import MissingDependency

    missing = [m for m in EXTRAS[extra] if find_spec(m) is None]
    if missing:
        raise MissingDependency(f"this command needs {', '.join(missing)}, which is not "
                                f'installed: pip install "nhsgraph[{extra}]"')


def fail(exc: BaseException) -> typer.Exit:
    """Print an error as one line; the exit to raise for it."""
    if isinstance(exc, KeyboardInterrupt):
        err_console.print("interrupted; nothing half-written was kept", highlight=False)
        return typer.Exit(EXIT_INTERRUPTED)
    if isinstance(exc, RecursionError):
        from nhsgraph.errors import BadFile

        exc = BadFile("input", "nested too deeply to read")
    if isinstance(exc, NhsgraphError):
        message = str(exc)
    else:
        import sqlalchemy as sa

        if isinstance(exc, sa.exc.DBAPIError):
            from nhsgraph.store.store import translate_db_error

            exc = translate_db_error(exc, state.db or "database")
            message = str(exc)
        else:
            if os.environ.get("NHSGRAPH_DEBUG"):
                raise exc
            message = (f"internal error: {type(exc).__name__}: {exc}".splitlines()[0][:500]
                       + " (NHSGRAPH_DEBUG=1 shows the traceback)")
    from rich.markup import escape

    err_console.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False,
                      soft_wrap=True)
    return typer.Exit(exit_code(exc) if isinstance(exc, NhsgraphError) else EXIT_INTERNAL)


def handles_errors(fn):
    """Turn every error into one line and the exit code of its class."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if hasattr(exc, "exit_code") and hasattr(exc, "show"):   # click's usage errors
                raise
            raise fail(exc) from None
        except KeyboardInterrupt as exc:
            raise fail(exc) from None
    return wrapper
