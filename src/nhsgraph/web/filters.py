"""Jinja filters and globals for the pages' presentation: counts with thousands
separators, headings in the conventional case, documents from Markdown, whether the
vendored NHS.UK stylesheet is installed."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from nhsgraph.model.names import conventional_case
from nhsgraph.web.errors import way_back
from nhsgraph.web.markdown import render_highlighted
from nhsgraph.web.svg import node_titles, type_name

VENDORED_CSS = Path(__file__).resolve().parent / "static" / "vendor" / "nhsuk-frontend.min.css"


def count(n) -> str:
    """1234567 -> '1,234,567' (anything not a number is shown as it is)."""
    try:
        return f"{int(n):,}"
    except (TypeError, ValueError):
        return str(n)


def vendored_css() -> bool:
    """Whether scripts/vendor-assets.sh has put nhsuk-frontend's stylesheet in place."""
    return VENDORED_CSS.is_file()


def install(env: Environment) -> None:
    env.filters["count"] = count
    env.filters["case"] = lambda s: conventional_case(str(s)) if s else s
    env.filters["highlighted"] = render_highlighted
    env.filters["node_titles"] = node_titles
    env.filters["type_name"] = type_name
    env.globals["vendored_css"] = vendored_css
    env.globals["way_back"] = way_back
    from nhsgraph.services.views import is_rule

    env.globals["is_rule"] = is_rule
