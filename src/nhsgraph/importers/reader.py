"""Reading published CSV files the way they really come: plain or zipped, UTF-8 with or
without a BOM (cp1252 only when asked), LF, CRLF or CR-only line endings.

Every problem is a ``BadRow(path, line, message)`` (``file:line: what is wrong``) or a
``BadInput`` for the file as a whole, never a bare ``UnicodeDecodeError`` or ``csv.Error``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from nhsgraph.errors import BadInput, BadRow


@dataclass
class RawFile:
    """A file's decoded text and what we know about its bytes."""

    path: Path
    name: str            # the file name (of the CSV inside a zip: zip name + '!' + member)
    text: str
    sha256: str
    encoding: str


def read_bytes(path: str | Path) -> tuple[bytes, str]:
    """The file's bytes (the single member of a zip) and a display name."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a directory")
    with path.open("rb") as f:
        zipped = f.read(4) == b"PK\x03\x04"
    if zipped or path.suffix.lower() == ".zip":
        return _read_zip_member(path)
    return path.read_bytes(), path.name


MAX_UNZIPPED = 1 << 30     # bytes a zipped CSV may unpack to (the largest real one: ~50 MB)
MAX_ZIP_RATIO = 200        # unpacked/packed; CSVs pack 5-20x, a zip bomb 1000x and more


def _read_zip_member(path: Path) -> tuple[bytes, str]:
    """The one CSV of a zip, read as a stream: refused (without unpacking the rest) once it
    unpacks past MAX_UNZIPPED bytes or MAX_ZIP_RATIO times its packed size, whatever the
    zip's header claims."""
    from nhsgraph.errors import BadFile

    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()
                       and not m.filename.startswith("__MACOSX/")]
            csvs = [m for m in members if m.filename.lower().endswith((".csv", ".txt"))]
            if len(csvs) != 1:
                raise BadFile(str(path), "a zip should hold exactly one .csv file, found "
                                         f"{[m.filename for m in members] or 'none'}")
            member = csvs[0]
            limit = min(MAX_UNZIPPED, max(1 << 20, MAX_ZIP_RATIO * member.compress_size))
            if member.file_size > limit:
                raise _too_big(path, member, member.file_size, limit, "its header says")
            out = io.BytesIO()
            with zf.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    out.write(chunk)
                    if out.tell() > limit:
                        raise _too_big(path, member, out.tell(), limit, "read")
            return out.getvalue(), f"{path.name}!{member.filename}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            OSError) as exc:
        raise BadFile(str(path), f"not a readable zip file ({exc})") from None


def _too_big(path: Path, member: zipfile.ZipInfo, size: int, limit: int, how: str) -> BadInput:
    from nhsgraph.errors import BadFile

    return BadFile(str(path), f"{member.filename} unpacks to more than {limit:,} bytes "
                    f"({how} {size:,}, from {member.compress_size:,} packed; at most "
                    f"{MAX_ZIP_RATIO}x its packed size and {MAX_UNZIPPED:,} bytes are read): "
                    "refused as a likely zip bomb")


def decode(data: bytes, path: str | Path, *, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used. UTF-8 (BOM stripped) unless ``encoding='cp1252'`` is given."""
    if encoding not in (None, "utf-8", "utf-8-sig", "cp1252"):
        raise BadInput(f"unsupported encoding {encoding!r}: use utf-8 or cp1252")
    if encoding == "cp1252":
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise BadRow(str(path), line, f"not cp1252 (byte 0x{data[exc.start]:02x} at offset "
                                          f"{exc.start})") from None
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        off = exc.start + (3 if bom else 0)
        # Count lines on any of the three line-ending conventions.
        head = data[:off].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = head.count(b"\n") + 1
        raise BadRow(str(path), line, f"not UTF-8 (byte 0x{data[off]:02x} at offset {off}); "
                                      "if the file is Windows-1252, read it with encoding='cp1252'"
                     ) from None
    return text, "utf-8-sig" if bom else "utf-8"


def load(path: str | Path, *, encoding: str | None = None) -> RawFile:
    data, name = read_bytes(path)
    if not data.strip():
        raise BadRow(str(path), 1, "empty file")
    text, enc = decode(data, path, encoding=encoding)
    if not text.strip():
        raise BadRow(str(path), 1, "empty file")
    return RawFile(Path(path), name, text, hashlib.sha256(data).hexdigest(), enc)


def rows(raw: RawFile) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for each non-blank record. Line numbers are physical lines
    (1-based) on whichever line-ending convention the file uses."""
    reader = csv.reader(io.StringIO(raw.text, newline=""), strict=True)
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            yield reader.line_num, fields
    except csv.Error as exc:
        msg = str(exc)
        if "unexpected end of data" in msg or "EOF" in msg:
            msg = "truncated: the file ends inside a quoted field"
        raise BadRow(str(raw.path), reader.line_num, f"bad CSV: {msg}") from None


def ends_cleanly(raw: RawFile) -> bool:
    return raw.text.endswith(("\n", "\r"))


def column_error(raw: RawFile, line: int, got: int, expected: str, *, last: bool) -> BadRow:
    if last and not ends_cleanly(raw):
        return BadRow(str(raw.path), line,
                      f"truncated last line: {got} fields, expected {expected} "
                      "(the file ends without a line break)")
    return BadRow(str(raw.path), line, f"wrong number of fields: {got}, expected {expected}")


def header_and_rows(raw: RawFile) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """A headed CSV's header line number, its header, and (line, fields) for each record
    after it; an empty file is a BadRow at line 1."""
    it = rows(raw)
    try:
        hline, header = next(it)
    except StopIteration:
        raise BadRow(str(raw.path), 1, "empty file") from None
    return hline, header, it
