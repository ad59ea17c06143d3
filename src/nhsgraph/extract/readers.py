"""Read documents (.txt, .md, .html, .pdf) into text plus metadata.

Readers are the only part of ``nhsgraph.extract`` that touches files; everything
downstream is a pure function of the returned text. Offsets produced by the extractor
index the text returned here, exactly as returned (no further normalisation).

Example::

    text, meta = read_document("board-minutes.html")
    meta["format"]  # "html"
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from nhsgraph.errors import BadInput

#: Files larger than this are refused (bytes); callers may pass their own cap.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}


class UnreadableDocument(BadInput):
    """A document cannot be read: empty, binary, undecodable, malformed or too large."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


# Tags whose whole subtree is boilerplate, never content.
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "header", "aside",
              "form", "iframe", "svg", "button", "select", "dialog")
# class/id fragments that mark boilerplate blocks (cookie banners, menus, share bars...).
_BOILER_RE = re.compile(
    r"cookie|consent|gdpr|banner|nav(bar|igation)?\b|menu|breadcrumb|footer|header|masthead|"
    r"share|social|sidebar|related|newsletter|subscribe|advert|\bads?\b|promo|skip-link|"
    r"comment|login|signin|sign-in|popup|modal", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "ul", "ol", "table", "tr", "blockquote", "pre", "br", "hr", "dd", "dt",
               "dl", "figure", "figcaption", "td", "th", "caption", "address"}


def _sniff_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    # Many control characters (other than whitespace) mean binary.
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return len(sample) > 0 and ctrl / len(sample) > 0.05


def decode_bytes(data: bytes, path: str = "<bytes>", *, strict: bool = False) -> tuple[str, dict]:
    """Decode bytes as UTF-8 (BOM allowed), else as cp1252 with ``encoding_fallback`` set.

    With ``strict=True`` a non-UTF-8 file is refused instead of falling back.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), {"encoding": "utf-8", "encoding_fallback": False}
    except UnicodeDecodeError as exc:
        if strict:
            raise UnreadableDocument(path, f"not valid UTF-8 (byte {exc.start})") from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            path, f"neither UTF-8 nor cp1252 (undecodable byte at {exc.start})") from None
    return text, {"encoding": "cp1252", "encoding_fallback": True,
                  "warnings": ["not valid UTF-8; decoded as cp1252"]}


def _collapse(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out, blank = [], 0
    for line in lines:
        if line:
            out.append(line)
            blank = 0
        else:
            blank += 1
            if blank == 1 and out:
                out.append("")
    return "\n".join(out).strip()


# Pages nest a few dozen elements; the parser's time grows with the square of the depth
# (10 s at 40,000), so deeper documents are refused before parsing.
MAX_HTML_DEPTH = 5_000
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
# Elements that close themselves (void) or are closed by a sibling or parent (optional end
# tags): they do not deepen the tree however many are left open.
_FLAT_TAGS = frozenset("""area base br col embed hr img input link meta param source track wbr
    p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rtc rp
    html head body""".split())


def _nesting_depth(html: str) -> int:
    """How deep the elements of a page nest, counted from its tags (an upper bound)."""
    depth = deepest = 0
    for closing, name, selfclosing in _TAG_RE.findall(html):
        if selfclosing or name.lower() in _FLAT_TAGS:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def html_to_text(html: str, path: str = "<html>") -> tuple[str, dict]:
    """Main text of an HTML page: boilerplate dropped, one block per paragraph."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    if "<" not in html:
        raise UnreadableDocument(path, "malformed HTML: no tags found")
    depth = _nesting_depth(html)
    if depth > MAX_HTML_DEPTH:
        raise UnreadableDocument(path, f"HTML nested {depth:,} elements deep; at most "
                                       f"{MAX_HTML_DEPTH:,} are read")
    try:
        tree = HTMLParser(html)
    except Exception as exc:  # selectolax raises plain exceptions on broken input
        raise UnreadableDocument(path, f"malformed HTML: {exc}") from None
    meta: dict = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = title.text(strip=True)
    for name in ("article:published_time", "date", "dc.date", "DC.date.issued", "pubdate"):
        node = tree.css_first(f'meta[property="{name}"]') or tree.css_first(f'meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            meta["date"] = node.attributes["content"].strip()
            break
    if "date" not in meta:
        node = tree.css_first("time[datetime]")
        if node is not None:
            meta["date"] = (node.attributes.get("datetime") or "").strip()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        raise UnreadableDocument(path, "malformed HTML: no document body")
    root.strip_tags(list(_DROP_TAGS))
    for node in list(root.traverse()):
        attrs = node.attributes or {}
        marker = " ".join(v for k, v in attrs.items() if k in ("class", "id", "role") and v)
        if marker and _BOILER_RE.search(marker) and node.tag not in ("html", "body", "main",
                                                                     "article"):
            node.decompose()
    parts: list[str] = []
    # Depth first with a stack of open elements, not recursion: pages nest elements
    # deeper than Python's recursion limit (RecursionError on 5,000 nested <div>s).
    open_: list = [(root.iter(include_text=True), False)]
    while open_:
        children, block = open_[-1]
        child = next(children, None)
        if child is None:
            open_.pop()
            if block:
                parts.append("\n")
        elif child.tag == "-text":
            parts.append(child.text(deep=False) or "")
        elif child.tag != "-comment":
            block = child.tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            open_.append((child.iter(include_text=True), block))
    text = _collapse("".join(parts))
    return text, meta


def pdf_to_text(data: bytes, path: str = "<pdf>") -> tuple[str, dict]:
    """Text of a PDF, pages separated by form feeds' worth of blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(path, "malformed PDF: missing %PDF header")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableDocument(path, f"malformed PDF: {exc}") from None
    except Exception as exc:  # pypdf raises a wide range on corrupt streams
        raise UnreadableDocument(path, f"malformed PDF: {type(exc).__name__}: {exc}") from None
    meta: dict = {"pages": len(pages)}
    try:
        info = reader.metadata or {}
        if info.get("/Title"):
            meta["title"] = str(info["/Title"])
        raw = info.get("/CreationDate")
        if raw:
            m = re.match(r"D?:?(\d{4})(\d{2})?(\d{2})?", str(raw))
            if m:
                meta["date"] = "-".join(g for g in m.groups() if g)
    except Exception:
        pass
    text = "\n\n".join(p.strip() for p in pages).strip()
    if not text:
        raise UnreadableDocument(path, "PDF has no extractable text (scanned image?)")
    return text, meta


def read_document(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES,
                  strict_encoding: bool = False) -> tuple[str, dict]:
    """Read one file; return ``(text, metadata)``. Raises ``UnreadableDocument``.

    Metadata always has ``path``, ``name``, ``format`` and ``bytes``; it may have
    ``title``, ``date``, ``encoding`` and ``warnings``.
    """
    p = Path(path)
    name = str(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot open: {exc.strerror or exc}") from None
    if not p.is_file():
        raise UnreadableDocument(name, "not a regular file")
    if size > max_bytes:
        raise UnreadableDocument(
            name, f"too large: {size:,} bytes exceeds the cap of {max_bytes:,} bytes")
    if size == 0:
        raise UnreadableDocument(name, "empty file")
    with p.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while reading
        raise UnreadableDocument(name, f"too large: exceeds the cap of {max_bytes:,} bytes")
    return read_bytes(data, name, suffix=p.suffix.lower(), strict_encoding=strict_encoding)


def read_bytes(data: bytes, name: str = "<bytes>", *, suffix: str = ".txt",
               strict_encoding: bool = False) -> tuple[str, dict]:
    """Like :func:`read_document` for bytes already in memory; ``suffix`` picks the format."""
    meta: dict = {"path": name, "name": os.path.basename(name), "bytes": len(data)}
    if not data.strip():
        raise UnreadableDocument(name, "empty file" if not data else "file has only whitespace")
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        meta["format"] = "pdf"
        text, extra = pdf_to_text(data, name)
        meta.update(extra)
        return text, meta
    if _sniff_binary(data):
        raise UnreadableDocument(name, "binary file (not text, HTML or PDF)")
    text, enc = decode_bytes(data, name, strict=strict_encoding)
    meta.update(enc)
    head = text.lstrip()[:1000].lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        meta["format"] = "html"
        text, extra = html_to_text(text, name)
        meta.update(extra)
        if not text.strip():
            raise UnreadableDocument(name, "HTML has no text content")
        return text, meta
    meta["format"] = "markdown" if suffix in (".md", ".markdown") else "text"
    if not text.strip():
        raise UnreadableDocument(name, "file has only whitespace")
    return text, meta
