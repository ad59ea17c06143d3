"""Commands over the rules layer: rules list/show, check, pipeline."""

from __future__ import annotations

from typing import Optional

import typer

from nhsgraph.cli.base import JsonOpt, app, date_option, handles_errors, state
from nhsgraph.cli.render import console, err_console, print_json
from nhsgraph.errors import EXIT_BREACH

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
    from nhsgraph.rules import all_rules

    rules = all_rules(era)
    if json_:
        print_json([r.to_dict() for r in rules])
        return
    for r in rules:
        console.print(f"[bold]{r.id}[/bold] [dim]{r.pack} · [{r.status}] · {r.in_force_text()} · "
                      f"{r.source}[/dim]\n  {r.title}", highlight=False)


@rules_app.command("show")
@handles_errors
def rules_show(rule_id: str = typer.Argument(..., help="Rule id, e.g. CLUSTER-MODEL2-PRINCIPLES."),
               json_: bool = JsonOpt):
    """Show one rule: its explanation, dates in force, org types, status and source.

    Example: nhsgraph rules show CLUSTER-MODEL2-PRINCIPLES
    """
    from nhsgraph.rules import get_rule

    r = get_rule(rule_id)
    if json_:
        print_json(r.to_dict())
        return
    d = r.to_dict()
    console.print(f"[bold]{r.id}[/bold] — {r.title}", highlight=False)
    for k in ("pack", "status", "severity", "applies_to", "source", "locator", "note"):
        if d.get(k):
            console.print(f"  {k}: {d[k]}", highlight=False)
    console.print(f"  in force: {r.in_force_text()}\n  rule: {r.text}",
                  highlight=False)


@app.command("check")
@handles_errors
def check_cmd(name: str = typer.Argument(..., help="Organisation name, code or id."),
              at: str = typer.Option(..., "--at", help="Date (YYYY, YYYY-MM or YYYY-MM-DD)."),
              rule: Optional[str] = typer.Option(None, "--rule", help="Check this rule only."),
              fail_on: Optional[list[str]] = typer.Option(
                  None, "--fail-on", help="Exit 7 when a finding has this outcome: breach, "
                  "insufficient_evidence (repeatable)."),
              json_: bool = JsonOpt):
    """Check an organisation against the governance rules in force on a date.

    With --fail-on breach the exit code says whether a rule was breached (7), for scripts.

    Example: nhsgraph check "NHS Bath and North East Somerset and NHS Wiltshire" --at 2011-12-02 --fail-on breach
    """
    from nhsgraph.errors import BadInput
    from nhsgraph.query import resolve
    from nhsgraph.rules import check

    at = date_option(at)
    unknown = [o for o in fail_on or () if o not in FAIL_ON]
    if unknown:
        raise BadInput(f"--fail-on: unknown outcome {', '.join(map(repr, unknown))}; known: "
                       f"{', '.join(FAIL_ON)}")
    store = state.store(create=False)
    with store.reader() as conn:
        match = resolve(conn, name, kind="organisation")
        findings = check(conn, match.id, at, rule)
    if json_:
        print_json([f.to_dict() for f in findings])
        _exit_on(findings, fail_on)
        return
    console.print(f"[bold]{match.label}[/bold] [dim]{match.id} · as at {at} · "
                  f"{len(findings)} finding(s)[/dim]")
    if not findings:
        console.print("no rule in force applies to this organisation on that date")
    for f in findings:
        style = _STYLE.get(f.outcome, "")
        console.print(f"[{style}]{f.outcome}[/{style}] [bold]{f.rule_id}[/bold] "
                      f"[dim]({f.severity})[/dim]\n  {f.explanation}", highlight=False)
        for fact in f.facts[:6]:
            cite = fact.citations[0].describe() if fact.citations else ""
            console.print(f"    [dim]· {fact.subject_label or fact.subject} {fact.predicate} "
                          f"{fact.display_value()} — {cite}[/dim]", highlight=False)
    _exit_on(findings, fail_on)


def _exit_on(findings, fail_on) -> None:
    failed = [f for f in findings if f.outcome in (fail_on or ())]
    if failed:
        err_console.print(f"{len(failed)} finding(s) {'/'.join(sorted({f.outcome for f in failed}))}"
                          f": {', '.join(f.rule_id for f in failed)}", highlight=False)
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
    from nhsgraph.query import resolve
    from nhsgraph.rules.pipelines import path

    store = state.store(create=False)
    with store.reader() as conn:
        match = resolve(conn, name, kind="organisation")
        steps = path(conn, match.id, process)
    if json_:
        print_json({"id": match.id, "name": match.label, "steps": [s.to_dict() for s in steps]})
        return
    console.print(f"[bold]{match.label}[/bold] [dim]{match.id}[/dim]")
    if not steps:
        console.print("no recorded process stages")
    for s in steps:
        ok = "[green]✓[/green]" if s.allowed else "[red]✗[/red]"
        extra = f" (recorded as {s.recorded_as})" if s.recorded_as else ""
        rule = f" [dim]{s.how}; {s.rule}[/dim]" if s.rule else f" [dim]{s.how}[/dim]"
        console.print(f"{ok} {s.date or '?'}  {s.process}: [bold]{s.stage}[/bold]{extra}"
                      f"{' — ' + s.decider if s.decider else ''}{rule}", highlight=False)
