"""Commands over the rules layer: rules list/show, check, pipeline."""

from __future__ import annotations

from typing import Optional

import typer

from nhsgraph.cli.base import (JsonOpt, KnownAtOpt, app, date_option, handles_errors,
                               known_at_option, state)
from nhsgraph.cli.render import cite, console, err_console, print_json
from nhsgraph.errors import EXIT_BREACH
from nhsgraph.services import views

rules_app = typer.Typer(help="Governance rule packs: list and show the encoded rules.",
                        no_args_is_help=True)
app.add_typer(rules_app, name="rules")

FAIL_ON = ("breach", "insufficient_evidence")
_STYLE = {"complies": "green", "breach": "red", "insufficient_evidence": "yellow",
          "not_applicable": "dim"}


@rules_app.command("list")
@handles_errors
def rules_list(era: Optional[str] = typer.Option(None, "--era", help="Rule pack, e.g. pct_clusters."),
               json_: bool = JsonOpt):
    """List the encoded rules: id, title, dates in force and source.

    Example: nhsgraph rules list --era pct_clusters
    """
    with state.store(create=False).reader() as conn:
        rules = views.rules_data(conn, era)
    if json_:
        print_json(rules)
        return
    for r in rules:
        console.print(f"[bold]{r['id']}[/bold] [dim]{r['pack']} · [{r['status']}] · "
                      f"{r['in_force']} · {r['source']}[/dim]\n  {r['title']}", highlight=False)


@rules_app.command("show")
@handles_errors
def rules_show(rule_id: str = typer.Argument(..., help="Rule id, e.g. CLUSTER-MODEL2-PRINCIPLES."),
               json_: bool = JsonOpt):
    """Show one rule: its explanation, dates in force, org types, status and source.

    Example: nhsgraph rules show CLUSTER-MODEL2-PRINCIPLES
    """
    with state.store(create=False).reader() as conn:
        d = views.rule_data(conn, rule_id)
    if json_:
        print_json(d)
        return
    console.print(f"[bold]{d['id']}[/bold] — {d['title']}", highlight=False)
    for k in ("pack", "status", "severity", "applies_to", "source", "source_title", "locator",
              "note"):
        if d.get(k):
            console.print(f"  {k}: {d[k]}", highlight=False)
    console.print(f"  in force: {d['in_force']}\n  rule: {d['text']}", highlight=False)


@app.command("check")
@handles_errors
def check_cmd(name: str = typer.Argument(..., help="Organisation name, code or id."),
              at: str = typer.Option(..., "--at", help="Date (YYYY, YYYY-MM or YYYY-MM-DD)."),
              rule: Optional[str] = typer.Option(None, "--rule", help="Check this rule only."),
              fail_on: Optional[list[str]] = typer.Option(
                  None, "--fail-on", help="Exit 7 when a finding has this outcome: breach, "
                  "insufficient_evidence (repeatable)."),
              known_at: Optional[str] = KnownAtOpt, json_: bool = JsonOpt):
    """Check an organisation against the governance rules in force on a date.

    With --fail-on breach the exit code says whether a rule was breached (7), for scripts.

    Example: nhsgraph check "NHS Bath and North East Somerset and NHS Wiltshire" --at 2011-12-02 --fail-on breach
    """
    from nhsgraph.errors import BadInput

    at, known_at = date_option(at), known_at_option(known_at)
    unknown = [o for o in fail_on or () if o not in FAIL_ON]
    if unknown:
        raise BadInput(f"--fail-on: unknown outcome {', '.join(map(repr, unknown))}; known: "
                       f"{', '.join(FAIL_ON)}")
    with state.store(create=False).reader() as conn:
        d = views.check_data(conn, name, at, rule, known_at)
    findings = d["findings"]
    if json_:
        print_json(d)
        _exit_on(findings, fail_on)
        return
    console.print(f"[bold]{d['name']}[/bold] [dim]{d['id']} · as at {d['at']} · "
                  f"{len(findings)} finding(s)[/dim]")
    if not findings:
        console.print("no rule in force applies to this organisation on that date")
    for f in findings:
        style = _STYLE.get(f["outcome"], "")
        console.print(f"[{style}]{f['outcome']}[/{style}] [bold]{f['rule_id']}[/bold] "
                      f"[dim]({f['severity']})[/dim]\n  {f['explanation']}", highlight=False)
        for fact in f["facts"][:6]:
            console.print(f"    [dim]· {fact['subject_label'] or fact['subject']} "
                          f"{fact['predicate']} {fact['display']} — {cite(fact)}[/dim]",
                          highlight=False)
    _exit_on(findings, fail_on)


def _exit_on(findings: list[dict], fail_on) -> None:
    failed = [f for f in findings if f["outcome"] in (fail_on or ())]
    if failed:
        err_console.print(f"{len(failed)} finding(s) "
                          f"{'/'.join(sorted({f['outcome'] for f in failed}))}"
                          f": {', '.join(f['rule_id'] for f in failed)}", highlight=False)
        raise typer.Exit(EXIT_BREACH)


@app.command("pipeline")
@handles_errors
def pipeline_cmd(name: str = typer.Argument(..., help="Organisation name, code or id."),
                 process: Optional[str] = typer.Option(None, "--process",
                                                       help="Only this process."),
                 json_: bool = JsonOpt):
    """The stages an organisation went through in a process, and whether each was allowed.

    Example: nhsgraph pipeline "Cambridgeshire Community Services NHS Trust"
    """
    with state.store(create=False).reader() as conn:
        d = views.pipeline_data(conn, name, process)
    if json_:
        print_json(d)
        return
    console.print(f"[bold]{d['name']}[/bold] [dim]{d['id']}[/dim]")
    if not d["steps"]:
        console.print("no recorded process stages")
    for s in d["steps"]:
        ok = "[green]✓[/green]" if s["allowed"] else "[red]✗[/red]"
        extra = f" (recorded as {s['recorded_as']})" if s["recorded_as"] else ""
        how = f"{s['how']}; {s['rule']}" if s["rule"] else s["how"]
        console.print(f"{ok} {s['date'] or '?'}  {s['process']}: [bold]{s['stage']}[/bold]{extra}"
                      f"{' — ' + s['decider'] if s['decider'] else ''} [dim]{how}[/dim]",
                      highlight=False)
