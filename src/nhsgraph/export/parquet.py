"""Parquet, written with pyarrow: the tidy table (one row per fact), one file.

A tidy table rather than one table per kind, so that a single ``read_table`` gives every
fact with its subject, dates and citations. Columns (services.exports.TIDY_COLUMNS):
``fact_id`` int64; ``subject_*``, ``predicate``, ``object_*``, ``value``, ``qualifiers``
strings (``value``/``qualifiers`` JSON text when not plain text); ``valid_from`` and
``valid_to`` the partial ISO dates as recorded (strings) with ``valid_from_day`` and
``valid_to_day`` (date32, the first day of each: valid_to exclusive); ``citations`` a
list of structs (source_id, source_title, locator, method, url).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from nhsgraph.model.dates import as_day
from nhsgraph.services.exports import Export, Progress

_CITATION = pa.struct([("source_id", pa.string()), ("source_title", pa.string()),
                       ("locator", pa.string()), ("method", pa.string()), ("url", pa.string())])
SCHEMA = pa.schema([
    ("fact_id", pa.int64()), ("subject_id", pa.string()), ("subject_code", pa.string()),
    ("subject_name", pa.string()), ("subject_type", pa.string()), ("predicate", pa.string()),
    ("object_id", pa.string()), ("object_name", pa.string()), ("value", pa.string()),
    ("qualifiers", pa.string()), ("valid_from", pa.string()), ("valid_to", pa.string()),
    ("valid_from_day", pa.date32()), ("valid_to_day", pa.date32()),
    ("citations", pa.list_(_CITATION)),
])


def table(export: Export, progress: Progress | None = None) -> pa.Table:
    """The tidy table as an Arrow table."""
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}
    for row in export.rows(progress):
        row["valid_from_day"] = as_day(row["valid_from"])
        row["valid_to_day"] = as_day(row["valid_to"])
        for name, values in columns.items():
            values.append(row[name])
    return pa.Table.from_pydict(columns, schema=SCHEMA)


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the table; returns how many rows."""
    t = table(export, progress)
    pq.write_table(t, path)
    return t.num_rows
