"""The tidy CSV: one row per fact, its citations summarised as source ids and locators.

Columns are ``services.exports.TIDY_COLUMNS`` with ``citations`` split in two aligned
columns: ``sources`` (source ids) and ``locators`` (where in each source), "; "-separated.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nhsgraph.services.exports import TIDY_COLUMNS, Export, Progress

COLUMNS = tuple(c for c in TIDY_COLUMNS if c != "citations") + ("sources", "locators")


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the rows; returns how many."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, COLUMNS)
        out.writeheader()
        for row in export.rows(progress):
            cites = row.pop("citations")
            row["sources"] = "; ".join(c["source_id"] for c in cites)
            row["locators"] = "; ".join(c["locator"] for c in cites)
            out.writerow(row)
            n += 1
    return n
