"""Commands that load official data: ODS extracts and successor files, ONS lookups."""

from __future__ import annotations

from contextlib import contextmanager
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


@contextmanager
def progress_bar():
    """A Rich progress bar on stderr, one task per description; yields the callback the
    importers take."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(advance: int, total: int | None, description: str) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=total)
            bar.update(tasks[description], advance=advance, total=total)

        yield progress


def _print_files(files) -> None:
    for f in files:
        console.print(f"{f.path}: {f.kind}, as of {f.as_of}, {f.rows:,} rows, "
                      f"{f.statements:,} statements, {f.rejected:,} rejected", highlight=False)


def _print_rejected(rejected, report_path) -> None:
    if rejected:
        err_console.print(f"[yellow]{len(rejected)} rows rejected[/yellow]"
                          + (f" (listed in {report_path})" if report_path else ""))
        for r in rejected[:20]:
            err_console.print(f"  {r}", highlight=False)


def _run(importer, files, as_at, skip_bad, report_path, encoding, json_):
    with progress_bar() as progress:
        report = importer(state.store(), files, as_at=as_at, skip_bad=skip_bad,
                          progress=progress, encoding=encoding)
    if report_path and report.rejected:
        report.write_rejected(report_path)
    if json_:
        print_json(report)
        return
    _print_files(report.files)
    console.print(f"{report.statements_added:,} statements added, "
                  f"{report.statements_unchanged:,} unchanged, "
                  f"{report.statements_superseded:,} superseded, "
                  f"{report.entities_new:,} new entities")
    _print_rejected(report.rejected, report_path)


def run_folder(store, folder: Path, *, skip_bad: bool = False, report_path=None,
               json_: bool = False):
    """Import a folder (one transaction) with a progress bar, then print the per-file
    report, what was read as Windows-1252 and what was left out, and why."""
    from nhsgraph.importers.folder import import_folder

    with progress_bar() as progress:
        rep = import_folder(store, folder, progress=progress, skip_bad=skip_bad)
    rejected = [r for sub in rep.reports for r in sub.rejected]
    if report_path and rejected:
        Path(report_path).write_text("".join(f"{r}\n" for r in rejected), encoding="utf-8")
    if json_:
        print_json({"counts": rep.counts(), "files": rep.files,
                    "cp1252": rep.cp1252,
                    "skipped": [{"path": p, "why": why} for p, why in rep.skipped]})
        return rep
    _print_files(rep.files)
    for path in rep.cp1252:
        console.print(f"  read as Windows-1252: {path}", highlight=False)
    for path, why in rep.skipped:
        why = why.split("; expected")[0].removeprefix(f"{path}: ")
        console.print(f"  [dim]left out {path}: {why}[/dim]", highlight=False)
    c = rep.counts()
    console.print(f"{c['files']} files: {c['statements_added']:,} statements added, "
                  f"{c['statements_unchanged']:,} unchanged, "
                  f"{c['statements_superseded']:,} superseded, "
                  f"{c['entities_new']:,} new entities; {c['skipped']} files left out")
    _print_rejected(rejected, report_path)
    return rep


@import_app.command("folder")
@handles_errors
def import_folder_cmd(folder: Path = typer.Argument(..., help="A folder of official data files."),
                      skip_bad: bool = SkipBadOpt, report: Optional[Path] = ReportOpt,
                      json_: bool = JsonOpt):
    """Import every ODS extract, successor file and ONS lookup under a folder, as one import.

    All or nothing: a bad row anywhere leaves the store unchanged (unless --skip-bad). Any
    mix of encodings (files that are not UTF-8 are read as Windows-1252 and listed); files
    of other layouts are listed with the reason and left out.

    Example: nhsgraph import folder ../shared/data/real
    """
    run_folder(state.store(), folder, skip_bad=skip_bad, report_path=report, json_=json_)


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


@import_app.command("ods-api")
@handles_errors
def import_ods_api(files: list[Path] = FilesArg, as_at: Optional[str] = AsAtOpt,
                   skip_bad: bool = SkipBadOpt, report: Optional[Path] = ReportOpt,
                   encoding: Optional[str] = EncodingOpt, json_: bool = JsonOpt):
    """Import ODS API records saved as JSON: ORD organisation records and FHIR
    Organization / OrganizationAffiliation resources (or a Bundle of them).

    Example: nhsgraph import ods-api RW6.json bundle.json
    """
    from nhsgraph.importers import import_ods_api as run

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
