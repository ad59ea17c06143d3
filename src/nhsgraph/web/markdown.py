"""A document's text rendered from Markdown (markdown-it-py, CommonMark plus tables), with
its cited spans still highlighted.

Safety: raw HTML in a document is never passed through (``html=False`` escapes it),
images are off (they would load from elsewhere) and only http(s) and in-page links stay
links; any other link is shown as its text.

Highlights: the text is cut into segments (``web.highlight.segments``, by character
offsets into the raw text); a marker made of private-use characters goes in front of each
segment before rendering, and after rendering every run of text is wrapped in the <mark>
of the segment it belongs to. Wrapping text runs, never whole elements, keeps the HTML
well nested when a span crosses a paragraph or a bold part.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from nhsgraph.web.highlight import Segment

OPEN, CLOSE, DIGIT0 = "\ue000", "\ue001", 0xE010       # marker: OPEN digits CLOSE
MARKER = re.compile("\ue000([\ue010-\ue019]+)\ue001")
STRAY = re.compile("[\ue000-\ue019]|%EE%80%(?:8[01]|9[0-9])", re.I)   # inside tags/URLs
TAG = re.compile(r"(<[^>]*>)")
# where a marker must not go: inside a line's block syntax (a heading, list, quote) or its
# leading blanks, on a line that is markup only (a setext underline, a rule, a code fence,
# a table's delimiter row), on a blank line, or between the characters of a delimiter (**)
BLOCK_PREFIX = re.compile(r"(?:[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+|\|))*[ \t]*")
MARKUP_LINE = re.compile(r"[ \t]*(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|`{3,}.*|~{3,}.*|"
                         r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?)[ \t]*|[ \t]*")
DELIMITERS = "*_`~"
# what a marker must not split: a link's address (it would end up in the URL), an entity
ATOMS = re.compile(r"<[^<>\s]*>|\]\([^)\s]*\)?|(?:https?://|www\.)[^\s<>)\]]*"
                   r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def safe_position(text: str, p: int) -> int:
    """The nearest place to ``p`` (after it, or before a line's trailing blanks) where a
    marker leaves the Markdown's structure as it is (see above)."""
    n = len(text)
    while p < n:
        start = text.rfind("\n", 0, p) + 1
        end = text.find("\n", start)
        end = n if end < 0 else end
        if MARKUP_LINE.fullmatch(text, start, end):       # markup-only or blank line
            p = end + 1
            continue
        prefix = BLOCK_PREFIX.match(text, start).end()
        if p < prefix:
            p = prefix
            continue
        inside = next((m.end() for m in ATOMS.finditer(text, start, end)
                       if m.start() < p < m.end()), None)
        if inside is not None:
            p = inside
            continue
        while 0 < p < n and text[p] in DELIMITERS and text[p - 1] == text[p]:
            p += 1
        # a table cell's blanks are trimmed only when nothing stands between them and a pipe
        while p < end and text[p] in " \t" and text[start:p].rstrip().endswith("|"):
            p += 1
        if text[p:end].lstrip(" \t").startswith("|") and text[p - 1:p] in (" ", "\t"):
            return start + len(text[start:p].rstrip(" \t"))
        if not text[p:end].strip():
            before = text[start:p].rstrip()
            if before.endswith("|"):     # after a table row's last pipe: an extra cell
                return start + len(before) - 1
            if len(before) < p - start:  # in a line's trailing blanks (a hard break)
                return start + len(before)
        return p
    return n


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").disable("image")

    def link_open(renderer, tokens, idx, options, env):
        href = tokens[idx].attrGet("href") or ""
        ok = href.startswith("#") or urlsplit(href).scheme.lower() in ("http", "https")
        tokens[idx].meta["kept"] = ok
        if not ok:
            return ""
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return md.renderer.renderToken(tokens, idx, options, env)

    def link_close(renderer, tokens, idx, options, env):
        # the matching opener is the nearest unclosed link_open before idx
        depth = 0
        for j in range(idx - 1, -1, -1):
            if tokens[j].type == "link_close":
                depth += 1
            elif tokens[j].type == "link_open":
                if depth == 0:
                    return md.renderer.renderToken(tokens, idx, options, env) \
                        if tokens[j].meta.get("kept") else ""
                depth -= 1
        return ""

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("link_close", link_close)
    return md


_MD = _parser()


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML (no highlights)."""
    return Markup(_MD.render(STRAY.sub("", text)))


def _marker(k: int) -> str:
    return OPEN + "".join(chr(DIGIT0 + int(c)) for c in str(k)) + CLOSE


def _marked_source(segs: list[Segment]) -> str:
    text = STRAY.sub("", "".join(s.text for s in segs))
    if len(text) != sum(len(s.text) for s in segs):   # private-use characters in the text
        return text
    places, at, last = [], 0, 0
    for s in segs:
        last = max(last, safe_position(text, at))
        places.append(last)
        at += len(s.text)
    out, prev = [], 0
    for k, p in enumerate(places):
        out.append(text[prev:p] + _marker(k))
        prev = p
    return "".join(out) + text[prev:]


def _open_mark(s: Segment) -> str:
    cls = "app-mark app-mark--proposed" if s.proposed else "app-mark"
    plural = "s" if len(s.statements) > 1 else ""
    title = f"statement{plural} {', '.join(str(i) for i in s.statements)}"
    return (f'<mark class="{cls}" title="{escape(title)}">'
            f'<a href="#st-{s.statements[0]}">')


def render_highlighted(segs: list[Segment]) -> Markup:
    """The document's Markdown as HTML, each cited segment's text in a <mark> that links
    to its first statement, with the segment's ``span-a-b`` anchors where it starts."""
    html = _MD.render(_marked_source(segs))
    out: list[str] = []
    current = 0
    for part in TAG.split(html):
        if part.startswith("<"):
            out.append(STRAY.sub("", part))
            continue
        pos = 0
        for m in list(MARKER.finditer(part)) + [None]:
            piece = part[pos:m.start()] if m else part[pos:]
            if piece:
                s = segs[current] if current < len(segs) else None
                # blanks between block elements stay bare: a <mark> is not allowed there
                out.append(_open_mark(s) + piece + "</a></mark>"
                           if s and s.statements and piece.strip() else piece)
            if m is None:
                break
            k = int("".join(str(ord(c) - DIGIT0) for c in m.group(1)))
            if k < len(segs):
                current = k
                out.extend(f'<span id="{escape(a)}" class="app-anchor"></span>'
                           for a in segs[k].anchors)
            pos = m.end()
    return Markup("".join(out))
