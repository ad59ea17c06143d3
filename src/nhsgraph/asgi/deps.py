"""Request-scoped dependencies: a read connection on the app's store, paging parameters."""

from __future__ import annotations

from typing import Annotated, Iterator

from fastapi import Depends, Query, Request
from sqlalchemy.engine import Connection


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.store.reader() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many items.")]
# Shape only: the domain's parser has the last word (2011-02-30 has the shape, and is 422).
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
At = Annotated[str | None, Query(
    max_length=10, pattern=DATE_PATTERN, description="Date as at which to answer: YYYY, YYYY-MM or YYYY-MM-DD.",
    examples=["2012-01-15"])]
KnownAt = Annotated[str | None, Query(
    max_length=40, description="Answer as nhsgraph knew it then: facts recorded after this "
    "record time are left out. A date (YYYY[-MM[-DD]], meaning the end of that period) or an "
    "ISO date-time (UTC unless it has an offset). A bad value is 422 with the reason.",
    examples=["2024-01-01"])]
