"""Server-side SVG: the lineage graph and the timeline chart, as inline markup.

Every label passes through ``escape``; nothing here runs in the browser.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from markupsafe import Markup, escape

from nhsgraph.model.dates import PartialDate

NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD = 220, 58, 170, 26, 16
BLUE, DARK, GREY, PALE, WHITE = "#005eb8", "#212b32", "#4c6272", "#e8edee", "#ffffff"


def _href(id: str) -> str:
    return "/entities/" + quote(id, safe=":")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def lineage_svg(data: dict) -> Markup:
    """Nodes in columns by depth (predecessors left, successors right), edges labelled
    with the change and its date."""
    nodes = data["nodes"]
    if not nodes:
        return Markup("")
    depths = sorted({n["depth"] for n in nodes})
    cols = {d: [n for n in nodes if n["depth"] == d] for d in depths}
    tallest = max(len(c) for c in cols.values())
    height = PAD * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP + 20
    width = PAD * 2 + len(depths) * NODE_W + (len(depths) - 1) * COL_GAP
    pos = {}
    for ci, d in enumerate(depths):
        col = cols[d]
        offset = (height - (len(col) * NODE_H + (len(col) - 1) * ROW_GAP)) / 2
        for ri, n in enumerate(col):
            pos[n["id"]] = (PAD + ci * (NODE_W + COL_GAP), offset + ri * (NODE_H + ROW_GAP))
    parts = [f'<svg class="app-graph" role="img" aria-labelledby="lineage-title" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
             f'style="min-width:{width * 0.8:.0f}px" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="lineage-title">Lineage of {escape(data["name"])}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
             f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             f'fill="{GREY}"/></marker></defs>']
    labelled = set()
    for link in data["links"]:
        if link["from"] not in pos or link["to"] not in pos:
            continue
        x1, y1 = pos[link["from"]]
        x2, y2 = pos[link["to"]]
        x1, y1, x2, y2 = x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
        mx = (x1 + x2) / 2
        parts.append(f'<path d="M{x1:.0f},{y1:.0f} C{mx:.0f},{y1:.0f} {mx:.0f},{y2:.0f} '
                     f'{x2:.0f},{y2:.0f}" fill="none" stroke="{GREY}" stroke-width="2" '
                     f'marker-end="url(#arrow)"/>')
        label = " ".join(x for x in (link.get("change"), link.get("date")) if x)
        # Labelled once per target, just before it: crossing edges (a split, a merge)
        # would otherwise stack their labels on one point.
        if label and (link["to"], label) not in labelled:
            labelled.add((link["to"], label))
            parts.append(f'<text x="{x2 - COL_GAP / 2:.0f}" y="{y2 - 10:.0f}" text-anchor="middle" '
                         f'class="app-graph__edge">{escape(label)}</text>')
    for n in nodes:
        x, y = pos[n["id"]]
        root = n["depth"] == 0
        fill, ink = (BLUE, WHITE) if root else (WHITE, DARK)
        parts.append(f'<a href="{escape(_href(n["id"]))}" class="app-graph__node">'
                     f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="4" '
                     f'fill="{fill}" stroke="{BLUE}" stroke-width="2"/>'
                     f'<text x="{x + 12:.0f}" y="{y + 24:.0f}" fill="{ink}" '
                     f'class="app-graph__name">{escape(_clip(n["name"], 26))}</text>'
                     f'<text x="{x + 12:.0f}" y="{y + 44:.0f}" fill="{ink}" '
                     f'class="app-graph__id">{escape(n["id"])}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return PartialDate.parse(value).first
    except Exception:  # a stored date is always parseable; be safe in a picture
        return None


ROW_H, LABEL_W, CHART_W, AXIS_H = 24, 300, 620, 28


def timeline_svg(facts: list[dict], title: str, today: dt.date | None = None) -> Markup:
    """One bar per dated fact over [valid_from, valid_to); open ends run to the edge."""
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
        return LABEL_W + (d - lo).days / span * CHART_W

    height = AXIS_H + len(dated) * ROW_H + 8
    width = LABEL_W + CHART_W + 20
    parts = [f'<svg class="app-chart" role="img" aria-labelledby="chart-title" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-title">{escape(title)}</title>']
    step = max(1, (hi.year - lo.year) // 10)
    for year in range(lo.year, hi.year + 1, step):
        gx = x(dt.date(year, 1, 1))
        parts.append(f'<line x1="{gx:.1f}" y1="{AXIS_H - 6}" x2="{gx:.1f}" y2="{height}" '
                     f'stroke="{PALE}"/><text x="{gx:.1f}" y="{AXIS_H - 10}" '
                     f'text-anchor="middle" class="app-chart__tick">{year}</text>')
    for i, f in enumerate(dated):
        y = AXIS_H + i * ROW_H
        a, b = _day(f["valid_from"]), _day(f["valid_to"])
        x1 = x(a) if a else LABEL_W
        x2 = x(b) if b else LABEL_W + CHART_W
        colour = {"name": BLUE, "org_type": "#330072", "post": "#007f3b",
                  "succeeded_by": "#d5281b", "member_of": "#ffb81c",
                  "accountable_to": "#41b6e6"}.get(f["predicate"], GREY)
        role = f["qualifiers"].get("role") or f["qualifiers"].get("change") or ""
        label = f'{f["predicate"]}{" (" + role + ")" if role else ""}: {f["display"]}'
        who = f.get("subject_label") or f["subject"]
        when = f'{f["valid_from"] or "?"} – {f["valid_to"] or "…"}'
        faded = "" if b else ' opacity="0.75"'
        parts.append(f'<g><title>{escape(who)} · {escape(label)} · {escape(when)}</title>'
                     f'<text x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end" '
                     f'class="app-chart__label">{escape(_clip(label, 40))}</text>'
                     f'<rect x="{x1:.1f}" y="{y + 4}" width="{max(3.0, x2 - x1):.1f}" '
                     f'height="{ROW_H - 8}" rx="2" fill="{colour}"'
                     f'{faded}/></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
