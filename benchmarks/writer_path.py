"""Loading generated rows through the store's own Writer (the validated, idempotent path),
to measure its throughput and to check that the bulk path stores the same facts."""

from __future__ import annotations

import json
import time

from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

from generate import Generator

_PARTIAL = {1: 4, 2: 7, 3: 10}


def collect(scale: float, seed: int) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {}
    Generator(lambda t, r: rows.setdefault(t, []).extend(r), scale=scale, seed=seed).run()
    return rows


def to_statement_in(st: tuple, ci: tuple) -> StatementIn:
    (_sid, _key, subject, pred, obj, _vjson, vtext, _vk, vf, vfp, vt, vtp, quals, status,
     _rec, _retr) = st
    return StatementIn(
        subject=subject, predicate=pred, object=obj, value=vtext,
        valid_from=vf[:_PARTIAL[vfp]] if vf else None,
        valid_to=vt[:_PARTIAL[vtp]] if vt else None,
        qualifiers=json.loads(quals) or {}, status=status,
        citations=(CitationIn(source_id=ci[1], method=ci[9], file=ci[4], row=ci[5]),))


def load(store, rows: dict[str, list[tuple]], *, limit: int | None = None,
         chunk: int = 5000) -> dict:
    """Write (up to ``limit``) generated statements through Writer.add_many in chunks.

    Superseded copies are added and then retracted, as a curator's correction would be.
    Returns timings: entities, StatementIn construction, add_many.
    """
    sts = rows["statement"][:limit] if limit else rows["statement"]
    cis = rows["citation"][:len(sts)]
    out = {"statements": len(sts)}
    t0 = time.perf_counter()
    with store.writer() as w:
        for s in rows["source"]:
            w.ensure_source(SourceIn(id=s[0], title=s[1], kind=s[5], publisher=s[2], date=s[3],
                                     document=s[6]))
        w.ensure_entities((e[0], e[1], e[2]) for e in rows["entity"])
    t1 = time.perf_counter()
    ins = [to_statement_in(st, ci) for st, ci in zip(sts, cis)]
    t2 = time.perf_counter()
    added = 0
    with store.writer() as w:
        for i in range(0, len(ins), chunk):
            part = ins[i:i + chunk]
            res = w.add_many(part)
            added += res.added
            gone = [sid for sid, st in zip(res.ids, sts[i:i + chunk]) if st[15] is not None]
            if gone:
                w.retract(gone)
    t3 = time.perf_counter()
    out.update(entities_s=t1 - t0, construct_s=t2 - t1, add_many_s=t3 - t2, added=added,
               add_many_per_s=len(ins) / (t3 - t2) if t3 > t2 else 0.0,
               construct_per_s=len(ins) / (t2 - t1) if t2 > t1 else 0.0)
    return out
