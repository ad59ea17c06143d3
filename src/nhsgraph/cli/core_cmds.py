"""Commands over the core store and queries: init, show, lineage, landscape, timeline,
search, conflicts, predicates, import curated, serve, demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from nhsgraph.cli.base import JsonOpt, app, date_option, handles_errors, import_app, need, state
from nhsgraph.cli.render import cite, console, facts_table, print_json, when


@app.command()
@handles_errors
def init():
    """Create or upgrade the database schema.

    Example: nhsgraph --db registry.db init
    """
    store = state.store()
    console.print(f"database ready: {store.engine.url.render_as_string(hide_password=True)}")


@app.command()
@handles_errors
def show(name: str = typer.Argument(..., help="Name, alias, ODS/ONS code or id."),
         at: Optional[str] = typer.Option(None, "--at", help="Date (YYYY, YYYY-MM or YYYY-MM-DD)."),
         json_: bool = JsonOpt):
    """Show an organisation (or event) as at a date, or a person's posts over time.

    Example: nhsgraph show "NHS Wiltshire" --at 2011-11-29
    """
    from nhsgraph.query import Snapshot, person_posts, resolve
    from nhsgraph.query.snapshot import INBOUND_SECTIONS

    at = date_option(at)
    store = state.store(create=False)
    with store.reader() as conn:
        match = resolve(conn, name)
        snap = Snapshot.of(conn, at)
        view = snap.entity(match.id)
        posts = person_posts(conn, match.id) if view.kind == "person" else None
    if json_:
        data = view.to_dict()
        if posts is not None:
            data["posts"] = [f.to_dict() for f in posts]
        print_json(data)
        return
    heading = f"[bold]{view.name}[/bold]  [dim]{view.id} · {view.kind}"
    heading += f" · {view.org_type}" if view.org_type else ""
    heading += f" · as at {view.at}" if view.at else " · all dates"
    console.print(heading + "[/dim]")
    if posts is not None:
        console.print(facts_table("Posts over time", posts))
    for section, facts in view.sections().items():
        if facts and not (posts is not None and section == "posts"):
            console.print(facts_table(section.replace("_", " ").capitalize(), facts,
                                      subject=section in INBOUND_SECTIONS))


@app.command()
@handles_errors
def lineage(name: str, json_: bool = JsonOpt):
    """Predecessors and successors through merges, splits, renames and abolitions.

    Example: nhsgraph lineage "NHS Wiltshire"
    """
    from nhsgraph.query import lineage as lineage_of, resolve

    store = state.store(create=False)
    with store.reader() as conn:
        match = resolve(conn, name, kind="organisation")
        result = lineage_of(conn, match.id)
    if json_:
        print_json(result.to_dict())
        return
    console.print(f"[bold]{match.label}[/bold] [dim]{match.id}[/dim]")
    if not result.links:
        console.print("no recorded predecessors or successors")
    for title, links in (("Predecessors", result.predecessors), ("Successors", result.successors)):
        if links:
            console.print(facts_table(title, links, subject=True))


PARENT_LINKS = ("accountable_to", "member_of", "hosted_by")   # as the API's ParentLink


@app.command()
@handles_errors
def landscape(at: str = typer.Option(..., "--at", help="Date."),
              type_: Optional[list[str]] = typer.Option(None, "--type", help="Org type(s)."),
              by: str = typer.Option("accountable_to", "--by",
                                     help="Group by this parent link (accountable_to, member_of, hosted_by)."),
              json_: bool = JsonOpt):
    """All organisations of given types alive on a date, grouped by parent.

    Example: nhsgraph landscape --at 2012-06-01 --type pct
    """
    from nhsgraph.errors import BadInput
    from nhsgraph.model.predicates import check_org_types
    from nhsgraph.query import landscape as landscape_of

    at = date_option(at)
    type_ = check_org_types(type_) or None
    if by not in PARENT_LINKS:
        raise BadInput(f"--by: unknown parent link {by!r}; known: {', '.join(PARENT_LINKS)}")
    store = state.store(create=False)
    with store.reader() as conn:
        result = landscape_of(conn, at, type_, by=by)
    if json_:
        print_json(result.to_dict())
        return
    console.print(f"[bold]{result.count}[/bold] organisations on {result.at}"
                  + (f" of type {', '.join(result.types)}" if result.types else ""))
    for g in result.groups:
        console.print(f"\n[bold]{g.parent_name or '(no recorded parent)'}[/bold] "
                      f"[dim]{g.parent or ''} · {len(g.members)}[/dim]")
        for m in g.members:
            console.print(f"  {m['name']} [dim]{m['id']} · {m['org_type']}[/dim]")


@app.command()
@handles_errors
def timeline(name: str, json_: bool = JsonOpt):
    """Every dated statement and event about an entity, in order.

    Example: nhsgraph timeline "Cambridgeshire Community Services NHS Trust"
    """
    from nhsgraph.query import resolve, timeline as timeline_of

    store = state.store(create=False)
    with store.reader() as conn:
        match = resolve(conn, name)
        facts = timeline_of(conn, match.id)
    if json_:
        print_json({"id": match.id, "name": match.label, "facts": [f.to_dict() for f in facts]})
        return
    console.print(facts_table(f"Timeline of {match.label}", facts, subject=True))


@app.command()
@handles_errors
def search(text: str, json_: bool = JsonOpt,
           limit: int = typer.Option(50, help="At most this many results.")):
    """Search names, aliases and codes, and the text of held documents.

    Example: nhsgraph search wiltshire
    """
    from nhsgraph.query import search_documents, search_entities

    store = state.store(create=False)
    with store.reader() as conn:
        hits = search_entities(conn, text, limit=limit)
        docs = search_documents(conn, text, limit=limit)
    if json_:
        print_json({"entities": hits, "documents": docs})
        return
    for h in hits:
        console.print(f"{h.label} [dim]{h.id} · {h.kind} · {h.field}: {h.matched}[/dim]")
    for d in docs:
        console.print(f"[bold]document[/bold] {d['title']} [dim]{d['id']}[/dim]: {d['snippet']}",
                      highlight=False, markup=False)
    if not hits and not docs:
        console.print("nothing found")


@app.command()
@handles_errors
def conflicts(name: Optional[str] = typer.Argument(None, help="Only this entity."),
              json_: bool = JsonOpt):
    """Facts that disagree: two values of a one-at-a-time fact over the same time.

    Example: nhsgraph conflicts
    """
    from nhsgraph.query import conflicts as conflicts_of, resolve

    store = state.store(create=False)
    with store.reader() as conn:
        subject = resolve(conn, name).id if name else None
        found = conflicts_of(conn, subject)
    if json_:
        print_json([c.to_dict() for c in found])
        return
    if not found:
        console.print("no conflicts")
    for c in found:
        console.print(f"[bold]{c.subject_label}[/bold] {c.predicate}:")
        for f in (c.a, c.b):
            console.print(f"  {f.display_value()} [dim]{when(f)}[/dim] — {cite(f)}",
                          highlight=False)


@app.command()
def predicates(json_: bool = JsonOpt):
    """The closed predicate vocabulary, with org types and roles.

    Example: nhsgraph predicates
    """
    from nhsgraph.model.predicates import ORG_TYPES, PREDICATES, ROLES

    if json_:
        print_json({"predicates": [p.__dict__ for p in PREDICATES.values()],
                    "org_types": sorted(ORG_TYPES), "roles": sorted(ROLES)})
        return
    for p in PREDICATES.values():
        console.print(f"[bold]{p.name}[/bold] {'/'.join(p.domain)} → "
                      f"{'/'.join(p.range) if p.value_type == 'entity' else p.value_type}"
                      f" [dim]{'one at a time' if p.single else 'many'}; inverse: {p.inverse}"
                      f"[/dim] {p.description}")
    console.print(f"\n[bold]org types[/bold]: {', '.join(sorted(ORG_TYPES))}")
    console.print(f"[bold]roles[/bold]: {', '.join(sorted(ROLES))}")


@import_app.command("curated")
@handles_errors
def import_curated(directory: Optional[Path] = typer.Argument(
        None, help="Folder of YAML files; the bundled knowledge base when omitted."),
        documents: Optional[Path] = typer.Option(
            None, "--documents", help="Folder of source texts: check every span against them."),
        json_: bool = JsonOpt):
    """Load a curated knowledge base (YAML). Loading twice changes nothing.

    Example: nhsgraph import curated --documents ../shared/seeds
    """
    from nhsgraph.importers.curated import load_curated

    report = load_curated(state.store(), directory, documents=documents)
    if json_:
        print_json(report)
        return
    console.print(f"{report.files} files: {report.statements_added} statements added, "
                  f"{report.statements_unchanged} unchanged, {report.entities_new} new entities, "
                  f"{report.sources_new} new sources, {report.spans_checked} spans checked")
    if report.documents_missing:
        console.print(f"[yellow]documents not found:[/yellow] {', '.join(report.documents_missing)}")


def _default_documents() -> Path | None:
    """The seed documents beside the project (../shared/seeds), when they are there."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


@app.command()
@handles_errors
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
          workers: int = typer.Option(
              1, min=1, max=64, help="Processes to serve from, each with its own "
              "connections (about one per core). To serve from several machines, point "
              "them all at one PostgreSQL database.")):
    """Serve the web pages and the REST API over the database.

    Example: nhsgraph --db registry.db serve --port 8000 --workers 4
    """
    need("web")
    import uvicorn

    from nhsgraph.api import create_app

    store = state.store()  # create or upgrade the schema before serving
    console.print(f"serving on [bold]http://{host}:{port}/[/bold] (API docs at /api/docs)"
                  + (f" from {workers} processes" if workers > 1 else ""))
    if workers == 1:
        uvicorn.run(create_app(store=store), host=host, port=port, log_level="warning")
        return
    store.close()
    # Each worker process builds its own app (and connections) from the environment.
    os.environ["NHSGRAPH_DB"] = str(state.db) if state.db and "://" in str(state.db) \
        else str(Path(state.db or "nhsgraph.db").expanduser().resolve())
    uvicorn.run("nhsgraph.api.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@app.command()
@handles_errors
def demo(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
         port: int = typer.Option(8000, help="Port to listen on."),
         documents: Optional[Path] = typer.Option(
             None, "--documents", help="Seed documents; ../shared/seeds when present."),
         official: Optional[Path] = typer.Option(
             None, "--official", help="Also import every ODS/ONS file under this folder."),
         no_serve: bool = typer.Option(False, "--no-serve", help="Load, summarise and stop.")):
    """Load the bundled knowledge base (and, with --official, national data), then serve it.

    Example: nhsgraph --db demo.db demo --official ../shared/data/real --port 8000
    """
    from nhsgraph.importers.curated import load_curated

    if not no_serve:
        need("web")
    documents = documents or _default_documents()
    store = state.store()
    report = load_curated(store, None, documents=documents)
    counts = store.counts()
    console.print(f"knowledge base loaded: {report.statements_added} new statements; "
                  f"{report.spans_checked} spans checked"
                  f"{' against ' + str(documents) if documents else ', no documents at hand'}")
    if official and counts["statement"] > 10 * (report.statements_added + report.statements_unchanged):
        console.print("official data already imported (delete the database to import again)")
    elif official:
        from nhsgraph.cli.import_cmds import run_folder

        console.print(f"importing official data from {official}…")
        run_folder(store, official)
        counts = store.counts()
    console.print(f"registry: {counts['entity']} entities, {counts['statement']} statements, "
                  f"{counts['citation']} citations, {counts['source']} sources")
    if not no_serve:
        serve(host=host, port=port, workers=1)
