"""Request-scoped dependencies: a read connection on the app's store, paging parameters;
and the event loop's own read connection, for the answers computed on the loop."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Annotated, Iterator

from fastapi import Depends, Query, Request
from sqlalchemy.engine import Connection


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.store.reader() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


@contextmanager
def loop_connection(request: Request) -> Iterator[Connection]:
    """The read connection of the app's event loop, for an ``async def`` endpoint that
    answers on the loop without awaiting while it holds it (so one request at a time uses
    it): no pool checkout, and no hop to the thread pool and back, which with 20 clients in
    a worker cost more than the answer (threads contending for the GIL). Its own connection,
    not the pool's: a loop blocked waiting for the pool could never run the thread-pool
    requests that would give one back. The transaction ends with the request, so the next
    one reads what has been written since. On PostgreSQL it reads in autocommit: a read
    committed transaction takes a snapshot per statement anyway, so the answer is as
    consistent, without a BEGIN and a ROLLBACK a request (which cost 1.6 ms of CPU and
    doubled the answer's wall time on the demo registry)."""
    state = request.app.state
    conn = getattr(state, "loop_conn", None)
    if conn is None or conn.closed:
        conn = state.store.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        state.loop_conn = conn
    try:
        yield conn
    finally:
        conn.rollback()


def close_loop_connection(state) -> None:
    conn = getattr(state, "loop_conn", None)
    if conn is not None:
        conn.close()
        state.loop_conn = None
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Skip this many items.")]
# Shape only: the domain's parser has the last word (2011-02-30 has the shape, and is 422).
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
At = Annotated[str | None, Query(
    max_length=10, pattern=DATE_PATTERN, description="Date as at which to answer: YYYY, YYYY-MM or YYYY-MM-DD.",
    examples=["2012-01-15"])]
KNOWN_AT_MAX = 40
KnownAt = Annotated[str | None, Query(
    max_length=KNOWN_AT_MAX, description="Answer as nhsgraph knew it then: facts recorded after this "
    "record time are left out. A date (YYYY[-MM[-DD]], meaning the end of that period) or an "
    "ISO date-time (UTC unless it has an offset). A bad value is 422 with the reason.",
    examples=["2024-01-01"])]
