"""``nhsgraph export``: the registry as at a date in a format other tools read."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from nhsgraph.cli.base import app, date_option, handles_errors, state
from nhsgraph.cli.import_cmds import progress_bar
from nhsgraph.cli.render import console

FORMATS_HELP = ("csv (tidy: one row per fact), popolo (JSON), jsonld (W3C ORG), graphml, "
                "parquet, or datasette-metadata (a metadata.json for this SQLite file).")


@app.command()
@handles_errors
def export(fmt: str = typer.Option(..., "--format", help=FORMATS_HELP),
           out: Path = typer.Option(..., "--out", help="File to write."),
           at: Optional[str] = typer.Option(
               None, "--at", help="Date (YYYY, YYYY-MM or YYYY-MM-DD); all dates when left out."),
           type_: Optional[list[str]] = typer.Option(
               None, "--type", help="Organisation type(s) to export; all when left out.")):
    """Export the registry as at a date: organisations, their facts and citations.

    Successions into and out of the exported bodies are included whatever their date.
    docs/exports.md describes each format.

    Example: nhsgraph export --format popolo --at 2013-04-01 --type ccg --out ccgs-2013.json
    """
    from nhsgraph import export as formats
    from nhsgraph.services.exports import build_export

    at = date_option(at)
    formats.writer(fmt)        # an unknown format or a missing package: refused before work
    formats.check_out(out)
    store = state.store(create=False)
    with store.reader() as conn, progress_bar() as progress:
        if fmt in formats.STORE_FORMATS:
            n = formats.write(fmt, conn, out, database=_database_name(store))
            console.print(f"{out}: {n} tables described for Datasette", highlight=False)
            return
        progress(0, None, "reading the registry")
        data = build_export(conn, at, type_)
        progress(1, 1, "reading the registry")
        total = len(data.facts)
        n = formats.write(fmt, data, out, lambda k: progress(k, total, f"writing {fmt}"))
    console.print(f"{out}: {fmt}, {len(data.selected):,} organisations, {total:,} facts"
                  f"{' on ' + data.at.isoformat() if data.at else ', all dates'} ({n:,} "
                  f"{_UNITS[fmt]})", highlight=False)


_UNITS = {"csv": "rows", "parquet": "rows", "popolo": "records", "jsonld": "triples",
          "graphml": "edges"}


def _database_name(store) -> str:
    """The name Datasette gives the database: the file's stem."""
    database = store.engine.url.database or ""
    return Path(database).stem or "nhsgraph"
