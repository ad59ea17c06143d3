"""The extractor's public functions: one document, a batch over a process pool, files.

``extract_document`` returns exactly the schema object (docs/extraction-schema.md);
``analyse_document`` returns the richer :class:`ExtractionResult` (spans, components,
figures, minutes) that the ingest service turns into proposed statements.

Example::

    out = extract_document("Cambridge NHS Trust was rated Good by the CQC.", "a.txt")
    sorted(out)   # ["doc", "events", "orgs", "people"]
"""

from __future__ import annotations

import json
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from spacy.language import Language

from nhsgraph.errors import NhsgraphError
from nhsgraph.extract.anchors import Anchors
from nhsgraph.extract.events import Event
from nhsgraph.extract.figures import Figure
from nhsgraph.extract.gazetteer import Gazetteer
from nhsgraph.extract.minutes import Minutes, parse_minutes
from nhsgraph.extract.orgs import Mention
from nhsgraph.extract.people import Person
from nhsgraph.extract.pipeline import build_pipeline
from nhsgraph.extract.readers import DEFAULT_MAX_BYTES, read_document
from nhsgraph.extract.temporal import DateMention, date_candidates, document_date, scan_dates

EXTRACTOR_VERSION = "extract/0.1"


@dataclass
class ExtractionResult:
    """Everything the extractor found in one document, with spans and producing component.

    Notes: ``orgs`` are all mentions (one per occurrence); ``people`` are deduplicated;
    ``minutes`` is None unless the text reads as council/board minutes.
    """

    doc: str
    doc_date: str | None
    orgs: list[Mention]
    people: list[Person]
    events: list[Event]
    dates: list[DateMention]
    figures: list[Figure]
    minutes: Minutes | None
    metadata: dict = field(default_factory=dict)
    version: str = EXTRACTOR_VERSION

    def as_schema(self) -> dict:
        """The schema's JSON object: doc, orgs, people, events."""
        return {
            "doc": self.doc,
            "orgs": [{"start": m.start, "end": m.end, "text": m.text, "type": m.org_type,
                      "name": m.name} for m in self.orgs],
            "people": [{"name": p.name, "role": p.role, "org": p.org} for p in self.people],
            "events": [e.as_schema() for e in self.events],
        }


_NLP_CACHE: dict[int, tuple[Gazetteer | None, Language]] = {}


def _nlp_for(gazetteer: Gazetteer | None) -> Language:
    key = id(gazetteer)
    hit = _NLP_CACHE.get(key)
    if hit is None or hit[0] is not gazetteer:
        if len(_NLP_CACHE) > 8:
            _NLP_CACHE.clear()
        hit = (gazetteer, build_pipeline(gazetteer))
        _NLP_CACHE[key] = hit
    return hit[1]


def _result(doc, doc_name: str, minutes: Minutes | None, metadata: dict) -> ExtractionResult:
    u = doc.user_data
    return ExtractionResult(doc_name, u.get("doc_date"), u.get("nhs_orgs", []),
                            u.get("nhs_people", []), u.get("nhs_events", []),
                            u.get("nhs_dates", []), u.get("nhs_figures", []), minutes,
                            metadata)


def _prepare(nlp: Language, text: str, doc_date, metadata: dict | None):
    doc = nlp.make_doc(text)
    raw_dates = scan_dates(text, candidates=date_candidates(Anchors.of(doc)))
    doc.user_data["nhs_raw_dates"] = raw_dates
    date = str(doc_date) if doc_date else document_date(text, metadata, raw_dates)
    minutes = parse_minutes(text, date)
    if minutes and not date and minutes.meeting_date:
        date = minutes.meeting_date
    doc.user_data["doc_date"] = date
    doc.user_data["text"] = text
    if minutes:
        doc.user_data["meeting_date"] = minutes.meeting_date
        doc.user_data["meeting_body_span"] = minutes.body_span
        doc.user_data["meeting_body"] = minutes.body
    return doc, minutes


def analyse_document(text: str, doc_name: str, gazetteer: Gazetteer | None = None,
                     doc_date=None, metadata: dict | None = None) -> ExtractionResult:
    """Run the whole extractor over one text; pure and deterministic."""
    nlp = _nlp_for(gazetteer)
    doc, minutes = _prepare(nlp, text, doc_date, metadata)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return _result(doc, doc_name, minutes, dict(metadata or {}))


def extract_document(text: str, doc_name: str, gazetteer: Gazetteer | None = None,
                     doc_date=None) -> dict:
    """The schema JSON object for one document (doc, orgs, people, events)."""
    return analyse_document(text, os.path.basename(doc_name), gazetteer, doc_date).as_schema()


def analyse_many(items: Iterable[tuple[str, str]], gazetteer: Gazetteer | None = None,
                 batch_size: int = 64) -> Iterator[ExtractionResult]:
    """(text, doc_name) pairs through ``nlp.pipe`` in one process, in order."""
    nlp = _nlp_for(gazetteer)
    pending: deque = deque()

    def docs():
        for text, name in items:
            doc, minutes = _prepare(nlp, text, None, None)
            pending.append((name, minutes))
            yield doc

    # make_doc already ran: feed Docs through the components
    for doc in nlp.pipe(docs(), batch_size=batch_size):
        name, minutes = pending.popleft()
        yield _result(doc, name, minutes, {})


# ------------------------------------------------------------------ process pool
_WORKER_GAZ: Gazetteer | None = None


def _init_worker(gazetteer: Gazetteer | None) -> None:
    global _WORKER_GAZ
    _WORKER_GAZ = gazetteer
    _nlp_for(gazetteer)   # build the pipeline once per worker, before the first chunk


def _work_texts(chunk: list[tuple[str, str]]) -> list[dict]:
    return [r.as_schema() for r in analyse_many(chunk, _WORKER_GAZ)]


def _work_file(args: tuple[str, int]) -> tuple[str, dict | None, str | None]:
    path, max_bytes = args
    try:
        text, meta = read_document(path, max_bytes=max_bytes)
        res = analyse_document(text, os.path.basename(path), _WORKER_GAZ,
                               metadata=meta)
        out = res.as_schema()
        if meta.get("warnings"):
            out["warnings"] = meta["warnings"]
        return path, out, None
    except NhsgraphError as exc:
        return path, None, str(exc)
    except Exception as exc:  # one bad file must not stop a batch
        return path, None, f"{path}: {type(exc).__name__}: {exc}"


def extract_batch(items: list[tuple[str, str]], gazetteer: Gazetteer | None = None,
                  workers: int = 1, chunk_size: int = 32) -> list[dict]:
    """Schema objects for (text, doc_name) pairs, in input order, over ``workers`` processes."""
    if workers <= 1:
        return [r.as_schema() for r in analyse_many(items, gazetteer)]
    # Few large chunks: each costs a round trip and pickling; four per worker still
    # balances uneven documents.
    chunk_size = max(chunk_size, -(-len(items) // (workers * 4)))
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    out: list[dict] = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(gazetteer,)) as pool:
        for res in pool.map(_work_texts, chunks):
            out.extend(res)
    return out


@dataclass(frozen=True)
class FileError:
    """Why one file of a batch could not be extracted."""

    path: str
    message: str

    def as_json(self) -> str:
        return json.dumps({"doc": os.path.basename(self.path), "error": self.message})


def extract_files(paths: Iterable[str | os.PathLike], jsonl: bool = False, workers: int = 1,
                  gazetteer: Gazetteer | None = None, max_bytes: int = DEFAULT_MAX_BYTES
                  ) -> Iterator[tuple[str, dict | str | FileError]]:
    """Yield ``(path, result)`` per file, in input order; a file that fails yields a
    :class:`FileError` and the batch goes on. With ``jsonl`` the result is one JSON line."""
    args = [(str(p), max_bytes) for p in paths]

    def emit(path, out, err):
        if err is not None:
            return path, FileError(path, err)
        return path, (json.dumps(out, ensure_ascii=False, sort_keys=False) if jsonl else out)

    if workers <= 1:
        _init_worker(gazetteer)
        for a in args:
            yield emit(*_work_file(a))
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(gazetteer,)) as pool:
        for res in pool.map(_work_file, args, chunksize=4):
            yield emit(*res)
