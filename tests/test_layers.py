"""Dependencies point down only: the core (model, store, query, rules, extract) never imports
an interface (cli, api, web, export) or a service, and the model knows no database."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "nhsgraph"
INTERFACES = ("nhsgraph.cli", "nhsgraph.api", "nhsgraph.web", "typer", "fastapi", "jinja2",
              "starlette", "uvicorn", "rich")
RULES = {
    "model": INTERFACES + ("nhsgraph.store", "nhsgraph.query", "nhsgraph.rules", "nhsgraph.services",
                           "nhsgraph.importers", "nhsgraph.extract", "sqlalchemy"),
    "store": INTERFACES + ("nhsgraph.query", "nhsgraph.rules", "nhsgraph.services",
                           "nhsgraph.importers", "nhsgraph.extract"),
    "query": INTERFACES + ("nhsgraph.rules", "nhsgraph.services", "nhsgraph.importers",
                           "nhsgraph.extract"),
    "rules": INTERFACES + ("nhsgraph.services", "nhsgraph.importers", "nhsgraph.extract"),
    "extract": INTERFACES + ("nhsgraph.store", "nhsgraph.query", "nhsgraph.rules",
                             "nhsgraph.services", "nhsgraph.importers", "sqlalchemy"),
    "importers": INTERFACES + ("nhsgraph.services",),
    "services": INTERFACES + ("nhsgraph.export",),
    # an interface that writes files: it renders services' answers, like cli/api/web, and
    # imports none of them (nor typer, fastapi, jinja2, rich)
    "export": INTERFACES + ("nhsgraph.rules", "nhsgraph.importers", "nhsgraph.extract"),
}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_point_down(layer):
    folder = PKG / layer
    assert folder.is_dir(), f"no {layer} package: update RULES if it moved"
    bad = []
    for path in folder.rglob("*.py"):
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in RULES[layer]):
                bad.append(f"{path.relative_to(PKG)} imports {name}")
    assert bad == []
