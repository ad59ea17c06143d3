"""Commands for documents: extract (read-only), ingest (store proposals), review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import Progress

from nhsgraph.cli.base import JsonOpt, app, handles_errors, need, state
from nhsgraph.cli.render import console, err_console, facts_table, print_json
from nhsgraph.errors import EXIT_BAD_FILE, exit_code


@app.command()
@handles_errors
def extract(files: list[Path] = typer.Argument(..., help="Documents: .txt, .md, .html, .pdf."),
            jsonl: bool = typer.Option(False, "--jsonl", help="One JSON object per line."),
            workers: int = typer.Option(1, help="Processes to use for large batches."),
            registry: bool = typer.Option(False, "--registry",
                                          help="Link mentions to the registry in --db.")):
    """Read documents and print what they say, in the extraction schema; stores nothing.

    Example: nhsgraph extract minutes.pdf news.html --jsonl
    """
    need("extract")
    from nhsgraph.extract.api import FileError, extract_files

    gazetteer = None
    if registry:
        from nhsgraph.services.ingest import build_gazetteer

        with state.store(create=False).reader() as conn:
            gazetteer = build_gazetteer(conn)
    failed = []
    for path, result in extract_files(files, workers=workers, gazetteer=gazetteer):
        if isinstance(result, FileError):
            failed.append(f"{path}: {result.message}")
        else:
            print(json.dumps(result, ensure_ascii=False, indent=None if jsonl else 2))
    for line in failed:
        err_console.print(f"[red]error:[/red] {escape(line)}", highlight=False)
    if failed:
        err_console.print(f"{len(failed)} of {len(files)} file(s) could not be read")
        raise typer.Exit(EXIT_BAD_FILE)


@app.command()
@handles_errors
def ingest(files: list[Path] = typer.Argument(..., help="Documents to store and read."),
           json_: bool = JsonOpt):
    """Store documents (full-text searchable) and their proposed statements for review.

    Example: nhsgraph ingest board-minutes-2012-03.pdf
    """
    need("extract")
    from nhsgraph.errors import NhsgraphError
    from nhsgraph.services.ingest import build_gazetteer, ingest_file

    store = state.store()
    with store.reader() as conn:
        gazetteer = build_gazetteer(conn)   # once for the batch: ingesting only proposes
    reports, failed, codes = [], [], []
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for path in files:
            try:
                reports.append(ingest_file(store, path, gazetteer=gazetteer))
            except NhsgraphError as exc:
                text = str(exc)
                failed.append(text if text.startswith(str(path)) else f"{path}: {text}")
                codes.append(exit_code(exc))
            progress.advance(task)
    if json_:
        print_json({"documents": reports, "errors": failed})
    else:
        for r in reports:
            console.print(f"{r.doc} [dim]{r.source_id}[/dim]: {r.proposed} proposed, "
                          f"{r.unchanged} already known; {r.linked_orgs} organisations linked, "
                          f"{r.new_orgs} new, {r.people} people, {r.events} events, "
                          f"{r.decisions} decisions")
        for line in failed:
            err_console.print(f"[red]error:[/red] {escape(line)}", highlight=False)
    if failed:
        raise typer.Exit(codes[0])


@app.command()
@handles_errors
def review(accept: Optional[list[int]] = typer.Option(None, "--accept", help="Accept these ids."),
           reject: Optional[list[int]] = typer.Option(None, "--reject", help="Reject these ids."),
           source: Optional[str] = typer.Option(None, "--source", help="Only this document."),
           accept_all: bool = typer.Option(False, "--accept-all",
                                           help="Accept every listed proposal."),
           reject_all: bool = typer.Option(False, "--reject-all",
                                           help="Reject every listed proposal."),
           limit: int = typer.Option(200, help="List at most this many."),
           json_: bool = JsonOpt):
    """List proposed statements, and accept or reject them singly or in bulk.

    Example: nhsgraph review --source doc:1f2e3d4c5b6a7988 --accept 12 --accept 13
    """
    from nhsgraph.services.review import decide
    from nhsgraph.services.views import proposals_data

    store = state.store(create=False)
    if accept_all or reject_all:
        with store.reader() as conn:
            ids = [f["id"] for f in proposals_data(conn, source, limit)["items"]]
        done = decide(store, ids, "accept" if accept_all else "reject")
        console.print(f"{'accepted' if accept_all else 'rejected'} {len(done)} proposal(s)")
        return
    if accept or reject:
        a = decide(store, accept or [], "accept") if accept else []
        r = decide(store, reject or [], "reject") if reject else []
        console.print(f"accepted {len(a)}, rejected {len(r)}")
        return
    with store.reader() as conn:
        facts = proposals_data(conn, source, limit)["items"]
    if json_:
        print_json(facts)
        return
    if not facts:
        console.print("nothing to review")
        return
    console.print(facts_table("Proposed statements", facts, subject=True, ids=True))
