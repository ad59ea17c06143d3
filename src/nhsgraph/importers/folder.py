"""Import every official data file found under a folder, as ONE import: what each file is
decides which parser reads it, files that are not UTF-8 are read as Windows-1252 (as some
ONS releases are) and reported as such, and files of a layout no parser reads are listed
with the reason and left out. ODS extracts and successor files are written first (older
releases before newer, so that releases supersede in order), then the ONS lookups (so
that every file's ONS -> ODS codes serve all of them), in one transaction: a bad row
anywhere leaves the store as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nhsgraph.errors import BadInput, NhsgraphError
from nhsgraph.importers import (API_KINDS, LOOKUP_KINDS, ODS_KINDS, FileReport, ImportReport, detect_kind,
                                read_files)
from nhsgraph.importers.common import Progress, no_cyclic_gc, write_results

DATA_SUFFIXES = (".csv", ".zip", ".json", ".txt")


@dataclass
class FolderReport:
    reports: list[ImportReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)     # (file, why)
    cp1252: list[str] = field(default_factory=list)

    @property
    def statements_added(self) -> int:
        return sum(r.statements_added for r in self.reports)

    @property
    def files(self) -> list[FileReport]:
        return [f for r in self.reports for f in r.files]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.reports:
            for k, v in r.counts().items():
                out[k] = out.get(k, 0) + v
        out["skipped"] = len(self.skipped)
        return out


def _kind(path: Path) -> tuple[str, str | None]:
    """(kind, encoding): UTF-8 first, then Windows-1252."""
    try:
        return detect_kind(path), None
    except NhsgraphError as first:
        if "not UTF-8" not in str(first):
            raise
    return detect_kind(path, encoding="cp1252"), "cp1252"


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("."))


def import_folder(store, folder: str | Path, *, progress: Progress | None = None,
                  skip_bad: bool = False) -> FolderReport:
    folder = Path(folder)
    if not folder.is_dir():
        raise BadInput(f"{folder}: not a folder")
    report = FolderReport()
    groups: dict[str, list[Path]] = {"ods": [], "lookup": []}
    encodings: dict[Path, str] = {}
    for path in data_files(folder):
        try:
            kind, encoding = _kind(path)
        except NhsgraphError as exc:
            report.skipped.append((str(path), str(exc).splitlines()[0]))
            continue
        groups["lookup" if kind in LOOKUP_KINDS else "ods"].append(path)
        if encoding:
            encodings[path] = encoding
            report.cp1252.append(str(path))
    if not groups["ods"] and not groups["lookup"]:
        raise BadInput(f"{folder}: no ODS extract, successor file or ONS lookup found"
                       + (f" ({len(report.skipped)} files of other layouts)"
                          if report.skipped else ""))
    read = []
    for family, allowed in (("ods", ODS_KINDS + API_KINDS), ("lookup", LOOKUP_KINDS)):
        if groups[family]:
            read.append(read_files(groups[family], allowed, encoding=encodings,
                                   progress=progress, skip_bad=skip_bad))
    with no_cyclic_gc(), store.writer() as w:
        for results, rep in read:
            write_results(store, results, rep, progress=progress, writer=w)
            report.reports.append(rep)
    return report
