"""Commands for data users: what changed between two dates (changes), a table of old
codes re-keyed to the bodies of another date (crosswalk), and a body's figures (figures)."""

from __future__ import annotations

import csv
import sys
from typing import Optional

import typer
from rich.markup import escape

from nhsgraph.cli.base import JsonOpt, app, date_option, handles_errors, state
from nhsgraph.cli.render import console, facts_table, print_json

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


@app.command()
@handles_errors
def crosswalk(file: str = typer.Argument(..., help="A CSV with a header: a code column and "
                                                   "numeric columns."),
              from_: str = typer.Option(..., "--from", help="The day the codes are valid on."),
              to: str = typer.Option(..., "--to", help="The day to re-key to."),
              type_: str = typer.Option(..., "--type", help="The type of body to re-key to "
                                                            "(ccg, icb, pct…)."),
              code_column: Optional[str] = typer.Option(
                  None, "--code-column", help="The column of codes (default: the first)."),
              value_column: Optional[list[str]] = typer.Option(
                  None, "--value-column", help="A column to sum (repeatable; default: "
                                               "every other column)."),
              weight: str = typer.Option("equal", "--weight", help="How a split shares out: "
                                         "equal, postcode, practices, or lsoa (LSOA overlap "
                                         "between the ONS lookups nearest --from and --to; "
                                         "rows name both, and LSOA11 vs LSOA21). population "
                                         "is refused: no list sizes are held."),
              fallback: bool = typer.Option(False, "--fallback", help="Share equally where "
                                            "the weight is not held (the rows say so)."),
              out: Optional[str] = typer.Option(None, "--out", help="Write the re-keyed CSV "
                                                "here (default: stdout)."),
              json_: bool = JsonOpt):
    """Re-key a table of codes valid on one date to the bodies of a type on another date,
    through successions and memberships: merges sum, splits share out by a held weight;
    every row says how it was mapped; unmapped codes and the totals are listed.

    Example: nhsgraph crosswalk ccg19.csv --from 2019-04-01 --to 2020-04-01 --type ccg
    """
    from nhsgraph.cli.render import err_console
    from nhsgraph.services.crosswalk import crosswalk_file

    date_option(from_, "--from")
    date_option(to, "--to")
    store = state.store(create=False)
    with store.reader() as conn:
        result = crosswalk_file(conn, file, from_, to, type_, code_column=code_column,
                                value_columns=value_column, weight=weight, fallback=fallback)
    if json_:
        print_json(result.to_dict())
        return
    if out:
        with open(out, "w", newline="", encoding="utf-8") as fh:
            _write_table(fh, result)
    else:
        _write_table(sys.stdout, result)
    report = console if out else err_console
    for name, totals in (("in", result.totals_in), ("out", result.totals_out),
                         ("unmapped", result.totals_unmapped)):
        report.print(f"total {name}: " + ", ".join(f"{k} {v:g}" for k, v in totals.items()),
                     highlight=False, markup=False)
    report.print(f"{len(result.rows)} rows (weight: {result.weight}); "
                 f"{len(result.unmapped)} codes not mapped", highlight=False, markup=False)
    for u in result.unmapped:
        report.print(f"  line {u['line']}: {u['code']}: {u['reason']}", highlight=False,
                     markup=False)


def _write_table(fh, result) -> None:
    w = csv.DictWriter(fh, result.columns, lineterminator="\n")
    w.writeheader()
    w.writerows(result.rows)


@app.command()
@handles_errors
def figures(name: str = typer.Argument(..., help="Name, alias, ODS/ONS code or id."),
            at: Optional[str] = typer.Option(None, "--at", help="Date (YYYY[-MM[-DD]])."),
            measure: Optional[str] = typer.Option(None, "--measure", help="Only this measure "
                                                  "(e.g. catchment_share_from_icb)."),
            json_: bool = JsonOpt):
    """A body's figures on a date, and other bodies' figures measured against it (a
    trust's catchment shares from each ICB; an ICB's from each trust), largest first.

    --json prints the body of GET /api/entities/{id}/figures.

    Example: nhsgraph figures QYG --at 2022-08-01 --measure catchment_share_from_icb
    """
    from nhsgraph.services import views

    at = date_option(at)
    with state.store(create=False).reader() as conn:
        d = views.figures_data(conn, name, at, measure)
    if json_:
        print_json(d)
        return
    console.print(f"[bold]{escape(d['name'])}[/bold]  [dim]{d['id']}"
                  + (f" · as at {d['at']}" if d["at"] else " · all dates") + "[/dim]")
    if not d["figures"] and not d["figures_about"]:
        console.print("no figures held" + (f" of {measure}" if measure else ""))
    for key in ("figures", "figures_about"):
        if d[key]:
            console.print(facts_table(views.SECTION_TITLES[key], d[key],
                                      subject=key in views.INBOUND_SECTIONS))
