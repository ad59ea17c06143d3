"""Graph layout by Graphviz's ``dot``: positions for the lineage graph's nodes, edges and
edge labels, read back from ``dot -Tplain``.

Only layout comes from dot; the SVG is drawn by ``web.svg`` from these positions, so no
text from the store ever reaches the page through dot's own SVG. What goes into dot is
sanitised here: node names are generated (``n0``, ``n1`` ...), and labels are quoted with
every backslash, quote and control character neutralised.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass, field

from nhsgraph.errors import NhsgraphError

DOT_TIMEOUT = 20    # seconds: a lineage has tens of nodes; dot takes milliseconds
POINTS = 72         # dot's plain output is in inches; the SVG is drawn in points (= px)
FONT, FONT_SIZE = "Arial", 14


class GraphvizMissing(NhsgraphError):
    """The layout engine (Graphviz's ``dot``) is not installed or failed."""

    http_status = 501


@dataclass
class Box:
    x: float          # centre, points, y downwards
    y: float
    w: float
    h: float


@dataclass
class Edge:
    tail: int
    head: int
    points: list[tuple[float, float]]          # cubic Bezier control points
    label_at: tuple[float, float] | None = None


@dataclass
class Layout:
    width: float
    height: float
    nodes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def dot_quote(text: str) -> str:
    """``text`` as a DOT double-quoted string: backslashes and quotes escaped, control
    characters (a newline in a name) made spaces, so nothing can close the string or
    inject an attribute; ``\\n`` escapes are added by the caller for line breaks only."""
    clean = "".join(" " if ord(c) < 32 or c == "\x7f" else c for c in str(text))
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: list[str]) -> str:
    # "\n" inside a DOT string centres the line; each line is quoted on its own first
    return '"' + "\\n".join(dot_quote(line)[1:-1] for line in lines) + '"'


def dot_source(nodes: list[list[str]], edges: list[tuple[int, int, list[str]]],
               ranks: list[int] | None = None) -> str:
    """The DOT text for nodes (their label lines) and edges (tail, head, label lines),
    laid out top to bottom (long chains fit a narrow screen); ``ranks`` puts nodes of the same rank in one column."""
    out = ["digraph lineage {", "rankdir=TB; nodesep=0.3; ranksep=0.55; splines=spline;",
           f'node [shape=box, fontname="{FONT}", fontsize={FONT_SIZE}, margin="0.18,0.1"];',
           f'edge [fontname="{FONT}", fontsize={FONT_SIZE - 1}, arrowhead=none];']
    for i, lines in enumerate(nodes):
        out.append(f"n{i} [label={_label(lines)}];")
    for tail, head, lines in edges:
        attr = f" [label={_label(lines)}]" if lines else ""
        out.append(f"n{tail} -> n{head}{attr};")
    if ranks:
        for r in sorted(set(ranks)):
            same = " ".join(f"n{i};" for i, x in enumerate(ranks) if x == r)
            out.append(f"{{rank=same; {same}}}")
    out.append("}")
    return "\n".join(out)


def run_dot(source: str) -> str:
    """``dot -Tplain`` on ``source``; GraphvizMissing when dot is absent or fails."""
    exe = shutil.which("dot")
    if not exe:
        raise GraphvizMissing("the lineage graph is laid out by Graphviz, whose 'dot' program "
                              "is not installed on this server (Debian: apt-get install graphviz)")
    try:
        done = subprocess.run([exe, "-Tplain"], input=source, capture_output=True, text=True,
                              timeout=DOT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphvizMissing(f"Graphviz's dot could not lay out the graph: {exc}") from None
    if done.returncode != 0:
        raise GraphvizMissing("Graphviz's dot could not lay out the graph: "
                              + (done.stderr.strip().splitlines() or ["no message"])[0])
    return done.stdout


def parse_plain(text: str, n_nodes: int) -> Layout:
    """Read dot's plain output (inches, y upwards) into points with y downwards."""
    layout, height = None, 0.0
    boxes: dict[int, Box] = {}
    for line in text.splitlines():
        parts = shlex.split(line)
        if not parts:
            continue
        if parts[0] == "graph":
            height = float(parts[3]) * POINTS
            layout = Layout(float(parts[2]) * POINTS, height)
        elif parts[0] == "node":
            x, y, w, h = (float(v) * POINTS for v in parts[2:6])
            boxes[int(parts[1][1:])] = Box(x, height - y, w, h)
        elif parts[0] == "edge":
            n = int(parts[3])
            pts = [(float(parts[4 + 2 * k]) * POINTS, height - float(parts[5 + 2 * k]) * POINTS)
                   for k in range(n)]
            rest = parts[4 + 2 * n:]
            label_at = None
            if len(rest) >= 5:   # label, x, y, style, colour
                label_at = (float(rest[1]) * POINTS, height - float(rest[2]) * POINTS)
            layout.edges.append(Edge(int(parts[1][1:]), int(parts[2][1:]), pts, label_at))
    if layout is None or len(boxes) != n_nodes:
        raise GraphvizMissing("Graphviz's dot gave a layout nhsgraph cannot read")
    layout.nodes = [boxes[i] for i in range(n_nodes)]
    return layout


def layout_graph(nodes: list[list[str]], edges: list[tuple[int, int, list[str]]],
                 ranks: list[int] | None = None) -> Layout:
    """Positions for a graph of labelled nodes and edges (see ``dot_source``)."""
    return parse_plain(run_dot(dot_source(nodes, edges, ranks)), len(nodes))
