"""Load the curated knowledge base (YAML, see docs/curated-format.md) into the store.

The whole directory loads in one transaction; loading it again changes nothing. With the
source documents at hand, every citation's span is checked against its quote first, and
all mismatches are reported together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nhsgraph.errors import BadInput, NhsgraphError, SpanMismatch
from nhsgraph.importers.coalesce import coalesce, merged_already
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.store import Store

BUNDLED = "bundled"


def bundled_dir() -> Path:
    return Path(str(resources.files("nhsgraph") / "data"))


@dataclass
class CuratedReport:
    files: int = 0
    entities_new: int = 0
    sources_new: int = 0
    statements_added: int = 0
    statements_unchanged: int = 0
    citations_added: int = 0
    spans_checked: int = 0
    documents_missing: list[str] = field(default_factory=list)


@dataclass
class _Loaded:
    files: int = 0
    entities: list[tuple[str, str, str | None]] = field(default_factory=list)
    sources: dict[str, SourceIn] = field(default_factory=dict)
    statements: list[tuple[str, StatementIn]] = field(default_factory=list)  # (where, statement)


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so partial and bad dates reach
    our own parser (and its error messages) unchanged."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise BadInput(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _source(block: dict, where: str) -> SourceIn:
    try:
        return SourceIn(id=block["id"], title=block["title"], kind=block.get("kind", "web"),
                        publisher=block.get("publisher"),
                        date=str(block["date"]) if block.get("date") is not None else None,
                        url=block.get("url"), document=block.get("document"),
                        meta=block.get("meta"))
    except KeyError as exc:
        raise BadInput(f"{where}: source needs {exc.args[0]!r}") from None
    except NhsgraphError as exc:
        raise BadInput(f"{where}: {exc}") from None


def _citations(raw, default_source: str | None, where: str) -> tuple[CitationIn, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for c in items:
        if not isinstance(c, dict):
            raise BadInput(f"{where}: cite must be a mapping")
        src = c.get("source", default_source)
        if not src:
            raise BadInput(f"{where}: cite names no source")
        span = tuple(c["at"]) if c.get("at") is not None else None
        if span is not None and len(span) != 2:
            raise BadInput(f"{where}: cite.at must be [start, end]")
        out.append(CitationIn(source_id=src, method=c.get("method", "curated"), span=span,
                              file=c.get("file"), row=c.get("row"), locator=c.get("locator"),
                              quote=c.get("quote"), confidence=c.get("confidence")))
    return tuple(out)


def _date(v):
    return None if v is None else str(v)


def read_dir(directory: Path) -> _Loaded:
    files = sorted(directory.rglob("*.yaml"))
    if not files:
        raise BadInput(f"{directory}: no .yaml files")
    loaded = _Loaded(files=len(files))
    for path in files:
        doc = _read_yaml(path)
        if not isinstance(doc, dict):
            raise BadInput(f"{path}: expected a mapping at the top level")
        for i, e in enumerate(doc.get("entities") or []):
            if not isinstance(e, dict) or "id" not in e or "kind" not in e:
                raise BadInput(f"{path}: entities[{i}] needs id and kind")
            loaded.entities.append((e["id"], e["kind"], e.get("label")))
        default = None
        if doc.get("source"):
            src = _source(doc["source"], str(path))
            loaded.sources[src.id] = src
            default = src.id
        for i, s in enumerate(doc.get("sources") or []):
            src = _source(s, f"{path}: sources[{i}]")
            loaded.sources[src.id] = src
        for i, f in enumerate(doc.get("facts") or []):
            where = f"{path}: facts[{i}]"
            if not isinstance(f, dict):
                raise BadInput(f"{where}: a fact must be a mapping")
            try:
                st = StatementIn(
                    subject=f.get("s"), predicate=f.get("p"), object=f.get("o"), value=f.get("v"),
                    valid_from=_date(f.get("from")), valid_to=_date(f.get("to")),
                    qualifiers=f.get("q") or {}, status=f.get("status", "asserted"),
                    citations=_citations(f.get("cite"), f.get("source", default), where))
            except NhsgraphError as exc:
                raise type(exc)(f"{where} ({f.get('s')} {f.get('p')}): {exc}") from None
            except (TypeError, ValueError) as exc:
                raise BadInput(f"{where}: {exc}") from None
            loaded.statements.append((where, st))
    return loaded


def _document_texts(loaded: _Loaded, documents: Path) -> dict[str, str | None]:
    """Each source's document text by source id (None when the file is not at hand)."""
    texts: dict[str, str | None] = {}
    for src in loaded.sources.values():
        if src.document:
            p = documents / src.document
            texts[src.id] = p.read_text(encoding="utf-8") if p.is_file() else None
    return texts


def check_spans(loaded: _Loaded, texts: dict[str, str | None]) -> tuple[int, list[str]]:
    """Check every span against its document; returns (checked, missing documents)."""
    missing = sorted(s.document for s in loaded.sources.values()
                     if s.document and texts.get(s.id) is None)
    problems, checked = [], 0
    for where, st in loaded.statements:
        for c in st.citations:
            text = texts.get(c.source_id)
            if c.span is None or text is None:
                continue
            checked += 1
            start, end = c.span
            if end > len(text):
                problems.append(f"{where}: span {c.span} runs past the end of {c.source_id} "
                                f"({len(text)} characters)")
                continue
            if c.quote and " ".join(c.quote.split()) not in " ".join(text[start:end].split()):
                problems.append(f"{where}: span {c.span} of {c.source_id} reads "
                                f"{text[start:end][:80]!r}, not the quote {c.quote!r}")
    if problems:
        raise SpanMismatch(f"{len(problems)} citation(s) no longer match their documents:\n"
                           + "\n".join(problems))
    return checked, missing


def load_curated(store: Store, directory: str | Path | None = None, *,
                 documents: str | Path | None = None) -> CuratedReport:
    """Load a curated directory (the bundled one by default) in one transaction."""
    directory = bundled_dir() if directory in (None, BUNDLED) else Path(directory)
    loaded = read_dir(directory)
    report = CuratedReport(files=loaded.files)
    if documents is not None:
        texts = _document_texts(loaded, Path(documents))
        report.spans_checked, report.documents_missing = check_spans(loaded, texts)
        _attach_texts(loaded, texts)
    with store.writer() as w:
        report.entities_new = w.ensure_entities(loaded.entities)
        report.sources_new = sum(w.ensure_source(s) for s in loaded.sources.values())
        sts = [st for _, st in loaded.statements]
        # loaded again onto a registry an import has reconciled: what it merged stays so
        merged = merged_already(w, sts)
        result = w.add_many([st for st in sts if st.key not in merged])
        coalesce(w)       # a curated date meets the same fact imported before
    report.statements_added = result.added
    report.statements_unchanged = result.unchanged + len(merged)
    report.citations_added = result.citations_added
    return report


def _attach_texts(loaded: _Loaded, texts: dict[str, str | None]) -> None:
    """Keep the documents' text with their sources, for full-text search and display."""
    for sid, text in texts.items():
        if text is not None:
            loaded.sources[sid] = SourceIn(**{**loaded.sources[sid].__dict__, "text": text,
                                              "sha256": hashlib.sha256(text.encode()).hexdigest()})
