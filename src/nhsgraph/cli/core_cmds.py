"""Commands over the core store and queries: init, show, lineage, landscape, timeline,
search, conflicts, predicates, import curated, serve, demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from rich.markup import escape
from rich.table import Table

from nhsgraph.cli.base import (JsonOpt, KnownAtOpt, app, date_option, handles_errors, import_app,
                               known_at_option, need, state)
from nhsgraph.cli.render import cite, console, facts_table, print_json
from nhsgraph.errors import BadInput
from nhsgraph.services import views


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
         known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """Show an organisation (or event) as at a date, or a person's posts over time.

    --json prints the body of GET /api/entities/{id} with the same arguments.

    Example: nhsgraph show "NHS Wiltshire" --at 2011-11-29 --known-at 2024-01-01
    """
    at, known_at = date_option(at), known_at_option(known_at)
    with state.store(create=False).reader() as conn:
        d = views.entity_data(conn, name, at, known_at)
    if json_:
        print_json(d)
        return
    heading = f"[bold]{escape(d['name'])}[/bold]  [dim]{d['id']} · {d['kind']}"
    heading += f" · {d['org_type']}" if d["org_type"] else ""
    heading += f" · as at {d['at']}" if d["at"] else " · all dates"
    heading += f" · as known at {d['known_at']}" if d["known_at"] else ""
    console.print(heading + "[/dim]")
    posts = d.get("posts")
    if posts is not None:
        console.print(facts_table("Posts over time", posts))
    for section, facts in d["sections"].items():
        if not (posts is not None and section == "posts"):
            console.print(facts_table(views.SECTION_TITLES.get(section, section), facts,
                                      subject=section in views.SUBJECT_SECTIONS))


@app.command()
@handles_errors
def lineage(name: str, known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """Predecessors and successors through merges, splits, renames and abolitions.

    Example: nhsgraph lineage "NHS Wiltshire"
    """
    known_at = known_at_option(known_at)
    with state.store(create=False).reader() as conn:
        d = views.lineage_data(conn, name, known_at)
    if json_:
        print_json(d)
        return
    console.print(f"[bold]{escape(d['name'])}[/bold] [dim]{d['root']}[/dim]")
    if not d["links"]:
        console.print("no recorded predecessors or successors")
    depth = d["depth"]
    for title, before in (("Predecessors", True), ("Successors", False)):
        links = [x for x in d["links"]
                 if (depth[x["from"]] < 0 if before else depth[x["to"]] > 0)]
        if links:
            table = Table(title=title, title_justify="left", expand=True)
            for col in ("from", "to", "change", "date", "source"):
                table.add_column(col)
            for x in links:
                table.add_row(x["from_name"] or x["from"], x["to_name"] or x["to"],
                              (x["change"] or "succeeded").replace("_", " "), x["date"] or "",
                              "; ".join(views.describe_citation(c) for c in x["citations"]))
            console.print(table)


@app.command()
@handles_errors
def landscape(at: str = typer.Option(..., "--at", help="Date."),
              type_: Optional[list[str]] = typer.Option(None, "--type", help="Org type(s)."),
              by: str = typer.Option("accountable_to", "--by",
                                     help="Group by this parent link (accountable_to, member_of, hosted_by)."),
              known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """All organisations of given types alive on a date, grouped by parent.

    Example: nhsgraph landscape --at 2012-06-01 --type pct
    """
    at, known_at = date_option(at), known_at_option(known_at)
    if by not in views.PARENT_LINKS:
        raise BadInput(f"--by: unknown parent link {by!r}; known: {', '.join(views.PARENT_LINKS)}")
    with state.store(create=False).reader() as conn:
        d = views.landscape_data(conn, at, type_, by, known_at=known_at)
    if json_:
        print_json(d)
        return
    console.print(f"[bold]{d['count']:,}[/bold] organisations on {d['at']}"
                  + (f" of type {', '.join(d['types'])}" if d["types"] else "")
                  + (f", as known at {d['known_at']}" if d["known_at"] else ""))
    for g in d["groups"]:
        console.print(f"\n[bold]{escape(g['parent_name'] or '(no recorded parent)')}[/bold] "
                      f"[dim]{g['parent'] or ''} · {g['size']:,}[/dim]")
        for m in g["members"]:
            console.print(f"  {escape(m['name'])} [dim]{m['id']} · {m['org_type']}[/dim]")


@app.command()
@handles_errors
def counts(at: list[str] = typer.Option(..., "--at", help="Date(s)."),
           type_: list[str] = typer.Option(..., "--type", help="Org type(s)."),
           markdown: bool = typer.Option(False, "--markdown",
                                         help="A Markdown table, as in README.md."),
           known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """How many organisations of each type were alive on each date.

    Example: nhsgraph counts --type sha --type pct --at 2005-01-01 --at 2007-01-01 --markdown
    """
    dates = [date_option(d) for d in at]
    known_at = known_at_option(known_at)
    with state.store(create=False).reader() as conn:
        d = views.counts_data(conn, dates, type_, known_at)
    if json_:
        print_json(d)
        return
    if markdown:
        print(counts_markdown(d))
        return
    table = Table(title="Organisations alive on each date" + (
        f", as known at {d['known_at']}" if d["known_at"] else ""), title_justify="left")
    table.add_column("type")
    for day in d["dates"]:
        table.add_column(day, justify="right")
    for t in d["types"]:
        table.add_row(t, *(f"{d['counts'][t][day]:,}" for day in d["dates"]))
    console.print(table)


def counts_markdown(d: dict) -> str:
    """The counts of ``views.counts_data`` as a Markdown table, a row per type."""
    lines = ["| type | " + " | ".join(d["dates"]) + " |",
             "|---|" + "---:|" * len(d["dates"])]
    lines += [f"| `{t}` | " + " | ".join(str(d["counts"][t][day]) for day in d["dates"]) + " |"
              for t in d["types"]]
    return "\n".join(lines)


@app.command()
@handles_errors
def timeline(name: str, known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """Every dated statement and event about an entity, in order.

    Example: nhsgraph timeline "Cambridgeshire Community Services NHS Trust"
    """
    known_at = known_at_option(known_at)
    with state.store(create=False).reader() as conn:
        d = views.timeline_data(conn, name, known_at)
    if json_:
        print_json(d)
        return
    console.print(facts_table(f"Timeline of {d['name']}", d["facts"], subject=True))


@app.command()
@handles_errors
def search(text: str, json_: bool = JsonOpt,
           limit: int = typer.Option(50, help="At most this many results.")):
    """Search names, aliases and codes, and the text of held documents.

    Example: nhsgraph search wiltshire
    """
    with state.store(create=False).reader() as conn:
        d = views.search_data(conn, text, limit, 0)
    if json_:
        print_json(d)
        return
    for h in d["entities"]:
        console.print(f"{escape(h['label'])} [dim]{h['id']} · {h['kind']} · {h['field']}: "
                      f"{escape(h['matched'])}[/dim]")
    for doc in d["documents"]:
        # the snippet marks matches with [brackets]: escaped, not read as markup
        console.print(f"[bold]document[/bold] {escape(doc['title'])} [dim]{doc['id']}[/dim]"
                      + (f": {escape(doc['snippet'])}" if doc["snippet"] else ""),
                      highlight=False)
    if not d["entities"] and not d["documents"]:
        console.print("nothing found")


@app.command()
@handles_errors
def conflicts(name: Optional[str] = typer.Argument(None, help="Only this entity."),
              json_: bool = JsonOpt):
    """Facts that disagree: two values of a one-at-a-time fact over the same time.

    Example: nhsgraph conflicts
    """
    with state.store(create=False).reader() as conn:
        found = views.conflicts_data(conn, name)
    if json_:
        print_json(found)
        return
    for p in found["placeholders"]:
        console.print(f"[dim]not listed: {p['conflicts']:,} about {escape(p['name'])} "
                      f"({p['id']}), a placeholder: {escape(p['why'])}[/dim]")
    if not found["conflicts"]:
        console.print("no conflicts")
    titles = {k["kind"]: f"{k['title']} ({k['count']:,})" for k in found["kinds"]}
    kind = None
    for c in found["conflicts"]:
        if c["kind"] != kind:
            kind = c["kind"]
            console.print(f"\n[bold underline]{titles[kind]}[/bold underline]")
        console.print(f"[bold]{escape(c['subject_name'] or c['subject'])}[/bold] {c['predicate']}:")
        for f in (c["a"], c["b"]):
            console.print(f"  {escape(f['display'])} [dim]{f['when']}[/dim] — {escape(cite(f))}",
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

    from nhsgraph.app import create_app

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
    uvicorn.run("nhsgraph.app:create_app", factory=True, host=host, port=port,
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
