"""Cutting a document's text into segments so cited spans can be shown as <mark>s.

Spans are half-open [start, end) character ranges and may overlap or nest; the text is
split at every span boundary and each piece knows which statements cite it. The template
escapes each piece, so nothing in a document ever becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    statements: list[int] = field(default_factory=list)   # statement ids citing this piece
    anchors: list[str] = field(default_factory=list)      # span-<start>-<end> starting here
    proposed: bool = False


def segments(text: str, spans: list[tuple[int, int, int]],
             proposed: set[int] = frozenset()) -> list[Segment]:
    """``spans`` are (start, end, statement id); out-of-range spans are clipped."""
    n = len(text)
    clean = [(max(0, min(a, n)), max(0, min(b, n)), sid) for a, b, sid in spans]
    cuts = sorted({0, n, *(a for a, _, _ in clean), *(b for _, b, _ in clean)})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        covering = [sid for a, b, sid in clean if a <= lo and hi <= b and a < b]
        anchors = sorted({f"span-{a}-{b}" for a, b, _ in clean if a == lo})
        out.append(Segment(text[lo:hi], sorted(set(covering)), anchors,
                           any(s in proposed for s in covering)))
    # Zero-length spans and spans at the very end still get their anchor.
    tail = sorted({f"span-{a}-{b}" for a, b, _ in clean if a == n})
    if tail:
        out.append(Segment("", [], tail))
    return out or [Segment(text)]
