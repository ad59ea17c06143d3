"""Dependencies point down only: the core (model, store, query, rules, extract) never imports
an interface (cli, api, web, export) or a service, and the model knows no database. The
services (views among them) know no framework; the interfaces only render views: none of
cli, api and web reads the query or rules layers, and api and web never import each other
(nhsgraph.app, above both, mounts them; they share nhsgraph.asgi)."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "nhsgraph"
INTERFACES = ("nhsgraph.cli", "nhsgraph.api", "nhsgraph.web", "nhsgraph.asgi", "nhsgraph.app",
              "typer", "fastapi", "jinja2", "starlette", "uvicorn", "rich")
DOMAIN = ("nhsgraph.query", "nhsgraph.rules")   # interfaces get their answers from the views
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
    "asgi": DOMAIN + ("nhsgraph.cli", "nhsgraph.api", "nhsgraph.web", "nhsgraph.app",
                      "nhsgraph.services", "nhsgraph.export", "jinja2", "typer", "rich"),
    "api": DOMAIN + ("nhsgraph.web", "nhsgraph.cli", "nhsgraph.app", "nhsgraph.export",
                     "jinja2", "typer", "rich"),
    "web": DOMAIN + ("nhsgraph.api", "nhsgraph.cli", "nhsgraph.app", "nhsgraph.export",
                     "typer", "rich"),
    "cli": DOMAIN + ("nhsgraph.api", "nhsgraph.web", "nhsgraph.asgi", "fastapi", "starlette",
                     "jinja2"),
}
# Imports of a module (the one module, not a package) that its layer otherwise allows.
EXCEPTIONS = {
    # serve and demo start the app that nhsgraph.app builds
    "cli/core_cmds.py": {"nhsgraph.app"},
}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from nhsgraph import web" imports nhsgraph.web
            found |= {f"{node.module}.{a.name}" for a in node.names
                      if node.module == "nhsgraph"}
    return found


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_point_down(layer):
    assert bad_imports(layer) == []


def bad_imports(layer: str, pkg: Path = PKG) -> list[str]:
    folder = pkg / layer
    assert folder.is_dir(), f"no {layer} package: update RULES if it moved"
    bad = []
    for path in folder.rglob("*.py"):
        rel = path.relative_to(pkg).as_posix()
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in RULES[layer]) \
                    and name not in EXCEPTIONS.get(rel, ()):
                bad.append(f"{rel} imports {name}")
    return bad


@pytest.mark.parametrize("src,code,dst", [
    ("api", "from nhsgraph.web.pages import render", "nhsgraph.web.pages"),
    ("api", "from nhsgraph import web", "nhsgraph.web"),
    ("web", "import nhsgraph.api.read", "nhsgraph.api.read"),
    ("web", "from nhsgraph.api import mount", "nhsgraph.api"),
    ("cli", "from nhsgraph.query import resolve", "nhsgraph.query")])
def test_an_import_across_interfaces_fails(tmp_path, src, code, dst):
    """The check itself: an api module importing web (or the reverse) is reported, whether
    at the top or inside a function, in either spelling."""
    (tmp_path / src).mkdir()
    (tmp_path / src / "stray.py").write_text(f"def f():\n    {code}\n", encoding="utf-8")
    assert [b for b in bad_imports(src, tmp_path) if b.endswith(" " + dst)] == \
        [f"{src}/stray.py imports {dst}"]


def test_the_app_mounts_api_and_web():
    """The factory above both interfaces is what brings them together."""
    assert {"nhsgraph.api", "nhsgraph.web"} <= imports_of(PKG / "app.py")
