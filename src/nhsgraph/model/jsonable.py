"""The one JSON encoding of query results, shared by the CLI's --json and the REST API so
that both print a fact, a date or a view the same way."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


def to_jsonable(o: Any):
    """``json.dumps(default=...)``: dates as ISO text, views by their ``to_dict``,
    other dataclasses field by field, sets and tuples as lists."""
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if dataclasses.is_dataclass(o):
        return dataclasses.asdict(o)
    if isinstance(o, (set, tuple)):
        return list(o)
    raise TypeError(f"cannot render {type(o).__name__} as JSON")
