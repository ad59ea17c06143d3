"""Commands for data users: what changed between two dates (changes), and a table of old
codes re-keyed to the bodies of another date (crosswalk)."""

from __future__ import annotations

import csv
import sys
from typing import Optional

import typer

from nhsgraph.cli.base import JsonOpt, app, date_option, handles_errors, state
from nhsgraph.cli.render import console, print_json

CsvOpt = typer.Option(False, "--csv", help="CSV on stdout, one row per change.")


@app.command()
@handles_errors
def changes(from_: str = typer.Option(..., "--from", help="First day (YYYY[-MM[-DD]])."),
            to: str = typer.Option(..., "--to", help="Last day, included (YYYY[-MM[-DD]])."),
            type_: Optional[list[str]] = typer.Option(
                None, "--type", help="Only changes involving a body of this type (repeatable)."),
            kind: Optional[list[str]] = typer.Option(
                None, "--kind", help="Only this kind of change (repeatable): open, close, "
                                     "rename, recode, merge, split, acquisition, move…"),
            json_: bool = JsonOpt, csv_: bool = CsvOpt):
    """Every body opened, closed, renamed, recoded, merged, split or taken over, and every
    move to a new parent, between two dates, with the bodies on both sides and the sources.

    Example: nhsgraph changes --from 2020-04-01 --to 2020-04-01 --type ccg
    """
    from nhsgraph.services.changes import CSV_COLUMNS, change_feed, csv_rows

    date_option(from_, "--from")
    date_option(to, "--to")
    store = state.store(create=False)
    with store.reader() as conn:
        feed = change_feed(conn, from_, to, type_, kind)
    if json_:
        print_json(feed)
        return
    if csv_:
        out = csv.DictWriter(sys.stdout, CSV_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(csv_rows(feed))
        return
    counts = ", ".join(f"{k} {n}" for k, n in feed["counts"].items()) or "none"
    console.print(f"[bold]{feed['total']}[/bold] changes from {feed['from']} to {feed['to']}"
                  f"{' of type ' + ', '.join(feed['types']) if feed['types'] else ''}: {counts}",
                  highlight=False)
    from rich.markup import escape

    for c in feed["changes"]:
        sources = ", ".join(dict.fromkeys(x["source_id"] for x in c["citations"]))
        derived = " (derived)" if c["derived"] else ""
        console.print(f"{c['date']}  [bold]{c['kind']}[/bold]{derived}  {escape(c['summary'])}  "
                      f"[dim]{escape(sources)}[/dim]", highlight=False, markup=True)
