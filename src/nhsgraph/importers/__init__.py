"""Importers for official data in its published formats: NHS ODS extracts and successor
files, ONS names-and-codes and hierarchy lookups.

    import_ods(store, paths, *, as_at=None, skip_bad=False, progress=None, encoding=None)
    import_lookups(store, paths, *, as_at=None, skip_bad=False, progress=None, encoding=None)
    detect_kind(path) -> str

Each import is ONE store transaction: a bad row raises ``BadRow`` (``file:line: what``)
and the store is unchanged, unless ``skip_bad=True``, when good rows are imported and the
report lists the rejected ones. Importing the same file again adds nothing; importing a
newer release of the same ODS series supersedes what older releases said differently.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Iterable, Mapping, Union

from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import figures as _figures
from nhsgraph.importers import lookups as _lookups
from nhsgraph.importers import membership as _membership
from nhsgraph.importers import ods as _ods
from nhsgraph.importers import ods_api as _ods_api
from nhsgraph.importers import successions as _succ
from nhsgraph.importers.common import (FileReport, ImportReport, Progress, Rejected,
                                       no_cyclic_gc, progress_call, write_results)
from nhsgraph.importers.reader import load, rows
from nhsgraph.model.dates import PartialDate

# One encoding for every file, or one per file (a path -> encoding mapping; files not in it
# are UTF-8); None: UTF-8.
Encoding = Union[str, Mapping[Union[str, os.PathLike], str], None]

__all__ = ["import_ods", "import_lookups", "detect_kind", "ImportReport", "Rejected",
           "ODS_KINDS", "LOOKUP_KINDS", "import_ods_api"]

ODS_KINDS = ("etr", "ect", "eccg", "eauth", "epraccur", "epcmem", "succ", "succarc",
             "succ-derived")
LOOKUP_KINDS = ("ons-lookup", "pct-ccg-json", _figures.KIND)
API_KINDS = ("ods-api",)


def _detect(raw) -> str:
    path = raw.path
    by_name = _ods.kind_from_name(raw.name)
    if raw.name.lower().endswith(".json") or raw.text.lstrip().startswith(("[", "{")):
        if _lookups.looks_like_pct_ccg_json(raw.text):
            return "pct-ccg-json"
        if _ods_api.looks_like_ods_api(raw.text):
            return _ods_api.KIND
        _ods_api.refuse(raw)           # names the first key it did not expect
        raise BadInput(f"{path}: unknown JSON layout (expected the PCT -> CCG lookup or an "
                       "ODS API record)")
    it = rows(raw)
    try:
        line, first = next(it)
    except StopIteration:
        raise BadRow(str(path), 1, "empty file") from None
    if _succ.header_layout(first) is not None:
        return "succ-derived"
    if _membership.is_epcmem(first) and by_name in (None, "epcmem"):
        return "epcmem"
    if by_name in ("succ", "succarc") or (by_name is None and _succ.is_raw_succ(first)):
        if not _succ.is_raw_succ(first):
            raise BadRow(str(path), line, f"not a successor file row: expected 5 fields "
                                          f"old,new,reason(F/O/R/empty),YYYYMMDD,"
                                          f"indicator(F/X/0/1/empty), got "
                                          f"{len(first)}: {','.join(first)[:80]}")
        return by_name or "succ"
    if by_name in _ods.ODS_KINDS:
        if not _ods.looks_like_ods(first):
            raise BadRow(str(path), line,
                         f"named like an ODS {by_name} extract but the first row is not in the "
                         f"27-field format ({len(first)} fields: {','.join(first)[:80]})")
        return by_name
    if _figures.looks_like_catchment(first):
        return _figures.KIND
    if _lookups.parse_header(first) is not None:
        return "ons-lookup"
    if _ods.looks_like_ods(first) and len(first) in _ods.FIELD_COUNTS:
        guess = _ods.guess_kind(first)
        if guess:
            return guess
        raise BadInput(f"{path}: a headerless 27-field ODS file, but which extract it is "
                       "cannot be told from its rows; name it etr/ect/eccg/eauth/epraccur")
    raise BadInput(f"{path}: unknown layout (first line: {','.join(first)[:100]}); expected an "
                   "ODS extract (etr, ect, eccg, eauth, epraccur, succ, succarc), the "
                   "old_code,new_code,date successor lookup, an ONS lookup with "
                   "<LEVEL><YY>CD/NM columns, or trust -> ICB catchment shares")


def detect_kind(path: str | os.PathLike, *, encoding: str | None = None) -> str:
    """What a file is: one of ODS_KINDS or LOOKUP_KINDS; an unknown layout is BadInput."""
    return _detect(load(path, encoding=encoding))


def _as_at(value) -> PartialDate | None:
    if value is None or value == "":
        return None
    return PartialDate.parse(value)


def _parse_file(path, kind, raw, as_at, skip_bad):
    if kind in _ods.ODS_KINDS:
        return _ods.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)
    if kind == _ods_api.KIND:
        return _ods_api.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)
    if kind == "epcmem":
        return _membership.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)
    if kind in ("succ", "succarc", "succ-derived"):
        return _succ.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)
    if kind == _figures.KIND:
        return _figures.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)
    return _lookups.parse(raw, kind, as_at=as_at, skip_bad=skip_bad)


def _run(store, paths, allowed, other, **kw) -> ImportReport:
    with no_cyclic_gc():
        return _import(store, paths, allowed, other, **kw)


def _import(store, paths, allowed, other, *, as_at, skip_bad, progress, encoding,
            recorded_at=None) -> ImportReport:
    results, report = read_files(paths, allowed, other, as_at=as_at, skip_bad=skip_bad,
                                 progress=progress, encoding=encoding)
    write_results(store, results, report, progress=progress, recorded_at=recorded_at)
    return report


def read_files(paths, allowed=ODS_KINDS + LOOKUP_KINDS, other="another import", *,
               as_at=None, skip_bad=False, progress=None, encoding: Encoding = None
               ) -> tuple[list, ImportReport]:
    """Parse files (nothing is written): their results, oldest release first, ready for
    ``write_results``, and the report so far. A lookup's results resolve ONS codes when
    written, against the store and the other files read here."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise BadInput("no files to import")
    as_at = _as_at(as_at)
    # One encoding for all, or one per file (an empty mapping: every file UTF-8)
    per_file = isinstance(encoding, Mapping)
    encodings = {Path(k): v for k, v in encoding.items()} if per_file else {}
    report = ImportReport()
    results = []
    for p in paths:
        raw = load(p, encoding=encodings.get(p) if per_file else encoding)
        kind = _detect(raw)
        if kind not in allowed:
            raise BadInput(f"{p}: a {kind} file; import it with {other}")
        progress_call(progress, 0, None, f"reading {p.name}")
        res = _parse_file(p, kind, raw, as_at, skip_bad)
        results.append(res)
        report.rows_read += res.rows
        report.rejected.extend(res.rejected)
        report.files.append(FileReport(str(p), kind, str(res.as_of) if res.as_of else None,
                                       res.source.id if res.source else None, res.rows, 0,
                                       len(res.rejected)))
        progress_call(progress, res.rows, None, f"read {p.name}")
    # Older releases first, so that a newer one supersedes them within one import too.
    results.sort(key=lambda r: (r.as_of.first if r.as_of else dt.date.min))
    # ONS -> ODS codes: those held in the store, overridden by those any lookup in this
    # import gives (CCG13CD -> CCG13CDH, at.csv…). Read from the store once, when the first
    # file is built: a file adds ons_code statements on ods: entities only for codes it
    # gives (in ``pairs``) or resolves (already in the map), so later files would read the
    # same map again.
    pairs = {}
    for r in results:
        pairs.update(r.ons_pairs)
    ons_map: dict[str, str] | None = None

    def with_map(fn):
        def build(w, res):
            nonlocal ons_map
            if ons_map is None:
                ons_map = _lookups.store_ons_map(w)
                ons_map.update(pairs)
            res.ons_map = ons_map
            fn(w, res)
        return build

    for r in results:
        if r.build is not None:
            r.build = with_map(r.build)
    return results, report


def import_ods(store, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
               as_at: str | dt.date | None = None, skip_bad: bool = False,
               progress: Progress | None = None, encoding: Encoding = None) -> ImportReport:
    """Import ODS extracts (etr, ect, eccg, eauth, epraccur; plain or zipped) and successor
    files (succ, succarc, old_code,new_code,date) in one transaction."""
    return _run(store, paths, ODS_KINDS, "import_lookups", as_at=as_at, skip_bad=skip_bad,
                progress=progress, encoding=encoding)


def import_lookups(store, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                   as_at: str | dt.date | None = None, skip_bad: bool = False,
                   progress: Progress | None = None, encoding: Encoding = None) -> ImportReport:
    """Import ONS names-and-codes / hierarchy lookups, the PCT -> CCG JSON and the trust
    -> ICB catchment shares (figures) in one transaction. ONS codes are resolved to ODS entities using the other files in the same
    import and the ons_code statements already in the store, so files that map the same
    codes belong in one import (``encoding`` may name each file's encoding for that)."""
    return _run(store, paths, LOOKUP_KINDS, "import_ods", as_at=as_at, skip_bad=skip_bad,
                progress=progress, encoding=encoding)


def import_ods_api(store, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                   as_at: str | dt.date | None = None, skip_bad: bool = False,
                   progress: Progress | None = None, encoding: Encoding = None) -> ImportReport:
    """Import ODS ORD API organisation records and ODS FHIR Organization /
    OrganizationAffiliation resources (or Bundles of them), saved as JSON, in one
    transaction."""
    return _run(store, paths, API_KINDS, "import_ods or import_lookups", as_at=as_at,
                skip_bad=skip_bad, progress=progress, encoding=encoding)
