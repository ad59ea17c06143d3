"""Rendering query results for the terminal (Rich) or as JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from nhsgraph.model.jsonable import to_jsonable
from nhsgraph.query.facts import Fact

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long


def print_json(data: Any) -> None:
    print(json.dumps(data, default=to_jsonable, ensure_ascii=False, indent=2))


def when(f: Fact) -> str:
    start = f"by {f.valid_from}" if f.start_is_bound else f"{f.valid_from}"
    if f.valid_from and f.valid_to:
        dates = f"{start} – {f.valid_to}"
    elif f.valid_from:
        dates = start if f.start_is_bound else f"from {start}"
    elif f.valid_to:
        dates = f"until {f.valid_to}"
    else:
        dates = ""
    return f"{dates} ({f.inferred})" if f.inferred else dates


def cite(f: Fact) -> str:
    return "; ".join(c.describe() for c in f.citations)


def facts_table(title: str, facts: list[Fact], *, subject: bool = False, ids: bool = False) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    if ids:
        table.add_column("id", no_wrap=True)
    if subject:
        table.add_column("who / what", ratio=2)
    table.add_column("fact", ratio=1)
    table.add_column("value", ratio=3)
    table.add_column("valid", ratio=2)
    table.add_column("source", ratio=4, overflow="fold")
    for f in facts:
        role = f.qualifiers.get("role") or f.qualifiers.get("change") or ""
        label = f.predicate + (f" ({role})" if role else "")
        row = [label, f.display_value(), when(f), cite(f)]
        if subject:
            row.insert(0, f.subject_label or f.subject)
        if ids:
            row.insert(0, str(f.id))
        table.add_row(*row)
    return table
