"""Commands that load official data: ODS extracts and successor files, ONS lookups."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nhsgraph.cli.base import JsonOpt, handles_errors, import_app, state
from nhsgraph.cli.render import console, err_console, print_json

FilesArg = typer.Argument(..., help="Files: plain CSV/JSON or a zip holding one.")
AsAtOpt = typer.Option(None, "--as-at", help="Release date, when the file name does not say.")
SkipBadOpt = typer.Option(False, "--skip-bad", help="Import the good rows; report the bad ones.")
ReportOpt = typer.Option(None, "--report", help="Write rejected rows to this file.")
EncodingOpt = typer.Option(None, "--encoding", help="e.g. cp1252, for files that are not UTF-8.")


def _run(importer, files, as_at, skip_bad, report_path, encoding, json_):
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(advance: int, total: int | None, description: str) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=total)
            bar.update(tasks[description], advance=advance, total=total)

        report = importer(state.store(), files, as_at=as_at, skip_bad=skip_bad,
                          progress=progress, encoding=encoding)
    if report_path and report.rejected:
        report.write_rejected(report_path)
    if json_:
        print_json(report)
        return
    for f in report.files:
        console.print(f"{f.path}: {f.kind}, as of {f.as_of}, {f.rows} rows, "
                      f"{f.statements} statements, {f.rejected} rejected")
    console.print(f"{report.statements_added} statements added, {report.statements_unchanged} "
                  f"unchanged, {report.statements_superseded} superseded, "
                  f"{report.entities_new} new entities")
    if report.rejected:
        err_console.print(f"[yellow]{len(report.rejected)} rows rejected[/yellow]"
                          + (f" (listed in {report_path})" if report_path else ""))
        for r in report.rejected[:20]:
            err_console.print(f"  {r}", highlight=False)


@import_app.command("ods")
@handles_errors
def import_ods(files: list[Path] = FilesArg, as_at: Optional[str] = AsAtOpt,
               skip_bad: bool = SkipBadOpt, report: Optional[Path] = ReportOpt,
               encoding: Optional[str] = EncodingOpt, json_: bool = JsonOpt):
    """Import NHS ODS extracts (etr, ect, eccg, eauth, epraccur) and successor files.

    Example: nhsgraph import ods eccg.csv etr.zip succarc.zip
    """
    from nhsgraph.importers import import_ods as run

    _run(run, files, as_at, skip_bad, report, encoding, json_)


@import_app.command("lookup")
@handles_errors
def import_lookup(files: list[Path] = FilesArg, as_at: Optional[str] = AsAtOpt,
                  skip_bad: bool = SkipBadOpt, report: Optional[Path] = ReportOpt,
                  encoding: Optional[str] = EncodingOpt, json_: bool = JsonOpt):
    """Import ONS names-and-codes and hierarchy lookups (PCT→SHA, CCG→STP, LSOA→SICBL→ICB…).

    Also NHS Digital's GP practice mapping (practice→PCN→CCG→STP→region, 2022).

    Example: nhsgraph import lookup PCO12_SHA12_EN_LU.csv CCG13_NHSAT13_NHSCR13_EW_LU.csv
    """
    from nhsgraph.importers import import_lookups as run

    _run(run, files, as_at, skip_bad, report, encoding, json_)
