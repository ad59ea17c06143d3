"""What the app itself costs a request, around an answer it already holds: the ASGI app
called directly (no sockets, no server), with the answer cache on, so that the answer
is a dictionary look-up and what is left is the app's own work: middlewares, routing,
parameters, the response. The organisation-as-at request (``GET /api/entities/{id}?at=``)
is made by the short way (``asgi.fast.FastGet``) and, in the same run, alternately,
through FastAPI's routing (``create_app(fast=False)``), which is the baseline.

    PYTHONPATH=src python benchmarks/asgi_overhead.py --db /tmp/real.db

Prints CPU µs a request for each round and their medians, and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from nhsgraph.services.cache import CACHE_ENV  # noqa: E402


async def _get(app, path: str, query: bytes) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query, "root_path": "", "headers": [(b"host", b"127.0.0.1")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


async def measure(db: str, rounds: int, requests: int, sample: int) -> dict[str, list[float]]:
    from serve_load import sample_requests

    from nhsgraph.app import create_app
    from nhsgraph.store import Store

    store = Store.open(db, create=False)
    try:
        reqs = [(f"/api/entities/{sid}", f"at={day}".encode())
                for sid, day in sample_requests(store, sample)]
    finally:
        store.close()
    apps = {"short way": create_app(db, fast=True), "FastAPI": create_app(db, fast=False)}
    out: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(rounds):
        for name, app in apps.items():
            for path, query in reqs:                       # every answer kept
                status = await _get(app, path, query)
                if status != 200:
                    raise SystemExit(f"{path}?{query.decode()}: {status}")
            t = time.process_time()
            for i in range(requests):
                await _get(app, *reqs[i % len(reqs)])
            out[name].append(1e6 * (time.process_time() - t) / requests)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="A database holding a registry.")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--requests", type=int, default=4000, help="Per round and way.")
    ap.add_argument("--sample", type=int, default=50, help="Distinct organisations asked.")
    args = ap.parse_args()
    os.environ[CACHE_ENV] = "on"
    got = asyncio.run(measure(args.db, args.rounds, args.requests, args.sample))
    for name, xs in got.items():
        print(f"{name}: {', '.join(f'{x:.0f}' for x in xs)} µs CPU a request; "
              f"median {median(xs):.0f}")
    print(f"short way / FastAPI: {median(got['short way']) / median(got['FastAPI']):.2f}")


if __name__ == "__main__":
    main()
