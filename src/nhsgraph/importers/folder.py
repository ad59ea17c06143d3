"""Import every official data file found under a folder: what each file is decides which
importer reads it, files of unknown layout are listed and left out, and files that are not
UTF-8 are read as Windows-1252 (as some ONS releases are) and reported as such."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nhsgraph.errors import BadInput, NhsgraphError
from nhsgraph.importers import LOOKUP_KINDS, ImportReport, detect_kind, import_lookups, import_ods
from nhsgraph.importers.common import Progress

DATA_SUFFIXES = (".csv", ".zip", ".json", ".txt")


@dataclass
class FolderReport:
    reports: list[ImportReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)     # (file, why)
    cp1252: list[str] = field(default_factory=list)

    @property
    def statements_added(self) -> int:
        return sum(r.statements_added for r in self.reports)


def _kind(path: Path) -> tuple[str, str | None]:
    """(kind, encoding): UTF-8 first, then Windows-1252."""
    try:
        return detect_kind(path), None
    except NhsgraphError as first:
        if "not UTF-8" not in str(first):
            raise
    return detect_kind(path, encoding="cp1252"), "cp1252"


def import_folder(store, folder: str | Path, *, progress: Progress | None = None) -> FolderReport:
    """ODS extracts and successor files first (in one transaction, so releases supersede in
    order), then ONS lookups (one transaction, so that every file's ONS -> ODS codes serve
    all of them, whatever their encoding)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BadInput(f"{folder}: not a folder")
    report = FolderReport()
    groups: dict[str, list[Path]] = {"ods": [], "lookup": []}
    encodings: dict[Path, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in DATA_SUFFIXES):
        try:
            kind, encoding = _kind(path)
        except NhsgraphError as exc:
            report.skipped.append((str(path), str(exc).splitlines()[0]))
            continue
        groups["lookup" if kind in LOOKUP_KINDS else "ods"].append(path)
        if encoding:
            encodings[path] = encoding
            report.cp1252.append(str(path))
    for family, run in (("ods", import_ods), ("lookup", import_lookups)):
        if groups[family]:
            report.reports.append(run(store, groups[family], encoding=encodings,
                                      progress=progress))
    return report
