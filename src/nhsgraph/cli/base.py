"""The Typer app, the shared --db state and error handling that every command module uses."""

from __future__ import annotations

import functools
from typing import Optional

import typer

from nhsgraph.cli.render import err_console
from nhsgraph.errors import NhsgraphError
from nhsgraph.store import Store

app = typer.Typer(help="nhsgraph: who ran what in the English NHS, when, under which rules, "
                       "and where it says so.", no_args_is_help=True, pretty_exceptions_enable=False)
import_app = typer.Typer(help="Load data: the curated knowledge base, ODS extracts, ONS lookups.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")

JsonOpt = typer.Option(False, "--json", help="Machine-readable output.")


class State:
    db: str | None = None

    def store(self) -> Store:
        return Store.open(self.db)


state = State()


@app.callback()
def _global(db: Optional[str] = typer.Option(
        None, "--db", envvar="NHSGRAPH_DB",
        help="SQLite file path or database URL (postgresql://…). Default ./nhsgraph.db.")):
    state.db = db


def handles_errors(fn):
    """Turn nhsgraph's own errors into a message and exit code 1."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NhsgraphError as exc:
            err_console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None
    return wrapper
