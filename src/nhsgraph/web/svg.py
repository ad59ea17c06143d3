"""Server-side SVG: the lineage graph and the timeline chart, as inline markup.

The lineage graph is laid out by Graphviz (``web.layout``) and drawn here; every label
passes through ``escape``; nothing here runs in the browser. Both figures are groups of
links with accessible names (not role="img", which would hide the links from screen
readers), so every node and bar is reachable by keyboard and announced.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from urllib.parse import quote

from markupsafe import Markup, escape

from nhsgraph.model.dates import PartialDate
from nhsgraph.model.names import conventional_case
from nhsgraph.web.layout import FONT_SIZE, layout_graph

BLUE, DARK, GREY, PALE, WHITE = "#005eb8", "#212b32", "#4c6272", "#e8edee", "#ffffff"
NAME_CHARS = 28     # a node's name wraps at this many characters (whole, never cut)
LINE_H = FONT_SIZE * 1.25
TYPE_NAMES = {"pct": "primary care trust", "sha": "strategic health authority",
              "ccg": "clinical commissioning group", "icb": "integrated care board",
              "nhs_trust": "NHS trust", "foundation_trust": "NHS foundation trust",
              "pcg": "primary care group", "pct_cluster": "PCT cluster",
              "sha_cluster": "SHA cluster", "icb_cluster": "ICB cluster", "ics": "ICS",
              "stp": "STP", "csu": "CSU", "gp_practice": "GP practice", "pcn": "PCN",
              "nhse_region": "NHS England region", "sub_icb_location": "sub-ICB location"}


def type_name(org_type) -> str:
    """An organisation type as people write it: 'pct' -> 'primary care trust'."""
    return TYPE_NAMES.get(org_type, str(org_type or "").replace("_", " "))
MARGIN = 12         # round the drawing, so focus outlines and strokes are not cut


def _href(id: str) -> str:
    return "/entities/" + quote(id, safe=":")


def wrap(text: str, width: int) -> list[str]:
    """Whole words on lines of about ``width`` characters (a long word keeps its line)."""
    return textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]


def _lines(x: float, y_mid: float, lines: list[str], cls: str, fill: str | None = None,
           sizes: list[float] | None = None) -> str:
    """Centred lines of text around (x, y_mid)."""
    top = y_mid - LINE_H * len(lines) / 2 + LINE_H * 0.75
    ink = f' fill="{fill}"' if fill else ""
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + i * LINE_H:.1f}"'
                    f'{f" font-size={chr(34)}{sizes[i]}{chr(34)}" if sizes else ""}>'
                    f'{escape(line)}</tspan>' for i, line in enumerate(lines))
    spans = spans.replace("</tspan><tspan", "</tspan> <tspan")   # its text reads as words
    return f'<text text-anchor="middle" class="{cls}"{ink}>{spans}</text>'


def node_title(node: dict) -> str:
    """What a node says: its name; a body with no recorded name, its code and type."""
    if node.get("name") and node["name"] != node["id"]:
        return conventional_case(node["name"])
    code = node["id"].split(":", 1)[-1]
    kind = node.get("org_type")
    return f"{code} ({type_name(kind)})" if kind else \
        f"{code} (no name recorded)"


def node_titles(nodes: list[dict]) -> dict[str, str]:
    """{id: what the node says} for the lineage's table of changes."""
    return {n["id"]: node_title(n) for n in nodes}


def lineage_svg(data: dict) -> Markup:
    """The lineage laid out by dot, top to bottom: predecessors above, successors below, each
    edge labelled with its change and date, each node a link to its page."""
    nodes = data["nodes"]
    if not nodes:
        return Markup("")
    index = {n["id"]: i for i, n in enumerate(nodes)}
    names = [wrap(node_title(n), NAME_CHARS) for n in nodes]
    labels = [names[i] + [n["id"]] for i, n in enumerate(nodes)]
    edges, drawn = [], []
    seen = set()
    for link in data["links"]:
        if link["from"] not in index or link["to"] not in index:
            continue
        words = [x for x in ((link.get("change") or "").replace("_", " "), link.get("date")) if x]
        key = (link["from"], link["to"], tuple(words))
        if key in seen:
            continue
        seen.add(key)
        edges.append((index[link["from"]], index[link["to"]], words))
        drawn.append(words)
    # no rank constraint: dot ranks by the edges, so every change points down, earliest first
    lay = layout_graph(labels, edges)
    width, height = lay.width + 2 * MARGIN, lay.height + 2 * MARGIN
    m = MARGIN
    parts = [f'<svg class="app-graph" role="group" aria-labelledby="lineage-title" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="lineage-title">Lineage of {escape(data["name"])}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             f'fill="{GREY}"/></marker></defs>']
    for e, words in zip(lay.edges, drawn):
        p = [(x + m, y + m) for x, y in e.points]
        d = f"M{p[0][0]:.1f},{p[0][1]:.1f} " + " ".join(
            f"C{p[k][0]:.1f},{p[k][1]:.1f} {p[k + 1][0]:.1f},{p[k + 1][1]:.1f} "
            f"{p[k + 2][0]:.1f},{p[k + 2][1]:.1f}" for k in range(1, len(p) - 2, 3))
        parts.append(f'<path d="{d}" fill="none" stroke="{GREY}" stroke-width="2" '
                     f'marker-end="url(#arrow)" aria-hidden="true"/>')
    for e, words in zip(lay.edges, drawn):
        if e.label_at and words:
            lx, ly = e.label_at[0] + m, e.label_at[1] + m
            # a white ground a little smaller than dot's own estimate of the label, so it
            # hides the edge under the words and never a neighbouring label
            w = max(len(t) for t in words) * (FONT_SIZE - 1) * 0.5 + 2
            h = LINE_H * len(words) + 2
            parts.append(f'<rect x="{lx - w / 2:.1f}" y="{ly - h / 2:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}" fill="{WHITE}" aria-hidden="true"/>'
                         + _lines(lx, ly, words, "app-graph__edge"))
    for i, (n, box) in enumerate(zip(nodes, lay.nodes)):
        root = n["depth"] == 0
        fill, ink = (BLUE, WHITE) if root else (WHITE, DARK)
        x, y = box.x + m, box.y + m
        sizes = [FONT_SIZE] * len(names[i]) + [FONT_SIZE - 2]
        # the link's name is its text (name, then id), as seen and as read out
        parts.append(f'<a href="{escape(_href(n["id"]))}" class="app-graph__node">'
                     f'<rect x="{x - box.w / 2:.1f}" y="{y - box.h / 2:.1f}" width="{box.w:.1f}" '
                     f'height="{box.h:.1f}" rx="4" fill="{fill}" stroke="{BLUE}" stroke-width="2"/>'
                     + _lines(x, y, labels[i], "app-graph__name", ink, sizes) + '</a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return PartialDate.parse(value).first
    except Exception:  # a stored date is always parseable; be safe in a picture
        return None


ROW_H, LABEL_H, BAR_H, CHART_W, AXIS_H, SIDE = 14, 17, 12, 880, 28, 28
LABEL_CHARS = 110   # a label wraps here: 13 px Arial averages < 7 px a character, so < 800 px


def _fact_label(f: dict, about: str | None = None) -> str:
    """'member of: NHS X'; a fact about another entity (a practice in this CCG) names it."""
    role = f["qualifiers"].get("role") or f["qualifiers"].get("change") or ""
    pred = f["predicate"].replace("_", " ")
    text = f'{pred}{" (" + str(role).replace("_", " ") + ")" if role else ""}: {conventional_case(str(f["display"]))}'
    if about and f["subject"] != about:
        text = f'{conventional_case(f.get("subject_label") or f["subject"])} – {text}'
    return text


def timeline_svg(facts: list[dict], title: str, today: dt.date | None = None,
                 about: str | None = None) -> Markup:
    """One row per dated fact: its whole label above a bar over [valid_from, valid_to);
    open ends run to the edge. Each row links to the fact's line in the table below."""
    dated = [f for f in facts if _day(f["valid_from"]) or _day(f["valid_to"])]
    if not dated:
        return Markup("")
    today = today or dt.date.today()
    starts = [_day(f["valid_from"]) for f in dated if _day(f["valid_from"])]
    ends = [_day(f["valid_to"]) for f in dated if _day(f["valid_to"])]
    lo = min(starts + ends)
    hi = max(ends + starts + [min(today, max(starts + ends) + dt.timedelta(days=365 * 3))])
    lo, hi = dt.date(lo.year, 1, 1), dt.date(hi.year + 1, 1, 1)
    span = (hi - lo).days or 1

    def x(d: dt.date) -> float:
        return SIDE + (d - lo).days / span * CHART_W

    rows = [(f, wrap(_fact_label(f, about), LABEL_CHARS)) for f in dated]
    height = AXIS_H + sum(len(lines) * LABEL_H + BAR_H + ROW_H for _, lines in rows) + 8
    width = CHART_W + 2 * SIDE
    parts = [f'<svg class="app-chart" role="group" aria-labelledby="chart-title" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-title">{escape(title)}</title>']
    step = max(1, (hi.year - lo.year) // 8)
    for year in range(lo.year, hi.year + 1, step):
        gx = x(dt.date(year, 1, 1))
        parts.append(f'<line x1="{gx:.1f}" y1="{AXIS_H - 6}" x2="{gx:.1f}" y2="{height}" '
                     f'stroke="{PALE}" aria-hidden="true"/><text x="{gx:.1f}" y="{AXIS_H - 10}" '
                     f'text-anchor="middle" class="app-chart__tick" aria-hidden="true">{year}</text>')
    y = AXIS_H
    for f, lines in rows:
        a, b = _day(f["valid_from"]), _day(f["valid_to"])
        x1 = x(a) if a else SIDE
        x2 = x(b) if b else SIDE + CHART_W
        colour = {"name": BLUE, "org_type": "#330072", "post": "#007f3b",
                  "succeeded_by": "#d5281b", "member_of": "#ffb81c",
                  "accountable_to": "#41b6e6"}.get(f["predicate"], GREY)
        who = f.get("subject_label") or f["subject"]
        when = f'{f["valid_from"] or "unknown start"} to {f["valid_to"] or "no recorded end"}'
        faded = "" if b else ' opacity="0.75"'
        text = " ".join(f'<tspan x="{SIDE}" y="{y + (i + 1) * LABEL_H - 4}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        bar_y = y + len(lines) * LABEL_H + 1
        parts.append(f'<a href="#fact-{escape(f["id"])}" class="app-chart__row" '
                     f'aria-label="{escape(who)}, {escape(" ".join(lines))}, {escape(when)}">'
                     f'<text class="app-chart__label">{text}</text>'
                     f'<rect x="{x1:.1f}" y="{bar_y}" width="{max(3.0, x2 - x1):.1f}" '
                     f'height="{BAR_H}" rx="2" fill="{colour}"{faded}/></a>')
        y = bar_y + BAR_H + ROW_H
    parts.append("</svg>")
    return Markup("".join(parts))
