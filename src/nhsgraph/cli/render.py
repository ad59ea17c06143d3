"""Rendering the answers of ``nhsgraph.services.views`` for the terminal (Rich) or as JSON:
the facts are the views' fact dicts, the same the API sends."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from nhsgraph.model.jsonable import to_jsonable
from nhsgraph.services.views import describe_citation

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long


def print_json(data: Any) -> None:
    print(json.dumps(data, default=to_jsonable, ensure_ascii=False, indent=2))


def cite(f: dict) -> str:
    return "; ".join(describe_citation(c) for c in f["citations"])


def facts_table(title: str, facts: list[dict], *, subject: bool = False, ids: bool = False) -> Table:
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
        q = f["qualifiers"]
        role = q.get("role") or q.get("change") or ""
        label = f["predicate"] + (f" ({role})" if role else "")
        row = [label, f["display"], f["when"], cite(f)]
        if subject:
            row.insert(0, f["subject_label"] or f["subject"])
        if ids:
            row.insert(0, str(f["id"]))
        table.add_row(*row)
    return table
